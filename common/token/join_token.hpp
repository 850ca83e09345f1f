// Join tokens: the short-lived proof the IVR hands a caller (inside the REFER's Refer-To URI,
// `?X-Join-Token=...`) that the caller entered the right PIN, so the mixer can admit the caller
// to a PIN room without asking again (DESIGN.md 5.2). HMAC-SHA256 over room, expiry and caller
// with a secret both services share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace sidebar::token {

// Seconds since the Unix epoch; passed in so tests and both services agree on "now".
using UnixSeconds = int64_t;

class JoinTokenSigner {
  public:
    // `secret` must be at least 16 bytes; a shorter one is refused (see create()).
    static Result<JoinTokenSigner> create(std::string secret);

    // Token for `caller` (the caller's SIP address-of-record, e.g. "alice@example.com") to join
    // `room` until `expires_at`. Form: "v1.<expires_at>.<64 hex digits of HMAC-SHA256>", safe
    // inside a SIP URI header parameter without escaping.
    std::string issue(std::string_view room, std::string_view caller, UnixSeconds expires_at) const;

    // Checks a token a remote party presented. Errors say why (malformed, expired, too far in
    // the future, wrong MAC) for the log; the SIP answer stays a plain 403.
    Status verify(std::string_view token, std::string_view room, std::string_view caller,
                  UnixSeconds now, UnixSeconds max_lifetime = 300) const;

  private:
    explicit JoinTokenSigner(std::string secret) : secret_(std::move(secret)) {}
    std::string mac_hex(std::string_view room, std::string_view caller,
                        UnixSeconds expires_at) const;

    std::string secret_;
};

}  // namespace sidebar::token
