// DTMF digits as the product names them ('0'-'9', '*', '#', 'A'-'D', and 'F' for flash) and
// their RFC 4733 event codes (0-9, 10 = *, 11 = #, 12-15 = A-D, 16 = flash).
#pragma once

#include <cstdint>
#include <optional>

namespace sidebar::dtmf {

inline constexpr char kFlash = 'F';
inline constexpr uint8_t kFlashEvent = 16;

// The digit of an RFC 4733 event code; nullopt for codes outside 0..16 (other tones, unknown).
inline std::optional<char> event_to_digit(uint8_t event) {
    constexpr char kDigits[] = "0123456789*#ABCDF";
    if (event > kFlashEvent) return std::nullopt;
    return kDigits[event];
}

// The event code of a digit (lower-case a-d accepted); nullopt for anything else.
inline std::optional<uint8_t> digit_to_event(char digit) {
    if (digit >= '0' && digit <= '9') return static_cast<uint8_t>(digit - '0');
    switch (digit) {
        case '*':
            return 10;
        case '#':
            return 11;
        case 'A':
        case 'a':
            return 12;
        case 'B':
        case 'b':
            return 13;
        case 'C':
        case 'c':
            return 14;
        case 'D':
        case 'd':
            return 15;
        case 'F':
            return kFlashEvent;
        default:
            return std::nullopt;
    }
}

// True for the sixteen keypad digits (not flash): what in-band tones and SIP INFO can carry.
inline bool is_keypad_digit(char digit) {
    const auto event = digit_to_event(digit);
    return event.has_value() && *event < kFlashEvent;
}

}  // namespace sidebar::dtmf
