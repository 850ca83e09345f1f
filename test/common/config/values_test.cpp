// Text forms of configuration values: addresses, endpoints, durations; good and hostile input.
#include "common/config/values.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::config;
using std::chrono::milliseconds;

TEST_CASE("IP addresses are IPv4 or IPv6 literals", "[config]") {
    for (const char* good : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1",
                             "fe80::1:2:3:4", "::ffff:192.0.2.1"}) {
        INFO(good);
        CHECK(is_ip_address(good));
    }
    for (const char* bad : {"", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", " 1.2.3.4",
                            "1.2.3.4 ", "2001:db8::1::2", "[::1]", "::1%eth0", "1.2.3.4\n",
                            "01234567890123456789012345678901234567890123456789012"}) {
        INFO(bad);
        CHECK_FALSE(is_ip_address(bad));
    }
    CHECK_FALSE(is_ip_address(std::string_view("1.2.3.4\0junk", 12)));
}

TEST_CASE("host names follow DNS label rules", "[config]") {
    CHECK(is_hostname("localhost"));
    CHECK(is_hostname("sip-proxy.example.net"));
    CHECK(is_hostname(std::string(63, 'a') + ".net"));
    CHECK_FALSE(is_hostname(""));
    CHECK_FALSE(is_hostname("-bad.net"));
    CHECK_FALSE(is_hostname("bad-.net"));
    CHECK_FALSE(is_hostname("a..b"));
    CHECK_FALSE(is_hostname("a.b."));
    CHECK_FALSE(is_hostname("under_score.net"));
    CHECK_FALSE(is_hostname("sp ace"));
    CHECK_FALSE(is_hostname(std::string(64, 'a')));
    std::string long_name;
    for (int i = 0; i < 64; ++i)
        long_name += "abc.";
    long_name += "net";
    CHECK_FALSE(is_hostname(long_name));
}

TEST_CASE("endpoints are host:port or [v6]:port", "[config]") {
    CHECK(parse_endpoint("127.0.0.1:5070") == Endpoint{"127.0.0.1", 5070});
    CHECK(parse_endpoint("[::1]:5060") == Endpoint{"::1", 5060});
    CHECK(parse_endpoint("proxy.example.net:65535") == Endpoint{"proxy.example.net", 65535});
    CHECK(parse_endpoint("0.0.0.0:0", true) == Endpoint{"0.0.0.0", 0});
    CHECK(Endpoint{"::1", 5060}.to_string() == "[::1]:5060");
    CHECK(Endpoint{"10.0.0.1", 80}.to_string() == "10.0.0.1:80");
    CHECK(Endpoint{"::1", 5060}.is_ipv6());
    for (const char* bad : {"",
                            ":",
                            "127.0.0.1",
                            "127.0.0.1:",
                            ":5060",
                            "127.0.0.1:0",
                            "127.0.0.1:65536",
                            "127.0.0.1:99999999999999999999",
                            "127.0.0.1:-1",
                            "127.0.0.1:+5",
                            "127.0.0.1:50 60",
                            "::1:5060",
                            "[::1]",
                            "[::1]5060",
                            "[::1:5060",
                            "[localhost]:5060",
                            "[1.2.3.4]:5060",
                            "bad_host:5060",
                            "host name:5060",
                            "1.2.3.4:5060x",
                            "1.2.3.4:0x50"}) {
        INFO(bad);
        CHECK_FALSE(parse_endpoint(bad).has_value());
    }
}

TEST_CASE("durations take a unit or mean milliseconds", "[config]") {
    CHECK(parse_duration("250") == milliseconds(250));
    CHECK(parse_duration("250ms") == milliseconds(250));
    CHECK(parse_duration("30s") == milliseconds(30000));
    CHECK(parse_duration("5m") == milliseconds(300000));
    CHECK(parse_duration("2h") == milliseconds(7200000));
    CHECK(parse_duration("0s") == milliseconds(0));
    CHECK(parse_duration("999999999999h") == milliseconds(int64_t{999999999999} * 3600000));
    for (const char* bad : {"", "ms", "s", "-5s", "+5s", "1.5s", "5 s", "5sec", "5d", "5S",
                            "1000000000000ms", "99999999999999999999", "0x10"}) {
        INFO(bad);
        CHECK_FALSE(parse_duration(bad).has_value());
    }
}
