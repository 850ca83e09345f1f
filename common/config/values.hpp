// Parsers for the text forms configuration values take: IP addresses, host:port endpoints and
// durations. Separate from ConfigReader so they can be tested and reused (command-line flags).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sidebar::config {

struct Endpoint {
    std::string host;  // an IPv4 or IPv6 literal (without brackets) or a DNS name
    uint16_t port = 0;

    bool is_ipv6() const;
    // "host:port", or "[v6]:port".
    std::string to_string() const;
    bool operator==(const Endpoint&) const = default;
};

// A numeric IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") address, as inet_pton reads them.
bool is_ip_address(std::string_view text);
// A DNS name: dot-separated labels of 1..63 letters, digits and '-', not starting or ending in
// '-', at most 253 characters.
bool is_hostname(std::string_view text);
// "host:port" or "[v6]:port"; port 1..65535 (0 too with allow_port_zero, for "any free port").
std::optional<Endpoint> parse_endpoint(std::string_view text, bool allow_port_zero = false);
// "250ms", "30s", "5m" (minutes), "2h", or bare digits meaning milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace sidebar::config
