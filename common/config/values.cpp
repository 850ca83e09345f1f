// Text forms of configuration values.
#include "common/config/values.hpp"

#include "common/util/ip_literal.hpp"

#include <array>
#include <charconv>

namespace sidebar::config {

namespace {

// Digits only, no sign, no leading '+'; nullopt on overflow or anything else.
std::optional<uint64_t> parse_digits(std::string_view text, std::size_t max_digits) {
    if (text.empty() || text.size() > max_digits) return std::nullopt;
    uint64_t value = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

bool Endpoint::is_ipv6() const {
    return host.find(':') != std::string::npos;
}

std::string Endpoint::to_string() const {
    const std::string p = std::to_string(port);
    return is_ipv6() ? "[" + host + "]:" + p : host + ":" + p;
}

bool is_ip_address(std::string_view text) {
    return is_ip_literal(IpFamily::v4, text) || is_ip_literal(IpFamily::v6, text);
}

bool is_hostname(std::string_view text) {
    if (text.empty() || text.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        const std::string_view label = text.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (const char c : label) {
            if (!is_label_char(c)) return false;
        }
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

std::optional<Endpoint> parse_endpoint(std::string_view text, bool allow_port_zero) {
    if (text.find('\0') != std::string_view::npos) return std::nullopt;
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (!is_ip_literal(IpFamily::v6, host)) return std::nullopt;
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        // A bare IPv6 address has colons of its own: it needs brackets to be unambiguous.
        if (host.find(':') != std::string_view::npos) return std::nullopt;
        if (!is_ip_literal(IpFamily::v4, host) && !is_hostname(host)) return std::nullopt;
    }
    const auto number = parse_digits(port, 5);
    if (!number || *number > 65535 || (*number == 0 && !allow_port_zero)) return std::nullopt;
    return Endpoint{std::string(host), static_cast<uint16_t>(*number)};
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        uint64_t ms;
    };
    // "ms" before "m" and "s", so "500ms" is not read as 500 minutes.
    static constexpr std::array<Unit, 4> kUnits{
        {{"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 3600 * 1000}}};
    uint64_t scale = 1;
    std::string_view digits = text;
    for (const Unit& u : kUnits) {
        if (text.ends_with(u.suffix)) {
            scale = u.ms;
            digits = text.substr(0, text.size() - u.suffix.size());
            break;
        }
    }
    const auto number = parse_digits(digits, 12);  // 10^12 h still fits in int64 ms
    if (!number) return std::nullopt;
    return std::chrono::milliseconds(static_cast<int64_t>(*number * scale));
}

}  // namespace sidebar::config
