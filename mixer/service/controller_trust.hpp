// Whether a request may create sidebars, move members or open service channels (DESIGN.md 5.4,
// item 6): it must come from a configured controller address and carry a valid controller
// signature (common/token/controller_auth.hpp). Immutable after start-up, so the SIP thread
// (REFER is answered there) and the control thread (INVITE) both ask it without locks.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

#include "common/sip/sip_event.hpp"
#include "common/token/controller_auth.hpp"
#include "mixer/config/mixer_config.hpp"

namespace sidebar::mixer {

class ControllerTrust {
  public:
    ControllerTrust(const ControllerSettings& settings, token::ControllerSigner signer);

    // Empty when `request` is from a trusted controller; otherwise why not, for the log (the
    // peer only gets a 403).
    std::string refusal(const sip::Event& request, token::UnixSeconds now) const;
    // The same, at the present time.
    std::string refusal(const sip::Event& request) const;

  private:
    std::vector<boost::asio::ip::address> addresses_;
    int window_s_;
    token::ControllerSigner signer_;
};

}  // namespace sidebar::mixer
