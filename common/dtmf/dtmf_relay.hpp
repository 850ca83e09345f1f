// DTMF in SIP INFO bodies: application/dtmf-relay ("Signal=5\r\nDuration=160\r\n") and
// application/dtmf (just the digit). Parsing is lenient where phones differ (key case, LF or
// CRLF, spaces around '=', numeric 10/11 for * and #) and strict about anything hostile.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace sidebar::dtmf {

inline constexpr uint32_t kDefaultRelayDurationMs = 250;  // when a body gives no Duration
inline constexpr uint32_t kMaxRelayDurationMs = 60'000;
inline constexpr std::size_t kMaxRelayBodyBytes = 1024;

struct RelayDigit {
    char digit = 0;  // '0'-'9', '*', '#', 'A'-'D'
    uint32_t duration_ms = kDefaultRelayDurationMs;

    bool operator==(const RelayDigit&) const = default;
};

Result<RelayDigit> parse_dtmf_relay(std::string_view body);  // application/dtmf-relay
Result<RelayDigit> parse_dtmf(std::string_view body);        // application/dtmf

// Picks the parser by Content-Type (case-insensitive, parameters ignored).
Result<RelayDigit> parse_info_body(std::string_view content_type, std::string_view body);

// "Signal=5\r\nDuration=160\r\n"; refuses a non-digit or a duration above the maximum.
Result<std::string> build_dtmf_relay(const RelayDigit& digit);
// "5"
Result<std::string> build_dtmf(char digit);

}  // namespace sidebar::dtmf
