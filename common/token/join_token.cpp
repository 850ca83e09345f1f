// HMAC-SHA256 join tokens through OpenSSL.
#include "common/token/join_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>

namespace sidebar::token {

namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr std::size_t kMacHexLength = 64;
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

    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
         &mac_len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(mac_len * 2);
    for (unsigned int i = 0; i < mac_len; ++i) {
        hex += kHex[mac[i] >> 4];
        hex += kHex[mac[i] & 0xf];
    }
    return hex;
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
    // Constant time, so the MAC cannot be guessed byte by byte from answer timing.
    if (CRYPTO_memcmp(expected.data(), presented.data(), kMacHexLength) != 0) {
        return make_error("join token: MAC does not match room and caller");
    }
    return Ok{};
}

}  // namespace sidebar::token
