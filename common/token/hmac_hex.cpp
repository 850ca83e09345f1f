// HMAC-SHA256 through OpenSSL.
#include "common/token/hmac_hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace sidebar::token {

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
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

bool equal_constant_time(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sidebar::token
