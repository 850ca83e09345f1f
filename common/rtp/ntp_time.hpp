// NTP timestamps as RTCP carries them: the 64-bit form of a sender report, the 32-bit "compact"
// middle bits that LSR, DLSR and round-trip times use, and conversion from the system clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "common/rtp/rtcp_packet.hpp"

namespace sidebar::rtp {

// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
inline constexpr uint64_t kNtpUnixOffsetSeconds = 2208988800u;
// Compact NTP ticks per second (16.16 fixed point).
inline constexpr uint32_t kCompactNtpPerSecond = 65536;

// The middle 32 bits of a 32.32 NTP timestamp: seconds mod 65536 and 1/65536 fractions.
inline constexpr uint32_t to_compact_ntp(uint64_t ntp) {
    return static_cast<uint32_t>(ntp >> 16);
}

// 32.32 NTP timestamp of a wall-clock instant (for the SR's NTP field).
uint64_t ntp_from_system_clock(std::chrono::system_clock::time_point when);

// Round-trip time of RFC 3550 6.4.1, A - LSR - DLSR in compact NTP units, for a report block
// that arrived at `arrival` (compact NTP of the local clock that stamped our SR). nullopt when
// the block carries no LSR (the peer has not had an SR from us yet) or the result would be
// negative (clock trouble or a bogus block).
std::optional<uint32_t> round_trip_time(const ReportBlock& block, uint32_t arrival);

}  // namespace sidebar::rtp
