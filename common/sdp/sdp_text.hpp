// Small text helpers the SDP parser, writer and offer/answer share: RFC 4566 tokens, bounded
// decimal numbers, field splitting, IP literal checks and safe quoting of hostile text in error
// messages. Internal to the sdp module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/sdp/session_description.hpp"

namespace sidebar::sdp::text {

// RFC 4566 token-char: visible ASCII except "(),/:;<=>?@[\]
bool is_token_char(char c);
bool is_token(std::string_view s);

// Digits only (no sign, no spaces), at most 20 of them, value <= max.
std::optional<uint64_t> parse_uint(std::string_view s, uint64_t max);

// Fields separated by one or more spaces (peers occasionally send two).
std::vector<std::string_view> split_fields(std::string_view s);

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// "IP4" / "IP6" (case-insensitive, as some phones send "ip4").
std::optional<AddrType> addr_type_from_string(std::string_view s);
// An IP literal of the given family, checked with inet_pton.
bool is_ip_literal(AddrType type, std::string_view address);

// `s` cut to `max` bytes with anything but printable ASCII shown as \xNN, in quotes: hostile
// text that goes into an error message (and from there into logs) stays one harmless line.
std::string quoted(std::string_view s, std::size_t max = 40);

}  // namespace sidebar::sdp::text
