// JitterBuffer adaptation and robustness: the target delay follows jitter within its bounds, a
// drifting sender clock keeps the delay bounded, floods are bounded, hostile packets are safe.
#include <catch2/catch.hpp>
#include <random>

#include "common/jitter/jitter_buffer.hpp"
#include "test/common/jitter/network_sim.hpp"

using namespace sidebar::jitter;
using namespace sidebar::jitter::test;

namespace {

JitterBuffer make_buffer(JitterConfig config = {}) {
    auto jb = JitterBuffer::create(config);
    REQUIRE(jb.ok());
    return std::move(jb).value();
}

}  // namespace

SCENARIO("bursty jitter raises the target delay within its bounds, calm lowers it again",
         "[jitter]") {
    JitterBuffer jb = make_buffer();
    // 0-10 s calm, 10-20 s up to 120 ms of extra delay per packet, 20-60 s calm again.
    NetworkSpec spec;
    spec.seed = 11;
    spec.delay = [](const SimPacket& p, std::mt19937& rng) -> int64_t {
        if (p.send_us < 10'000'000 || p.send_us >= 20'000'000) return 30'000;
        return 30'000 + std::uniform_int_distribution<int64_t>(0, 120'000)(rng);
    };
    const auto net = transmit(make_stream({.packets = 3000}), spec);
    std::size_t next = 0;
    const RunResult r1 = run(jb, net.arrivals, next, 5'000, 10'005'000);
    CHECK(jb.stats().target_delay_ms == 40);
    const RunResult r2 = run(jb, net.arrivals, next, 10'005'000, 20'005'000, 0);
    THEN("the burst drives the target up, never past the maximum") {
        CHECK(r2.max_target_ms >= 120);
        CHECK(r2.max_target_ms <= 200);
        // After the first seconds of adaptation hardly anything arrives too late.
        CHECK(jb.stats().late < 40);
    }
    const uint64_t late_after_burst = jb.stats().late;
    const RunResult r3 = run(jb, net.arrivals, next, 20'005'000, 61'000'000, 0);
    THEN("40 s of calm bring it back to the minimum, with nothing lost on the way") {
        CHECK(jb.stats().target_delay_ms == 40);
        CHECK(jb.stats().current_delay_ms <= 70);
        CHECK(jb.stats().late == late_after_burst);
        CHECK(r1.played.size() + r2.played.size() + r3.played.size() + jb.stats().late +
                  jb.stats().skipped ==
              3000);
    }
}

