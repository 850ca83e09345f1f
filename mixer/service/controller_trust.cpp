// Controller trust: source address, then signature.
#include "mixer/service/controller_trust.hpp"

#include <algorithm>
#include <chrono>

namespace sidebar::mixer {

ControllerTrust::ControllerTrust(const ControllerSettings& settings, token::ControllerSigner signer)
    : window_s_(settings.signature_window_s), signer_(std::move(signer)) {
    for (const std::string& text : settings.addresses) {
        boost::system::error_code ec;
        auto address = boost::asio::ip::make_address(text, ec);
        if (!ec) addresses_.push_back(address);  // the config reader refused bad ones already
    }
}

std::string ControllerTrust::refusal(const sip::Event& request, token::UnixSeconds now) const {
    boost::system::error_code ec;
    const auto source = boost::asio::ip::make_address(request.source_address, ec);
    if (ec || std::find(addresses_.begin(), addresses_.end(), source) == addresses_.end()) {
        return "source " + request.source_address + " is not a configured controller";
    }
    const auto presented = request.header(token::kControllerAuthHeader);
    if (!presented) return "no " + std::string(token::kControllerAuthHeader) + " header";
    const token::SignedRequest signed_request{request.method, request.call_id, request.cseq};
    if (Status ok = signer_.verify(*presented, signed_request, now, window_s_); !ok) {
        return ok.message();
    }
    return {};
}

std::string ControllerTrust::refusal(const sip::Event& request) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return refusal(request, now);
}

}  // namespace sidebar::mixer
