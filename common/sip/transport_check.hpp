// Whether the SIP stack's transports can bind, checked before nua is created.
#pragma once

#include <string>

#include "common/sip/sip_stack.hpp"

namespace sidebar::sip {

// Binds (and releases) a socket of each configured transport; empty when all bind, else why not
// ("udp: Address already in use").
std::string check_bindable(const StackConfig& config);

}  // namespace sidebar::sip
