// JitterPlayout with a test codec: exactly 320 samples per pull, decoded, recovered from FEC or
// concealed where each belongs, for every packet size.
#include "common/jitter/jitter_playout.hpp"

#include <catch2/catch.hpp>

#include "test/common/jitter/test_decoder.hpp"

using namespace sidebar::jitter;
using namespace sidebar::jitter::test;

namespace {

struct Sent {
    uint16_t seq;
    uint32_t ts;
    std::vector<uint8_t> payload;
    int64_t arrival_us;
};

// Packets of `ptime` ms whose samples are 1, 2, 3, ... per packet, sent from t = 0 and
// arriving 30 ms later; indices in `drop` are lost, in `corrupt` get an odd length.
std::vector<Sent> stream(int ptime, int count, std::vector<int> drop = {},
                         std::vector<int> corrupt = {}) {
    std::vector<Sent> out;
    for (int i = 0; i < count; ++i) {
        if (std::find(drop.begin(), drop.end(), i) != drop.end()) continue;
        Sent s{uint16_t(100 + i), uint32_t(8 * ptime * i), test_payload(ptime, int16_t(i + 1)),
               int64_t(i) * ptime * 1000 + 30'000};
        if (std::find(corrupt.begin(), corrupt.end(), i) != corrupt.end()) s.payload.pop_back();
        out.push_back(std::move(s));
    }
    return out;
}

// Runs the playout until `end_us` and returns each started pull's 320 samples.
std::vector<std::vector<int16_t>> play(JitterPlayout& playout, const std::vector<Sent>& packets,
                                       int64_t end_us) {
    std::vector<std::vector<int16_t>> frames;
    std::size_t next = 0;
    for (int64_t now = 5'000; now < end_us; now += 20'000) {
        while (next < packets.size() && packets[next].arrival_us <= now) {
            const Sent& s = packets[next++];
            IncomingPacket p;
            p.seq = s.seq;
            p.timestamp = s.ts;
            p.payload = s.payload;
            p.arrival_us = s.arrival_us;
            (void)playout.put(p);
        }
        std::array<int16_t, sidebar::codec::kFrameSamples> out{};
        if (playout.pull(now, out)) frames.emplace_back(out.begin(), out.end());
    }
    return frames;
}

bool constant(const std::vector<int16_t>& frame, int16_t value) {
    return std::all_of(frame.begin(), frame.end(), [&](int16_t v) { return v == value; });
}

JitterPlayout make_playout(TestDecoder& decoder) {
    auto p = JitterPlayout::create(decoder);
    REQUIRE(p.ok());
    return std::move(p).value();
}

}  // namespace

SCENARIO("each pull gives exactly one 20 ms frame of the right packet", "[jitter][playout]") {
    TestDecoder decoder;
    JitterPlayout playout = make_playout(decoder);
    GIVEN("nothing received yet") {
        std::array<int16_t, 320> out;
        out.fill(123);
        CHECK_FALSE(playout.pull(0, out));
        CHECK(constant({out.begin(), out.end()}, 0));
    }
    GIVEN("100 packets of 20 ms") {
        const auto frames = play(playout, stream(20, 100), 2'500'000);
        REQUIRE(frames.size() >= 100);
        for (int i = 0; i < 100; ++i)
            CHECK(constant(frames[std::size_t(i)], int16_t(i + 1)));
        CHECK(playout.stats().decoded == 100);
        CHECK(playout.stats().decode_errors == 0);
    }
}

SCENARIO("10, 40 and 60 ms packets are cut into 20 ms frames without gaps", "[jitter][playout]") {
    for (int ptime : {10, 40, 60}) {
        DYNAMIC_SECTION("ptime " << ptime) {
            TestDecoder decoder;
            JitterPlayout playout = make_playout(decoder);
            const int count = 2400 / ptime;
            const auto frames = play(playout, stream(ptime, count), 3'000'000);
            REQUIRE(frames.size() >= 120);
            // Sample k of the stream (at 16 kHz) belongs to packet k / (16 * ptime).
            const std::size_t per_packet = std::size_t(16 * ptime);
            for (std::size_t f = 0; f < 120; ++f) {
                for (std::size_t k = 0; k < 320; k += 80) {
                    const std::size_t sample = f * 320 + k;
                    CHECK(frames[f][k] == int16_t(sample / per_packet + 1));
                }
            }
            CHECK(playout.buffer().stats().lost == 0);
            // Concealment only once the stream has ended.
            for (std::size_t f = 120; f < frames.size(); ++f)
                CHECK(constant(frames[f], TestDecoder::kConcealed));
            CHECK(playout.stats().concealed == frames.size() - 120);
        }
    }
}

SCENARIO("a lost packet is concealed, or recovered when the codec has FEC", "[jitter][playout]") {
    WHEN("the codec has no FEC") {
        TestDecoder decoder(false);
        JitterPlayout playout = make_playout(decoder);
        const auto frames = play(playout, stream(20, 50, {10, 30}), 1'500'000);
        REQUIRE(frames.size() >= 50);
        CHECK(constant(frames[10], TestDecoder::kConcealed));
        CHECK(constant(frames[30], TestDecoder::kConcealed));
        CHECK(constant(frames[11], 12));
        CHECK(playout.buffer().stats().lost == 2);
        CHECK(playout.stats().fec_recovered == 0);
    }
    WHEN("the codec rebuilds the lost frame from the next packet") {
        TestDecoder decoder(true);
        JitterPlayout playout = make_playout(decoder);
        const auto frames = play(playout, stream(20, 50, {10}), 1'500'000);
        REQUIRE(frames.size() >= 50);
        CHECK(constant(frames[10], TestDecoder::kRecovered));
        CHECK(constant(frames[11], 12));
        CHECK(playout.stats().fec_recovered == 1);
    }
}

SCENARIO("a payload the decoder refuses is counted and concealed", "[jitter][playout]") {
    TestDecoder decoder;
    JitterPlayout playout = make_playout(decoder);
    const auto frames = play(playout, stream(20, 40, {}, {5, 6}), 1'200'000);
    REQUIRE(frames.size() >= 40);
    CHECK(constant(frames[5], TestDecoder::kConcealed));
    CHECK(constant(frames[6], TestDecoder::kConcealed));
    CHECK(constant(frames[7], 8));
    CHECK(playout.stats().decode_errors == 2);
    CHECK(playout.stats().decoded == 38);
}

SCENARIO("garbage payloads through the playout never crash and keep the frame size",
         "[jitter][playout]") {
    TestDecoder decoder(true);
    JitterPlayout playout = make_playout(decoder);
    std::mt19937 rng(5);
    std::vector<uint8_t> bytes(1500);
    for (int i = 0; i < 20000; ++i) {
        const std::size_t n = rng() % 1501;
        for (std::size_t k = 0; k < n; ++k)
            bytes[k] = uint8_t(rng());
        IncomingPacket p;
        p.seq = uint16_t(i + (rng() % 8));
        p.timestamp = uint32_t(i * 160 + (rng() % 400));
        p.marker = rng() % 50 == 0;
        p.payload = std::span<const uint8_t>(bytes.data(), n);
        p.arrival_us = int64_t(i) * 20'000 + int64_t(rng() % 100'000);
        (void)playout.put(p);
        std::array<int16_t, 320> out;
        (void)playout.pull(int64_t(i) * 20'000 + 10'000, out);
    }
    const auto& s = playout.stats();
    CHECK(s.decoded + s.decode_errors == playout.buffer().stats().played);
    CHECK(s.decode_errors > 0);
}
