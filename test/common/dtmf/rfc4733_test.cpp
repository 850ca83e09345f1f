// RFC 4733 payload parsing and building: every field, several events per payload, and every
// malformed length.
#include "common/dtmf/rfc4733.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "common/dtmf/digit.hpp"

using namespace sidebar::dtmf;

SCENARIO("a telephone-event block is parsed field by field", "[dtmf][rfc4733]") {
    GIVEN("the end packet of digit 5 as sipp sends it") {
        const std::vector<uint8_t> payload = {0x05, 0x8a, 0x08, 0xc0};
        auto parsed = parse_telephone_events(payload);
        REQUIRE(parsed.ok());
        REQUIRE(parsed->count == 1);
        const TelephoneEvent& e = parsed->events[0];
        CHECK(e.event == 5);
        CHECK(e.end);
        CHECK_FALSE(e.reserved);
        CHECK(e.volume == 10);
        CHECK(e.duration == 2240);
    }
    GIVEN("a block with the R bit, volume 63 and the longest duration") {
        const std::vector<uint8_t> payload = {0x0b, 0x7f, 0xff, 0xff};
        auto parsed = parse_telephone_events(payload);
        REQUIRE(parsed.ok());
        const TelephoneEvent& e = parsed->events[0];
        CHECK(e.event == 11);
        CHECK_FALSE(e.end);
        CHECK(e.reserved);
        CHECK(e.volume == 63);
        CHECK(e.duration == 65535);
    }
    GIVEN("three events in one payload (RFC 4733 2.5.1.5)") {
        const std::vector<uint8_t> payload = {0x01, 0x8a, 0x03, 0x20, 0x02, 0x8a,
                                              0x03, 0x20, 0x03, 0x0a, 0x00, 0xa0};
        auto parsed = parse_telephone_events(payload);
        REQUIRE(parsed.ok());
        REQUIRE(parsed->count == 3);
        CHECK(parsed->events[0].event == 1);
        CHECK(parsed->events[1].event == 2);
        CHECK(parsed->events[2].event == 3);
        CHECK_FALSE(parsed->events[2].end);
        CHECK(parsed->events[2].duration == 160);
    }
}

SCENARIO("events outside 0..16 parse but map to no digit", "[dtmf][rfc4733]") {
    for (int code : {17, 32, 70, 255}) {
        const std::vector<uint8_t> payload = {uint8_t(code), 0x0a, 0x00, 0x00};
        auto parsed = parse_telephone_events(payload);
        REQUIRE(parsed.ok());
        CHECK_FALSE(event_to_digit(parsed->events[0].event).has_value());
    }
    CHECK(event_to_digit(10) == '*');
    CHECK(event_to_digit(11) == '#');
    CHECK(event_to_digit(15) == 'D');
    CHECK(event_to_digit(16) == kFlash);
    CHECK(digit_to_event('b') == 13);
    CHECK_FALSE(digit_to_event('E').has_value());
    CHECK_FALSE(is_keypad_digit(kFlash));
}

SCENARIO("malformed payload lengths are refused with the reason", "[dtmf][rfc4733]") {
    auto empty = parse_telephone_events({});
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message() == "rfc4733: empty telephone-event payload");
    for (std::size_t n : {1u, 2u, 3u, 5u, 7u, 13u}) {
        const std::vector<uint8_t> payload(n, 0x01);
        auto parsed = parse_telephone_events(payload);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.message() == "rfc4733: payload of " + std::to_string(n) +
                                      " bytes is not a whole number of 4-byte event blocks");
    }
    const std::vector<uint8_t> too_many(4 * 17, 0x01);
    auto parsed = parse_telephone_events(too_many);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.message() == "rfc4733: 17 event blocks, more than 16");
    const std::vector<uint8_t> most(4 * 16, 0x01);
    CHECK(parse_telephone_events(most).ok());
}

SCENARIO("built payloads parse back to the same events", "[dtmf][rfc4733]") {
    const std::vector<TelephoneEvent> events = {
        {12, true, false, 7, 800}, {0, false, true, 0, 0}, {16, false, false, 63, 65535}};
    std::vector<uint8_t> out(12);
    auto built = build_telephone_events(events, out);
    REQUIRE(built.ok());
    CHECK(*built == 12);
    auto parsed = parse_telephone_events(out);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->count == 3);
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(parsed->events[i] == events[i]);
    CHECK(build_telephone_event(events[0]) == std::array<uint8_t, 4>{12, 0x87, 0x03, 0x20});
}

SCENARIO("building refuses what the payload cannot carry", "[dtmf][rfc4733]") {
    std::vector<uint8_t> out(64);
    const std::vector<TelephoneEvent> loud = {{5, false, false, 64, 0}};
    auto r = build_telephone_events(loud, out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.message() == "rfc4733: volume 64 is above 63");
    auto none = build_telephone_events({}, out);
    REQUIRE_FALSE(none.ok());
    CHECK(none.message() == "rfc4733: no events to build");
    const std::vector<TelephoneEvent> two(2);
    std::vector<uint8_t> small(7);
    auto short_out = build_telephone_events(two, small);
    REQUIRE_FALSE(short_out.ok());
    CHECK(short_out.message() == "rfc4733: 2 events need 8 bytes, buffer has 7");
    const std::vector<TelephoneEvent> many(17);
    std::vector<uint8_t> big(68);
    auto too_many = build_telephone_events(many, big);
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.message() == "rfc4733: 17 events, more than 16");
}
