// HMAC-SHA256 join tokens through OpenSSL.
#include "common/token/join_token.hpp"

#include <charconv>

#include "common/token/hmac_hex.hpp"

namespace sidebar::token {

namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr std::size_t kMinSecretBytes = 16;
// Fields are joined with a byte that cannot appear in a room number or a SIP URI, so
// ("12", "3@x") and ("1", "23@x") never sign the same message.
constexpr char kSeparator = '\n';

}  // namespace

Result<JoinTokenSigner> JoinTokenSigner::create(std::string secret) {
    if (secret.size() < kMinSecretBytes) {
        return make_error("join token secret must be at least 16 bytes, got " +
                          std::to_string(secret.size()));
    }
    return JoinTokenSigner(std::move(secret));
}

std::string JoinTokenSigner::mac_hex(std::string_view room, std::string_view caller,
                                     UnixSeconds expires_at) const {
    std::string message = "v1";
    message += kSeparator;
    message += room;
    message += kSeparator;
    message += std::to_string(expires_at);
    message += kSeparator;
    message += caller;

    return hmac_sha256_hex(secret_, message);
}

std::string JoinTokenSigner::issue(std::string_view room, std::string_view caller,
                                   UnixSeconds expires_at) const {
    return std::string(kPrefix) + std::to_string(expires_at) + "." +
           mac_hex(room, caller, expires_at);
}

Status JoinTokenSigner::verify(std::string_view token, std::string_view room,
                               std::string_view caller, UnixSeconds now,
                               UnixSeconds max_lifetime) const {
    if (token.size() > 128) return make_error("join token too long");
    if (!token.starts_with(kPrefix)) return make_error("join token: unknown version");
    const std::string_view rest = token.substr(kPrefix.size());
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0) return make_error("join token: no expiry");
    UnixSeconds expires_at = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + dot, expires_at);
    if (ec != std::errc() || end != rest.data() + dot || expires_at < 0) {
        return make_error("join token: expiry is not a number");
    }
    const std::string_view presented = rest.substr(dot + 1);
    if (presented.size() != kMacHexLength) return make_error("join token: MAC has wrong length");
    if (expires_at < now) return make_error("join token expired");
    if (expires_at - now > max_lifetime) return make_error("join token expiry too far ahead");
    const std::string expected = mac_hex(room, caller, expires_at);
    if (!equal_constant_time(expected, presented)) {
        return make_error("join token: MAC does not match room and caller");
    }
    return Ok{};
}

}  // namespace sidebar::token
