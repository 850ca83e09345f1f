// A deterministic simulated network for the jitter tests: a sender that stamps packets as RTP
// would, a network that delays, drops, duplicates and reorders them by a fixed-seed rule, and a
// receiver loop that delivers arrivals and pulls the buffer every 20 ms on simulated time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "common/jitter/jitter_buffer.hpp"

namespace sidebar::jitter::test {

struct SimPacket {
    uint32_t index = 0;  // position in the sent stream, also written into the payload
    uint32_t ssrc = 0x11223344;
    uint16_t seq = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    uint32_t duration = 0;
    int64_t send_us = 0;
    int64_t arrival_us = 0;
    std::vector<uint8_t> payload;
};

struct StreamSpec {
    int clock_rate = 8000;
    int ptime_ms = 20;
    int packets = 500;
    uint16_t first_seq = 1000;
    uint32_t first_ts = 5000;
    // Sender clock error: 0.01 sends 1 % fast (timestamps run ahead of real time).
    double clock_skew = 0.0;
    bool tell_duration = false;  // fill IncomingPacket::duration
    std::size_t payload_bytes = 160;
};

inline uint32_t payload_index(std::span<const uint8_t> payload) {
    if (payload.size() < 4) return UINT32_MAX;
    return uint32_t{payload[0]} << 24 | uint32_t{payload[1]} << 16 | uint32_t{payload[2]} << 8 |
           uint32_t{payload[3]};
}

inline std::vector<SimPacket> make_stream(const StreamSpec& spec) {
    std::vector<SimPacket> out;
    const uint32_t step = static_cast<uint32_t>(spec.clock_rate / 1000 * spec.ptime_ms);
    for (int i = 0; i < spec.packets; ++i) {
        SimPacket p;
        p.index = static_cast<uint32_t>(i);
        p.seq = static_cast<uint16_t>(spec.first_seq + i);
        p.timestamp = spec.first_ts + static_cast<uint32_t>(i) * step;
        p.marker = i == 0;
        p.duration = spec.tell_duration ? step : 0;
        p.send_us =
            static_cast<int64_t>(double(i) * spec.ptime_ms * 1000.0 / (1.0 + spec.clock_skew));
        p.arrival_us = p.send_us;
        p.payload.assign(std::max<std::size_t>(spec.payload_bytes, 4), 0x55);
        p.payload[0] = uint8_t(p.index >> 24);
        p.payload[1] = uint8_t(p.index >> 16);
        p.payload[2] = uint8_t(p.index >> 8);
        p.payload[3] = uint8_t(p.index);
        out.push_back(std::move(p));
    }
    return out;
}

// Network delay per packet (index, rng) -> microseconds added to the send time.
using DelayRule = std::function<int64_t(const SimPacket&, std::mt19937&)>;

inline DelayRule constant_delay(int64_t us) {
    return [us](const SimPacket&, std::mt19937&) { return us; };
}

struct NetworkSpec {
    DelayRule delay = constant_delay(50'000);
    double loss = 0.0;       // probability a packet is dropped
    double duplicate = 0.0;  // probability a packet arrives twice (the copy 5 ms later)
    uint32_t seed = 1;
};

struct NetworkResult {
    std::vector<SimPacket> arrivals;  // in arrival order
    std::vector<uint32_t> dropped;    // indices of dropped packets
    int duplicates = 0;
};

inline NetworkResult transmit(const std::vector<SimPacket>& sent, const NetworkSpec& spec) {
    NetworkResult r;
    std::mt19937 rng(spec.seed);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    for (const SimPacket& p : sent) {
        if (coin(rng) < spec.loss) {
            r.dropped.push_back(p.index);
            continue;
        }
        SimPacket q = p;
        q.arrival_us = p.send_us + spec.delay(p, rng);
        r.arrivals.push_back(q);
        if (coin(rng) < spec.duplicate) {
            q.arrival_us += 5'000;
            r.arrivals.push_back(q);
            ++r.duplicates;
        }
    }
    std::stable_sort(
        r.arrivals.begin(), r.arrivals.end(),
        [](const SimPacket& a, const SimPacket& b) { return a.arrival_us < b.arrival_us; });
    return r;
}

inline IncomingPacket incoming(const SimPacket& p) {
    return IncomingPacket{p.ssrc,    p.seq,        p.timestamp, p.marker,
                          p.payload, p.arrival_us, p.duration};
}

struct RunResult {
    std::vector<uint32_t> played;  // payload indices in play order
    std::vector<uint32_t> durations;
    int max_delay_ms = 0;  // the largest current delay seen after warm-up
    int min_delay_ms = 1 << 30;
    int max_target_ms = 0;
    std::size_t max_buffered = 0;
    int pulls_started = 0;
};

// Pulls every 20 ms from `start_us` (phase offset from the sender) to `end_us`, delivering every
// arrival due before each pull. `warmup_us` excludes the start from the delay extremes.
// `next` is the first arrival not yet delivered, so a test can run a stream in stages.
inline RunResult run(JitterBuffer& jb, const std::vector<SimPacket>& arrivals, std::size_t& next,
                     int64_t start_us, int64_t end_us, int64_t warmup_us = 2'000'000) {
    RunResult r;
    for (int64_t now = start_us; now < end_us; now += 20'000) {
        while (next < arrivals.size() && arrivals[next].arrival_us <= now) {
            (void)jb.put(incoming(arrivals[next]));
            ++next;
        }
        const PlayoutFrame& frame = jb.get(now);
        if (frame.started) ++r.pulls_started;
        for (const PlayoutUnit& unit : frame.units()) {
            if (unit.kind != UnitKind::payload) continue;
            r.played.push_back(payload_index(unit.payload));
            r.durations.push_back(unit.duration);
        }
        const JitterStats s = jb.stats();
        r.max_target_ms = std::max(r.max_target_ms, s.target_delay_ms);
        r.max_buffered = std::max(r.max_buffered, s.buffered_packets);
        if (now - start_us >= warmup_us && !frame.units().empty() &&
            frame.units()[0].kind == UnitKind::payload) {
            r.max_delay_ms = std::max(r.max_delay_ms, s.current_delay_ms);
            r.min_delay_ms = std::min(r.min_delay_ms, s.current_delay_ms);
        }
    }
    return r;
}

inline RunResult run(JitterBuffer& jb, const std::vector<SimPacket>& arrivals, int64_t start_us,
                     int64_t end_us, int64_t warmup_us = 2'000'000) {
    std::size_t next = 0;
    return run(jb, arrivals, next, start_us, end_us, warmup_us);
}

inline bool strictly_increasing(const std::vector<uint32_t>& v) {
    return std::adjacent_find(v.begin(), v.end(), [](uint32_t a, uint32_t b) { return a >= b; }) ==
           v.end();
}

}  // namespace sidebar::jitter::test
