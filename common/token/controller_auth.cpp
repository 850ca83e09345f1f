// Controller signatures over method, Call-ID, CSeq and time.
#include "common/token/controller_auth.hpp"

#include <charconv>

#include "common/token/hmac_hex.hpp"

namespace sidebar::token {

namespace {

constexpr std::string_view kPrefix = "v1.";
constexpr std::size_t kMinSecretBytes = 16;
constexpr std::size_t kMaxValueLength = 128;

}  // namespace

Result<ControllerSigner> ControllerSigner::create(std::string secret) {
    if (secret.size() < kMinSecretBytes) {
        return make_error("controller secret must be at least 16 bytes, got " +
                          std::to_string(secret.size()));
    }
    return ControllerSigner(std::move(secret));
}

std::string ControllerSigner::mac_hex(const SignedRequest& request, UnixSeconds signed_at) const {
    // Newline-separated: it cannot occur inside a method, a Call-ID or a number, so two different
    // requests never sign the same text.
    std::string message = "v1\n";
    message += request.method;
    message += '\n';
    message += request.call_id;
    message += '\n';
    message += std::to_string(request.cseq);
    message += '\n';
    message += std::to_string(signed_at);
    return hmac_sha256_hex(secret_, message);
}

std::string ControllerSigner::sign(const SignedRequest& request, UnixSeconds now) const {
    return std::string(kPrefix) + std::to_string(now) + "." + mac_hex(request, now);
}

Status ControllerSigner::verify(std::string_view value, const SignedRequest& request,
                                UnixSeconds now, UnixSeconds window) const {
    if (value.size() > kMaxValueLength) return make_error("controller signature too long");
    if (!value.starts_with(kPrefix)) return make_error("controller signature: unknown version");
    const std::string_view rest = value.substr(kPrefix.size());
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0) {
        return make_error("controller signature: no time");
    }
    UnixSeconds signed_at = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + dot, signed_at);
    if (ec != std::errc() || end != rest.data() + dot || signed_at < 0) {
        return make_error("controller signature: time is not a number");
    }
    const std::string_view presented = rest.substr(dot + 1);
    if (presented.size() != kMacHexLength) {
        return make_error("controller signature: MAC has wrong length");
    }
    if (signed_at < now - window || signed_at > now + window) {
        return make_error("controller signature: signed " + std::to_string(signed_at - now) +
                          " s from now, outside +-" + std::to_string(window) + " s");
    }
    if (!equal_constant_time(mac_hex(request, signed_at), presented)) {
        return make_error("controller signature: MAC does not match this request");
    }
    return Ok{};
}

}  // namespace sidebar::token
