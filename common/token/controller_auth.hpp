// Controller signatures: how the mixer knows that a request creating a sidebar, moving a member
// or opening a service channel comes from a controller it trusts (DESIGN.md 5.4, item 6). The
// controller (the IVR) adds `X-Sidebar-Auth: v1.<unix>.<hex>`, an HMAC-SHA256 with the secret
// both services share over the request's method, Call-ID, CSeq number and the signing time. The
// mixer also checks the source address (see mixer/service/controller_trust.hpp); this is the
// shared-secret half, in common/ because the IVR signs what the mixer verifies.
//
// Why not SIP digest: digest authentication needs a challenge round trip per request (401, then
// the request again), which sofia-sip's nua leaves to the application as the server; a signature
// on the request itself costs nothing extra and is as easy to produce from a test script.
#pragma once

#include <string>
#include <string_view>

#include "common/token/join_token.hpp"
#include "common/util/result.hpp"

namespace sidebar::token {

inline constexpr std::string_view kControllerAuthHeader = "X-Sidebar-Auth";

struct SignedRequest {
    std::string_view method;  // "INVITE", "REFER"
    std::string_view call_id;
    uint32_t cseq = 0;
};

class ControllerSigner {
  public:
    // `secret` must be at least 16 bytes, like the join tokens' (same secret in practice).
    static Result<ControllerSigner> create(std::string secret);

    // The header value for `request` signed at `now`: "v1.<now>.<64 hex digits>".
    std::string sign(const SignedRequest& request, UnixSeconds now) const;

    // Checks a presented value: well formed, signed within `window` seconds of `now` (either
    // side, for clock skew), MAC over this very request. Errors say which, for the log.
    Status verify(std::string_view value, const SignedRequest& request, UnixSeconds now,
                  UnixSeconds window = 60) const;

  private:
    explicit ControllerSigner(std::string secret) : secret_(std::move(secret)) {}
    std::string mac_hex(const SignedRequest& request, UnixSeconds signed_at) const;

    std::string secret_;
};

}  // namespace sidebar::token
