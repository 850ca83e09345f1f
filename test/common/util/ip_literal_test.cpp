// is_ip_literal: numeric addresses only, whatever bytes a peer or an admin sends.
#include "common/util/ip_literal.hpp"

#include <catch2/catch.hpp>
#include <string>

using sidebar::IpFamily;
using sidebar::is_ip_literal;

SCENARIO("numeric IPv4 and IPv6 addresses are recognised by family", "[util]") {
    CHECK(is_ip_literal(IpFamily::v4, "127.0.0.1"));
    CHECK(is_ip_literal(IpFamily::v6, "::1"));
    CHECK(is_ip_literal(IpFamily::v6, "2001:db8::1"));
    CHECK_FALSE(is_ip_literal(IpFamily::v4, "::1"));
    CHECK_FALSE(is_ip_literal(IpFamily::v6, "127.0.0.1"));
}

SCENARIO("anything else is not an address", "[util]") {
    for (const char* bad : {"", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", " 1.2.3.4",
                            "1.2.3.4 ", "[::1]", "::1%eth0", "01.2.3.4x"}) {
        INFO(bad);
        CHECK_FALSE(is_ip_literal(IpFamily::v4, bad));
        CHECK_FALSE(is_ip_literal(IpFamily::v6, bad));
    }
    // An embedded NUL must not hide what follows it.
    CHECK_FALSE(is_ip_literal(IpFamily::v4, std::string("1.2.3.4\0junk", 12)));
    CHECK_FALSE(is_ip_literal(IpFamily::v6, std::string("::1\0", 4)));
    CHECK_FALSE(is_ip_literal(IpFamily::v6, std::string(4096, ':')));
}
