// JitterBuffer on simulated networks with fixed seeds: order, loss, duplicates, late packets,
// packet sizes and wrap-around.
#include "common/jitter/jitter_buffer.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "test/common/jitter/network_sim.hpp"

using namespace sidebar::jitter;
using namespace sidebar::jitter::test;

namespace {

JitterBuffer make_buffer(JitterConfig config = {}) {
    auto jb = JitterBuffer::create(config);
    REQUIRE(jb.ok());
    return std::move(jb).value();
}

std::vector<uint32_t> all_but(int n, const std::vector<uint32_t>& missing) {
    const std::set<uint32_t> gone(missing.begin(), missing.end());
    std::vector<uint32_t> out;
    for (int i = 0; i < n; ++i)
        if (!gone.count(uint32_t(i))) out.push_back(uint32_t(i));
    return out;
}

std::vector<uint32_t> iota(int n) {
    return all_but(n, {});
}

}  // namespace

SCENARIO("an in-order stream with constant delay plays every packet at the minimum delay",
         "[jitter]") {
    GIVEN("500 packets of 20 ms over a network with a constant 50 ms delay") {
        JitterBuffer jb = make_buffer();
        const auto net = transmit(make_stream({}), {});
        WHEN("the mixer pulls every 20 ms, out of phase with the sender") {
            const RunResult r = run(jb, net.arrivals, 7'000, 12'000'000);
            THEN("every packet plays once, in order, and nothing is concealed") {
                CHECK(r.played == iota(500));
                const JitterStats s = jb.stats();
                CHECK(s.received == 500);
                CHECK(s.played == 500);
                CHECK(s.lost == 0);
                CHECK(s.late == 0);
                CHECK(s.duplicates == 0);
                CHECK(s.skipped == 0);
                CHECK(s.inserted == 0);
            }
            THEN("the delay sits at the configured minimum") {
                CHECK(jb.stats().target_delay_ms == 40);
                CHECK(r.min_delay_ms >= 30);
                CHECK(r.max_delay_ms <= 60);
            }
        }
    }
    GIVEN("a buffer that has received nothing") {
        JitterBuffer jb = make_buffer();
        THEN("it reports not started, with no units") {
            const PlayoutFrame& f = jb.get(0);
            CHECK_FALSE(f.started);
            CHECK(f.units().empty());
        }
    }
}

SCENARIO("packets reordered within the delay window all play, in order", "[jitter]") {
    JitterBuffer jb = make_buffer();
    // One packet in five takes 30 ms longer and so arrives after its successor.
    NetworkSpec spec;
    spec.delay = [](const SimPacket& p, std::mt19937&) -> int64_t {
        return p.index % 5 == 2 ? 80'000 : 50'000;
    };
    const auto net = transmit(make_stream({}), spec);
    const RunResult r = run(jb, net.arrivals, 3'000, 12'000'000);
    CHECK(r.played == iota(500));
    CHECK(jb.stats().lost == 0);
    CHECK(jb.stats().late == 0);
}

SCENARIO("duplicated packets are dropped and counted", "[jitter]") {
    JitterBuffer jb = make_buffer();
    NetworkSpec spec;
    spec.duplicate = 0.1;
    spec.seed = 7;
    const auto net = transmit(make_stream({}), spec);
    REQUIRE(net.duplicates > 20);
    const RunResult r = run(jb, net.arrivals, 3'000, 12'000'000);
    CHECK(r.played == iota(500));
    CHECK(jb.stats().duplicates == uint64_t(net.duplicates));
    CHECK(jb.stats().received == 500 + uint64_t(net.duplicates));
}

SCENARIO("random loss of 5 % is concealed packet for packet", "[jitter]") {
    JitterBuffer jb = make_buffer();
    NetworkSpec spec;
    spec.loss = 0.05;
    spec.seed = 42;
    const auto net = transmit(make_stream({.packets = 2000}), spec);
    REQUIRE(net.dropped.size() > 60);
    REQUIRE(net.dropped.back() < 1999);  // the last packet arrives, so every hole is seen
    const RunResult r = run(jb, net.arrivals, 3'000, 45'000'000);
    CHECK(r.played == all_but(2000, net.dropped));
    CHECK(jb.stats().lost == net.dropped.size());
    CHECK(jb.stats().late == 0);
}

SCENARIO("packets that arrive after their play time are dropped and counted as late", "[jitter]") {
    JitterBuffer jb = make_buffer();
    const std::set<uint32_t> stragglers = {100, 250, 400};
    NetworkSpec spec;
    spec.delay = [&](const SimPacket& p, std::mt19937&) -> int64_t {
        return stragglers.count(p.index) ? 450'000 : 50'000;
    };
    const auto net = transmit(make_stream({}), spec);
    const RunResult r = run(jb, net.arrivals, 3'000, 12'000'000);
    CHECK(r.played == all_but(500, {100, 250, 400}));
    CHECK(jb.stats().late == 3);
    CHECK(jb.stats().lost == 3);
    CHECK(jb.stats().target_delay_ms <= 200);
}

SCENARIO("40 and 60 ms packets play whole, one payload covering several pulls", "[jitter]") {
    for (int ptime : {10, 40, 60}) {
        for (bool told : {false, true}) {
            DYNAMIC_SECTION("ptime " << ptime << " ms, duration "
                                     << (told ? "given" : "inferred")) {
                JitterBuffer jb = make_buffer();
                const int packets = 6000 / ptime * 2;  // 12 s
                const auto sent =
                    make_stream({.ptime_ms = ptime, .packets = packets, .tell_duration = told});
                const auto net = transmit(sent, {});
                const RunResult r = run(jb, net.arrivals, 3'000, 14'000'000);
                CHECK(r.played == iota(packets));
                // Without a decoder to correct it, the first packet's length is a guess when
                // its successor is not yet there; from the second packet on it is known.
                REQUIRE(r.durations.size() > 1);
                for (std::size_t i = told ? 0 : 1; i < r.durations.size(); ++i)
                    CHECK(r.durations[i] == uint32_t(8 * ptime));
                // A guessed first packet leaves a hole the buffer conceals (the playout's decoder
                // corrects the guess, see jitter_playout_test.cpp).
                CHECK(jb.stats().lost <= (told || ptime <= 20 ? 0u : uint64_t(ptime / 20 - 1)));
                CHECK(jb.stats().late == 0);
                CHECK(jb.stats().skipped == 0);
            }
        }
    }
}

SCENARIO("sequence numbers and timestamps that wrap keep playing in order", "[jitter]") {
    GIVEN("a stream that starts just before both counters wrap") {
        for (int clock : {8000, 48000}) {
            JitterBuffer jb = make_buffer({.clock_rate = clock});
            const auto sent = make_stream(
                {.clock_rate = clock, .packets = 800, .first_seq = 65200, .first_ts = 0xFFFF0000u});
            NetworkSpec spec;
            spec.loss = 0.02;
            spec.seed = 3;
            const auto net = transmit(sent, spec);
            const RunResult r = run(jb, net.arrivals, 3'000, 20'000'000);
            CHECK(r.played == all_but(800, net.dropped));
            CHECK(jb.stats().lost == net.dropped.size());
            CHECK(jb.stats().resyncs == 0);
        }
    }
}

SCENARIO("silence suppression: a talkspurt after a pause starts without counting loss",
         "[jitter]") {
    JitterBuffer jb = make_buffer();
    auto sent = make_stream({.packets = 400});
    // Packets 100..199 are not sent (a 2 s pause); 200 starts a new talkspurt. Sequence numbers
    // stay consecutive across the pause, timestamps jump, as RFC 3551 senders do.
    std::vector<SimPacket> talk;
    for (SimPacket p : sent) {
        if (p.index >= 100 && p.index < 200) continue;
        if (p.index >= 200) p.seq = static_cast<uint16_t>(p.seq - 100);
        p.marker = p.index == 0 || p.index == 200;
        talk.push_back(p);
    }
    const auto net = transmit(talk, {});
    const RunResult r = run(jb, net.arrivals, 3'000, 10'000'000);
    CHECK(r.played.size() == 300);
    CHECK(strictly_increasing(r.played));
    CHECK(jb.stats().lost == 0);
    CHECK(jb.stats().late == 0);
    CHECK(jb.stats().underruns > 50);  // the pause itself
}

SCENARIO("an SSRC change or a big jump restarts the stream", "[jitter]") {
    JitterBuffer jb = make_buffer();
    auto first = make_stream({.packets = 100});
    auto second = make_stream({.packets = 100, .first_seq = 30000, .first_ts = 123456789});
    for (SimPacket& p : second) {
        p.index += 100;
        p.payload[3] = uint8_t(p.index);
        p.send_us += 2'000'000;
        p.arrival_us = p.send_us;
    }
    WHEN("the sender restarts with a new SSRC, sequence and timestamp base") {
        for (SimPacket& p : second)
            p.ssrc = 0x55667788;
        std::vector<SimPacket> both = first;
        both.insert(both.end(), second.begin(), second.end());
        const auto net = transmit(both, {});
        const RunResult r = run(jb, net.arrivals, 3'000, 5'000'000);
        THEN("both streams play, less what the old one still held, and one resync is counted") {
            CHECK(r.played.size() + jb.stats().skipped == 200);
            CHECK(r.played.size() >= 196);
            CHECK(strictly_increasing(r.played));
            CHECK(jb.stats().resyncs == 1);
            CHECK(jb.stats().late == 0);
        }
    }
    WHEN("the same SSRC jumps 29000 sequence numbers") {
        std::vector<SimPacket> both = first;
        both.insert(both.end(), second.begin(), second.end());
        const auto net = transmit(both, {});
        const RunResult r = run(jb, net.arrivals, 3'000, 5'000'000);
        THEN("the jump is a resync, not 29000 lost packets") {
            CHECK(r.played.size() + jb.stats().skipped == 200);
            CHECK(jb.stats().resyncs == 1);
            CHECK(jb.stats().lost == 0);
        }
    }
}
