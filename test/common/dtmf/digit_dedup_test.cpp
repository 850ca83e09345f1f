// DigitDeduplicator: one press heard on two routes is one digit; real repeats are kept.
#include "common/dtmf/digit_dedup.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::dtmf;

SCENARIO("the same press arriving by two routes is reported once", "[dtmf][dedup]") {
    DigitDeduplicator dedup;
    CHECK(dedup.accept('5', DigitRoute::rfc4733, 1'000'000));
    CHECK_FALSE(dedup.accept('5', DigitRoute::inband, 1'060'000));    // in-band echo of it
    CHECK_FALSE(dedup.accept('5', DigitRoute::sip_info, 1'300'000));  // and INFO, later
    WHEN("the other route reports outside the window") {
        CHECK(dedup.accept('5', DigitRoute::inband, 1'600'000));
    }
}

SCENARIO("repeats on one route are new presses", "[dtmf][dedup]") {
    DigitDeduplicator dedup;
    CHECK(dedup.accept('5', DigitRoute::rfc4733, 0));
    CHECK(dedup.accept('5', DigitRoute::rfc4733, 150'000));
    // The in-band copies of both presses pair with them, one each.
    CHECK_FALSE(dedup.accept('5', DigitRoute::inband, 60'000));
    CHECK_FALSE(dedup.accept('5', DigitRoute::inband, 210'000));
    CHECK(dedup.accept('5', DigitRoute::inband, 260'000));  // a third press, heard only in-band
}

SCENARIO("different digits are never merged", "[dtmf][dedup]") {
    DigitDeduplicator dedup;
    CHECK(dedup.accept('1', DigitRoute::rfc4733, 0));
    CHECK(dedup.accept('2', DigitRoute::inband, 10'000));
    CHECK(dedup.accept('3', DigitRoute::sip_info, 20'000));
    CHECK_FALSE(dedup.accept('2', DigitRoute::rfc4733, 30'000));
}

SCENARIO("a flood of digits and a clock that jumps keep memory bounded", "[dtmf][dedup]") {
    DigitDeduplicator dedup(200'000);
    int accepted = 0;
    for (int i = 0; i < 1000; ++i)
        accepted += dedup.accept(char('0' + i % 10), DigitRoute::rfc4733, i * 1'000);
    CHECK(accepted == 1000);
    // A clock far in the past forgets everything rather than matching stale presses.
    CHECK(dedup.accept('9', DigitRoute::inband, -10'000'000));
    CHECK(dedup.accept('9', DigitRoute::inband, 10'000'000));
}
