// NTP time conversion and RTT.
#include "common/rtp/ntp_time.hpp"

namespace sidebar::rtp {

uint64_t ntp_from_system_clock(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto since_unix = duration_cast<nanoseconds>(when.time_since_epoch());
    const auto seconds = floor<std::chrono::seconds>(since_unix);
    const auto nanos = static_cast<uint64_t>((since_unix - seconds).count());
    const uint64_t ntp_seconds = static_cast<uint64_t>(seconds.count()) + kNtpUnixOffsetSeconds;
    const uint64_t fraction = (nanos << 32) / 1000000000u;
    return (ntp_seconds << 32) | fraction;
}

std::optional<uint32_t> round_trip_time(const ReportBlock& block, uint32_t arrival) {
    if (block.last_sr == 0) return std::nullopt;
    // Modular arithmetic: compact NTP wraps every 18 hours.
    const uint32_t rtt = arrival - block.last_sr - block.delay_since_last_sr;
    if (rtt > 0x80000000u) return std::nullopt;
    return rtt;
}

}  // namespace sidebar::rtp
