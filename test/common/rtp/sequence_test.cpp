// Sequence number and timestamp unwrapping across wraps and reordering.
#include "common/rtp/sequence.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace sidebar::rtp;

SCENARIO("sequence numbers unwrap across 65535 -> 0", "[rtp][sequence]") {
    SequenceUnwrapper u;
    CHECK_FALSE(u.last().has_value());
    CHECK(u.unwrap(65533) == 65533);
    CHECK(u.unwrap(65534) == 65534);
    CHECK(u.unwrap(65535) == 65535);
    CHECK(u.unwrap(0) == 65536);
    CHECK(u.unwrap(1) == 65537);
    CHECK(u.last() == 65537);
    WHEN("it keeps going for several wraps") {
        int64_t expected = 65537;
        for (int i = 0; i < 5 * 65536; ++i) {
            ++expected;
            REQUIRE(u.unwrap(static_cast<uint16_t>(expected)) == expected);
        }
        CHECK(u.last() == 65537 + 5 * 65536);
    }
}

SCENARIO("packets reordered around the wrap land in order", "[rtp][sequence]") {
    SequenceUnwrapper u;
    // Arrival order 65534, 0, 65535, 2, 1: the late 65535 must unwrap below 0's 65536.
    CHECK(u.unwrap(65534) == 65534);
    CHECK(u.unwrap(0) == 65536);
    CHECK(u.unwrap(65535) == 65535);
    CHECK(u.unwrap(2) == 65538);
    CHECK(u.unwrap(1) == 65537);
    WHEN("a packet older than the first arrives") {
        SequenceUnwrapper v;
        CHECK(v.unwrap(0) == 0);
        CHECK(v.unwrap(65535) == -1);  // before the first, across the wrap
        CHECK(v.unwrap(1) == 1);
    }
    WHEN("gaps and duplicates occur") {
        SequenceUnwrapper v;
        CHECK(v.unwrap(100) == 100);
        CHECK(v.unwrap(100) == 100);
        CHECK(v.unwrap(3100) == 3100);
        CHECK(v.unwrap(100) == 100);
        CHECK(v.unwrap(32868) == 32868);  // exactly half the range ahead counts as forward
    }
    WHEN("reset") {
        u.reset();
        CHECK_FALSE(u.last().has_value());
        CHECK(u.unwrap(7) == 7);
    }
}

SCENARIO("RTP timestamps unwrap across 2^32", "[rtp][sequence]") {
    TimestampUnwrapper u;
    CHECK(u.unwrap(0xFFFFFF60u) == 0xFFFFFF60ll);
    CHECK(u.unwrap(0x00000000u) == 0x100000000ll);
    CHECK(u.unwrap(0xFFFFFFA0u) == 0xFFFFFFA0ll);  // reordered back across the wrap
    CHECK(u.unwrap(0x000000A0u) == 0x1000000A0ll);
    // Up to half the range either way is followed in that direction.
    CHECK(u.unwrap(0x800000A0u - 1) == 0x1000000A0ll + 0x7FFFFFFF);
    CHECK(u.unwrap(0x000000A0u) == 0x1000000A0ll);
    u.reset();
    CHECK(u.unwrap(5) == 5);
}
