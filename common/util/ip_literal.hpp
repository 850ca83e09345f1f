// Whether a piece of text is a numeric IPv4 or IPv6 address, as inet_pton reads them. Safe on
// any string_view from outside: an embedded NUL (which would hide what follows it from
// inet_pton) or an over-long string is never an address.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace sidebar {

enum class IpFamily { v4, v6 };

inline bool is_ip_literal(IpFamily family, std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN ||
        text.find('\0') != std::string_view::npos) {
        return false;
    }
    std::array<char, INET6_ADDRSTRLEN> c_string{};
    std::copy(text.begin(), text.end(), c_string.begin());
    std::array<unsigned char, 16> address{};
    return inet_pton(family == IpFamily::v4 ? AF_INET : AF_INET6, c_string.data(),
                     address.data()) == 1;
}

}  // namespace sidebar
