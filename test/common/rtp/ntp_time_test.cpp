// NTP time conversion and the round-trip time of RFC 3550 6.4.1's worked example.
#include "common/rtp/ntp_time.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::rtp;

SCENARIO("system clock instants convert to NTP", "[rtp][ntp]") {
    using namespace std::chrono;
    const system_clock::time_point unix_epoch{};
    CHECK(ntp_from_system_clock(unix_epoch) == kNtpUnixOffsetSeconds << 32);
    CHECK(ntp_from_system_clock(unix_epoch + milliseconds(1500)) ==
          ((kNtpUnixOffsetSeconds + 1) << 32 | 0x80000000u));
    CHECK(to_compact_ntp(0xE8F0A1B2C3D4E5F6ull) == 0xA1B2C3D4);
}

SCENARIO("round-trip time matches RFC 3550's example", "[rtp][ntp]") {
    // RFC 3550 6.4.1: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 -> 0x0006:2000.
    ReportBlock block;
    block.last_sr = 0xB7052000;
    block.delay_since_last_sr = 0x00054000;
    CHECK(round_trip_time(block, 0xB7108000) == 0x00062000u);
    // 6.125 s
    CHECK(double(*round_trip_time(block, 0xB7108000)) / kCompactNtpPerSecond == 6.125);
    WHEN("the block has no LSR") {
        block.last_sr = 0;
        CHECK_FALSE(round_trip_time(block, 0xB7108000).has_value());
    }
    WHEN("the delay claims more than elapsed") {
        block.delay_since_last_sr = 0x000C0000;
        CHECK_FALSE(round_trip_time(block, 0xB7108000).has_value());
    }
}
