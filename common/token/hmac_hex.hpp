// HMAC-SHA256 as lowercase hex (OpenSSL), and a constant-time comparison: the two primitives
// the join tokens and the controller signatures are built on.
#pragma once

#include <string>
#include <string_view>

namespace sidebar::token {

inline constexpr std::size_t kMacHexLength = 64;

std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

// Constant time in the length of `a`, so a MAC cannot be guessed byte by byte from answer timing.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace sidebar::token
