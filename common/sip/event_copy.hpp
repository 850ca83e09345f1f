// Copies what a nua event carries (status, the sip_t of its message, tags) into a sip::Event.
// SIP thread only: it reads sofia memory that is valid during the nua callback alone.
#pragma once

#include "common/sip/sip_event.hpp"
#include "common/sip/sofia_includes.hpp"

namespace sidebar::sip {

// Fills everything except `handle` and `new_handle`. `request` is nua_current_request() (may
// be null) and gives the source address of incoming requests.
Event copy_event(nua_event_t event, int status, const char* phrase, const sip_t* sip,
                 const tagi_t tags[], msg_t* request);

}  // namespace sidebar::sip
