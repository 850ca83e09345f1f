// Samples the mixer process from outside: CPU time and RSS from /proc/<pid>, its tick counters
// and tick-time histogram from the admin /metrics page (Prometheus text), and a room's members
// from GET /rooms/<n> (the sidebar mode needs their numbers to REFER them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sidebar::loadgen {

struct MixerSample {
    double cpu_seconds = 0;  // utime + stime
    double rss_kb = 0;       // VmRSS
    double ticks = 0;
    double late_ticks = 0;
    std::map<double, double> tick_buckets;  // le (seconds) -> cumulative count
    double wall_seconds = 0;                // steady clock when sampled
    bool metrics_ok = false;
};

// Reads /proc/<pid>/stat and /proc/<pid>/status (CPU time from the process CPU clock when it
// can be read: nanoseconds, not jiffies); nullopt if the process is gone.
std::optional<MixerSample> sample_process(int pid);
// Adds the counters of GET http://127.0.0.1:<port>/metrics to `sample` (metrics_ok says if it
// worked). The answer is read up to 1 MB within 2 s.
void sample_metrics(uint16_t admin_port, MixerSample& sample);

struct RoomMember {
    uint32_t number = 0;   // member=<room>.<number>
    uint32_t sidebar = 0;  // 0 = the main room
    std::string call_id;
};
// The members of `room` from GET http://127.0.0.1:<port>/rooms/<room>; empty when the mixer
// did not answer or the room is unknown.
std::vector<RoomMember> room_members(uint16_t admin_port, const std::string& room);

// Quantile q of the tick time between two samples, from the histogram's bucket deltas (the
// bucket's upper bound, in microseconds); 0 when there were no ticks.
double tick_quantile_us(const MixerSample& before, const MixerSample& after, double q);

}  // namespace sidebar::loadgen
