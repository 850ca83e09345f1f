// SIP INFO DTMF bodies: what real phones send, and every hostile body we could think of.
#include "common/dtmf/dtmf_relay.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sidebar::dtmf;
using namespace std::string_literals;

SCENARIO("application/dtmf-relay bodies as phones send them", "[dtmf][info]") {
    struct Case {
        std::string body;
        RelayDigit expected;
    };
    const std::vector<Case> cases = {
        {"Signal=5\r\nDuration=160\r\n", {'5', 160}},
        {"Signal=5\nDuration=160\n", {'5', 160}},
        {"signal = # \r\n duration= 250", {'#', 250}},
        {"SIGNAL=*\r\n", {'*', kDefaultRelayDurationMs}},
        {"Signal=10\r\nDuration=100\r\n", {'*', 100}},
        {"Signal=11\r\nDuration=100\r\n", {'#', 100}},
        {"Signal=12\r\n", {'A', kDefaultRelayDurationMs}},
        {"Signal=d\r\n", {'D', kDefaultRelayDurationMs}},
        {"Signal=0\r\nDuration=0\r\n", {'0', kDefaultRelayDurationMs}},
        {"\r\nSignal=9\r\nDuration=60000\r\n\r\n", {'9', 60000}},
        {"Signal=\t7\t\r\nVolume=10\r\nSome phone text\r\n", {'7', kDefaultRelayDurationMs}},
    };
    for (const Case& c : cases) {
        auto r = parse_dtmf_relay(c.body);
        INFO(c.body);
        REQUIRE(r.ok());
        CHECK(*r == c.expected);
    }
}

SCENARIO("hostile dtmf-relay bodies are refused with what was wrong", "[dtmf][info]") {
    struct Case {
        std::string body;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"", "dtmf-relay: no Signal line"},
        {"Duration=160\r\n", "dtmf-relay: no Signal line"},
        {"Signal=\r\n", "dtmf-relay: Signal '' is not a DTMF digit"},
        {"Signal=E\r\n", "dtmf-relay: Signal 'E' is not a DTMF digit"},
        {"Signal=55\r\n", "dtmf-relay: Signal '55' is not a DTMF digit"},
        {"Signal=16\r\n", "dtmf-relay: Signal '16' is not a DTMF digit"},
        {"Signal=-1\r\n", "dtmf-relay: Signal '-1' is not a DTMF digit"},
        {"Signal=99999999999999999999\r\n",
         "dtmf-relay: Signal '9999999999999999...' is not a DTMF digit"},
        {"Signal=1\r\nSignal=2\r\n", "dtmf-relay: Signal given twice"},
        {"Signal=1\r\nDuration=-5\r\n",
         "dtmf-relay: Duration '-5' is not a whole number of milliseconds"},
        {"Signal=1\r\nDuration=\r\n",
         "dtmf-relay: Duration '' is not a whole number of milliseconds"},
        {"Signal=1\r\nDuration=160ms\r\n",
         "dtmf-relay: Duration '160ms' is not a whole number of milliseconds"},
        {"Signal=1\r\nDuration=60001\r\n",
         "dtmf-relay: Duration 60001 ms is over the 60000 ms limit"},
        {"Signal=1\r\nDuration=4294967296\r\n",
         "dtmf-relay: Duration '4294967296' is not a whole number of milliseconds"},
        {"Signal=1\r\nDuration=1\r\nDuration=2\r\n", "dtmf-relay: Duration given twice"},
        {"Signal=1\0\r\n"s, "dtmf-relay: body contains a NUL byte"},
        {"Signal=\x01\r\n", "dtmf-relay: Signal '?' is not a DTMF digit"},
    };
    for (const Case& c : cases) {
        auto r = parse_dtmf_relay(c.body);
        INFO(c.body);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() == c.message);
    }
    const std::string huge = "Signal=1\r\n" + std::string(2000, 'x');
    auto r = parse_dtmf_relay(huge);
    REQUIRE_FALSE(r.ok());
    CHECK(r.message() == "dtmf-relay: body of 2010 bytes is over the 1024-byte limit");
}

SCENARIO("application/dtmf bodies carry just the digit", "[dtmf][info]") {
    CHECK(parse_dtmf("5")->digit == '5');
    CHECK(parse_dtmf("#\r\n")->digit == '#');
    CHECK(parse_dtmf("  b \n")->digit == 'B');
    CHECK(parse_dtmf("11")->digit == '#');
    auto empty = parse_dtmf("\r\n");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message() == "dtmf: empty body");
    auto two = parse_dtmf("1\r\n2\r\n");
    REQUIRE_FALSE(two.ok());
    CHECK(two.message() == "dtmf: body has more than one line");
    auto word = parse_dtmf("Signal=1");
    REQUIRE_FALSE(word.ok());
    CHECK(word.message() == "dtmf: Signal 'Signal=1' is not a DTMF digit");
    auto nul = parse_dtmf("1\0"s);
    REQUIRE_FALSE(nul.ok());
    CHECK(nul.message() == "dtmf: body contains a NUL byte");
    CHECK_FALSE(parse_dtmf(std::string(1025, '1')).ok());
}

SCENARIO("the Content-Type picks the parser", "[dtmf][info]") {
    CHECK(parse_info_body("application/dtmf-relay", "Signal=3\r\n")->digit == '3');
    CHECK(parse_info_body("Application/DTMF-Relay; charset=utf-8", "Signal=3\r\n")->digit == '3');
    CHECK(parse_info_body("application/dtmf", "4")->digit == '4');
    auto other = parse_info_body("application/sdp", "v=0");
    REQUIRE_FALSE(other.ok());
    CHECK(other.message() == "dtmf: content type 'application/sdp' carries no DTMF");
}

SCENARIO("bodies are built so that they parse back", "[dtmf][info]") {
    auto body = build_dtmf_relay({'5', 160});
    REQUIRE(body.ok());
    CHECK(*body == "Signal=5\r\nDuration=160\r\n");
    for (char c : std::string("0123456789*#ABCDabcd")) {
        auto built = build_dtmf_relay({c, 100});
        REQUIRE(built.ok());
        auto parsed = parse_dtmf_relay(*built);
        REQUIRE(parsed.ok());
        CHECK(parsed->digit == (c >= 'a' ? char(c - 'a' + 'A') : c));
        CHECK(parsed->duration_ms == 100);
        auto plain = build_dtmf(c);
        REQUIRE(plain.ok());
        CHECK(parse_dtmf(*plain)->digit == parsed->digit);
    }
    auto bad = build_dtmf_relay({'x', 100});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == "dtmf-relay: 'x' is not a DTMF digit");
    auto zero = build_dtmf_relay({'1', 0});
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.message() == "dtmf-relay: duration 0 ms is outside 1..60000");
    CHECK_FALSE(build_dtmf('F').ok());
}
