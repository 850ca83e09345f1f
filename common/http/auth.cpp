// Constant-time bearer comparison: both sides are hashed with SHA-256 first so that the compared
// lengths are always equal, then compared with CRYPTO_memcmp.
#include "common/http/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>

namespace sidebar::http {

namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> digest(std::string_view text) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool bearer_matches(std::string_view authorization, std::string_view token) {
    if (token.empty()) return false;
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() < kScheme.size() ||
        !iequals(authorization.substr(0, kScheme.size()), kScheme)) {
        return false;
    }
    std::string_view given = authorization.substr(kScheme.size());
    while (!given.empty() && given.front() == ' ')
        given.remove_prefix(1);
    while (!given.empty() && (given.back() == ' ' || given.back() == '\t'))
        given.remove_suffix(1);
    const auto a = digest(given);
    const auto b = digest(token);
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sidebar::http
