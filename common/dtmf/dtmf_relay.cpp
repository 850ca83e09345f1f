// SIP INFO DTMF bodies, parsed line by line into value types.
#include "common/dtmf/dtmf_relay.hpp"

#include <charconv>
#include <optional>

#include "common/dtmf/digit.hpp"

namespace sidebar::dtmf {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? char(a[i] - 'A' + 'a') : a[i];
        const char y = (b[i] >= 'A' && b[i] <= 'Z') ? char(b[i] - 'A' + 'a') : b[i];
        if (x != y) return false;
    }
    return true;
}

// Quoted for the error message, cut short and with control bytes escaped.
std::string quoted(std::string_view s) {
    std::string out = "'";
    for (char c : s.substr(0, 16)) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
            out += '?';
        } else {
            out += c;
        }
    }
    if (s.size() > 16) out += "...";
    return out + "'";
}

Status check_body(std::string_view what, std::string_view body) {
    if (body.size() > kMaxRelayBodyBytes) {
        return make_error(std::string(what) + ": body of " + std::to_string(body.size()) +
                          " bytes is over the 1024-byte limit");
    }
    if (body.find('\0') != std::string_view::npos) {
        return make_error(std::string(what) + ": body contains a NUL byte");
    }
    return Ok{};
}

// A Signal value: one digit character, or the event code 0..15 as some phones send it.
Result<char> parse_signal(std::string_view what, std::string_view value) {
    if (value.size() == 1 && is_keypad_digit(value[0])) {
        const char c = value[0];
        return (c >= 'a' && c <= 'd') ? char(c - 'a' + 'A') : c;
    }
    unsigned code = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
    if (ec == std::errc() && end == value.data() + value.size() && code < kFlashEvent) {
        return *event_to_digit(static_cast<uint8_t>(code));
    }
    return make_error(std::string(what) + ": Signal " + quoted(value) + " is not a DTMF digit");
}

Result<uint32_t> parse_duration(std::string_view value) {
    uint32_t ms = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
        return make_error("dtmf-relay: Duration " + quoted(value) +
                          " is not a whole number of milliseconds");
    }
    if (ms > kMaxRelayDurationMs) {
        return make_error("dtmf-relay: Duration " + std::to_string(ms) +
                          " ms is over the 60000 ms limit");
    }
    return ms == 0 ? kDefaultRelayDurationMs : ms;
}

}  // namespace

Result<RelayDigit> parse_dtmf_relay(std::string_view body) {
    if (auto ok = check_body("dtmf-relay", body); !ok) return ok.error();
    std::optional<char> signal;
    std::optional<uint32_t> duration;
    while (!body.empty()) {
        const std::size_t eol = body.find('\n');
        const std::string_view line = trim(body.substr(0, eol));
        body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
        const std::size_t eq = line.find('=');
        // Lines without '=' carry nothing we know (some phones add free text): skip them.
        if (eq == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, eq));
        const std::string_view value = trim(line.substr(eq + 1));
        if (iequals(key, "Signal")) {
            if (signal) return make_error("dtmf-relay: Signal given twice");
            auto digit = parse_signal("dtmf-relay", value);
            if (!digit) return digit.error();
            signal = *digit;
        } else if (iequals(key, "Duration")) {
            if (duration) return make_error("dtmf-relay: Duration given twice");
            auto ms = parse_duration(value);
            if (!ms) return ms.error();
            duration = *ms;
        }
    }
    if (!signal) return make_error("dtmf-relay: no Signal line");
    return RelayDigit{*signal, duration.value_or(kDefaultRelayDurationMs)};
}

Result<RelayDigit> parse_dtmf(std::string_view body) {
    if (auto ok = check_body("dtmf", body); !ok) return ok.error();
    std::string_view value = body;
    while (!value.empty() && (is_space(value.front()) || value.front() == '\n'))
        value.remove_prefix(1);
    while (!value.empty() && (is_space(value.back()) || value.back() == '\n'))
        value.remove_suffix(1);
    if (value.empty()) return make_error("dtmf: empty body");
    if (value.find('\n') != std::string_view::npos) {
        return make_error("dtmf: body has more than one line");
    }
    auto digit = parse_signal("dtmf", value);
    if (!digit) return digit.error();
    return RelayDigit{*digit, kDefaultRelayDurationMs};
}

Result<RelayDigit> parse_info_body(std::string_view content_type, std::string_view body) {
    const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
    if (iequals(type, "application/dtmf-relay")) return parse_dtmf_relay(body);
    if (iequals(type, "application/dtmf")) return parse_dtmf(body);
    return make_error("dtmf: content type " + quoted(type) + " carries no DTMF");
}

Result<std::string> build_dtmf_relay(const RelayDigit& digit) {
    if (!is_keypad_digit(digit.digit)) {
        return make_error("dtmf-relay: " + quoted(std::string_view(&digit.digit, 1)) +
                          " is not a DTMF digit");
    }
    if (digit.duration_ms == 0 || digit.duration_ms > kMaxRelayDurationMs) {
        return make_error("dtmf-relay: duration " + std::to_string(digit.duration_ms) +
                          " ms is outside 1..60000");
    }
    const char c =
        (digit.digit >= 'a' && digit.digit <= 'd') ? char(digit.digit - 'a' + 'A') : digit.digit;
    return "Signal=" + std::string(1, c) + "\r\nDuration=" + std::to_string(digit.duration_ms) +
           "\r\n";
}

Result<std::string> build_dtmf(char digit) {
    if (!is_keypad_digit(digit)) {
        return make_error("dtmf: " + quoted(std::string_view(&digit, 1)) + " is not a DTMF digit");
    }
    const char c = (digit >= 'a' && digit <= 'd') ? char(digit - 'a' + 'A') : digit;
    return std::string(1, c);
}

}  // namespace sidebar::dtmf