SCENARIO("a sender clock 1 % fast or slow over 60 s keeps the delay bounded", "[jitter]") {
    for (double skew : {0.01, -0.01}) {
        DYNAMIC_SECTION("skew " << skew) {
            JitterBuffer jb = make_buffer();
            const auto net = transmit(make_stream({.packets = 3000, .clock_skew = skew}), {});
            const RunResult r = run(jb, net.arrivals, 4'000, 62'000'000);
            CHECK(r.max_delay_ms <= 200);
            CHECK(r.min_delay_ms >= 0);
            CHECK(strictly_increasing(r.played));
            const JitterStats s = jb.stats();
            CHECK(s.late == 0);
            if (skew > 0) {
                // 600 ms too much audio over a minute: dropped a packet at a time.
                CHECK(s.skipped >= 20);
                CHECK(s.skipped <= 40);
                CHECK(r.played.size() + s.skipped == 3000);
            } else {
                // 600 ms too little: filled by concealment.
                CHECK(s.underruns + s.inserted >= 20);
                CHECK(r.played.size() == 3000);
            }
        }
    }
}

SCENARIO("a flood of 10,000 packets at once is bounded and counted", "[jitter]") {
    JitterBuffer jb = make_buffer();
    auto flood = make_stream({.packets = 10000});
    for (SimPacket& p : flood)
        p.arrival_us = 1'000'000;
    for (const SimPacket& p : flood)
        (void)jb.put(incoming(p));
    JitterStats s = jb.stats();
    CHECK(s.buffered_packets == 64);
    CHECK(s.overflow == 10000 - 64);
    THEN("the newest audio is kept and played at no more than the maximum delay") {
        std::vector<uint32_t> played;
        for (int64_t now = 1'000'000; now < 3'000'000; now += 20'000) {
            for (const PlayoutUnit& u : jb.get(now).units())
                if (u.kind == UnitKind::payload) played.push_back(payload_index(u.payload));
        }
        REQUIRE_FALSE(played.empty());
        CHECK(played.front() >= 10000 - 64);
        CHECK(strictly_increasing(played));
        CHECK(jb.stats().current_delay_ms <= 220);
    }
}

SCENARIO("empty, oversized and garbage packets never break the buffer", "[jitter]") {
    JitterBuffer jb = make_buffer();
    const std::vector<uint8_t> big(2000, 1);
    CHECK(jb.put({1, 1, 160, false, {}, 0, 0}) == PutOutcome::invalid);
    CHECK(jb.put({1, 2, 320, false, big, 0, 0}) == PutOutcome::invalid);
    CHECK(jb.stats().invalid == 2);
    CHECK(jb.stats().buffered_packets == 0);

    std::mt19937 rng(99);
    std::vector<uint8_t> bytes(1500);
    int64_t now = 0;
    for (int i = 0; i < 50000; ++i) {
        const std::size_t n = rng() % 1501;
        for (std::size_t k = 0; k < n; ++k)
            bytes[k] = uint8_t(rng());
        IncomingPacket p;
        p.ssrc = rng() % 3;
        p.seq = uint16_t(rng());
        p.timestamp = uint32_t(rng());
        p.marker = rng() % 2;
        p.duration = rng() % 4 == 0 ? uint32_t(rng()) : 0;
        p.payload = std::span<const uint8_t>(bytes.data(), n);
        p.arrival_us = now + int64_t(rng() % 1'000'000) - 500'000;
        (void)jb.put(p);
        if (i % 3 == 0) {
            now += 20'000;
            const PlayoutFrame& f = jb.get(now);
            REQUIRE(f.units().size() <= PlayoutFrame::kMaxUnits);
            for (const PlayoutUnit& u : f.units()) {
                REQUIRE(u.duration <= 480u);
                REQUIRE(u.payload.size() <= 1500u);
            }
            if (i % 300 == 0) {
                const auto units = f.units();
                if (!units.empty()) jb.correct_duration(units.back(), uint32_t(rng()));
            }
        }
        REQUIRE(jb.stats().buffered_packets <= 64);
    }
    const JitterStats s = jb.stats();
    CHECK(s.received == 50002);
    CHECK(s.target_delay_ms >= 40);
    CHECK(s.target_delay_ms <= 200);
}

SCENARIO("a peer that leaps its timestamps forward on every packet stays safe", "[jitter]") {
    for (int clock : {8000, 48000}) {
        JitterBuffer jb = make_buffer({.clock_rate = clock});
        const std::vector<uint8_t> payload(160, 0xFF);
        uint32_t ts = 0;
        for (int i = 0; i < 20000; ++i) {
            ts += 0x7FFFFFFFu;  // the largest forward step the unwrapping accepts
            const int64_t now = int64_t(i) * 20'000;
            (void)jb.put({7, uint16_t(i), ts, i % 7 == 0, payload, now, 0});
            const PlayoutFrame& f = jb.get(now + 10'000);
            REQUIRE(f.units().size() <= PlayoutFrame::kMaxUnits);
        }
        // Extended timestamps are rebased (a resync) long before microseconds could overflow.
        CHECK(jb.stats().resyncs > 0);
        CHECK(jb.stats().buffered_packets <= 64);
    }
}

SCENARIO("a configuration the buffer cannot honour is refused with the reason", "[jitter]") {
    auto bad_rate = JitterBuffer::create({.clock_rate = 44100});
    REQUIRE_FALSE(bad_rate.ok());
    CHECK(bad_rate.message().find("clock_rate") != std::string::npos);
    auto bad_delay = JitterBuffer::create({.min_delay_ms = 300, .max_delay_ms = 200});
    REQUIRE_FALSE(bad_delay.ok());
    CHECK(bad_delay.message().find("min_delay_ms") != std::string::npos);
    auto bad_capacity = JitterBuffer::create({.capacity = 0});
    REQUIRE_FALSE(bad_capacity.ok());
    CHECK(bad_capacity.message().find("capacity") != std::string::npos);
    CHECK(
        JitterBuffer::create({.clock_rate = 48000, .min_delay_ms = 20, .max_delay_ms = 400}).ok());
}

SCENARIO("a buffer sized for a codec's largest packet refuses larger ones", "[jitter]") {
    JitterConfig config;
    config.max_payload_bytes = 480;  // what the mixer gives a G.711 stream: 60 ms
    JitterBuffer jb = make_buffer(config);
    const std::vector<uint8_t> fits(480, 0xff);
    const std::vector<uint8_t> too_big(481, 0xff);
    CHECK(jb.put({1, 1, 160, false, fits, 0, 0}) == PutOutcome::accepted);
    CHECK(jb.put({1, 2, 640, false, too_big, 20000, 0}) == PutOutcome::invalid);
    CHECK(jb.stats().invalid == 1);
    CHECK(jb.stats().buffered_packets == 1);

    JitterConfig zero;
    zero.max_payload_bytes = 0;
    CHECK_FALSE(JitterBuffer::create(zero));
    JitterConfig huge;
    huge.max_payload_bytes = 1501;
    auto refused = JitterBuffer::create(huge);
    REQUIRE_FALSE(refused);
    CHECK(refused.message().find("max_payload_bytes") != std::string::npos);
}
