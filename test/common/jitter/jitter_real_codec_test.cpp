// The media receive path as the services will assemble it: a real encoder, a lossy and jittery
// network, the jitter buffer, a real decoder, and the Goertzel meter on what comes out. The other
// jitter tests use a test decoder to see exactly where concealment went; this one checks that
// the modules fit together and the tone a caller sent is the tone the mixer gets.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/tone.hpp"
#include "common/codec/codec.hpp"
#include "common/jitter/jitter_playout.hpp"

namespace {

using sidebar::codec::kFrameSamples;
using sidebar::codec::Kind;

struct Sent {
    uint16_t seq;
    uint32_t timestamp;
    int64_t arrival_us;
    std::vector<uint8_t> payload;
};

struct Received {
    std::vector<int16_t> audio;
    sidebar::jitter::PlayoutStats playout;
    sidebar::jitter::JitterStats buffer;
    int dropped = 0;
};

// Sends `frames` 20 ms frames of a 1 kHz tone at -10 dBFS, delayed 0..40 ms at random and 3 %
// dropped (never the first 10), and plays them out on a 20 ms clock.
Received send_through_network(Kind kind, int frames, uint32_t seed) {
    auto encoder = sidebar::codec::make_encoder(kind);
    auto decoder = sidebar::codec::make_decoder(kind);
    auto tone = sidebar::audio::ToneGenerator::sine(1000.0, -10.0);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int64_t> jitter_us(0, 40'000);
    std::uniform_int_distribution<int> percent(0, 99);

    Received result;
    std::vector<Sent> network;
    std::vector<int16_t> pcm(kFrameSamples);
    std::vector<uint8_t> payload(sidebar::codec::kMaxPayloadBytes);
    for (int i = 0; i < frames; ++i) {
        tone.fill(pcm);
        auto bytes = encoder->encode(pcm, payload);
        REQUIRE(bytes.ok());
        if (i >= 10 && percent(rng) < 3) {
            ++result.dropped;
            continue;
        }
        network.push_back(Sent{static_cast<uint16_t>(40000 + i),
                               static_cast<uint32_t>(i) * encoder->timestamp_step(),
                               int64_t{i} * 20'000 + jitter_us(rng),
                               {payload.begin(), payload.begin() + long(*bytes)}});
    }

    auto playout = sidebar::jitter::JitterPlayout::create(*decoder);
    REQUIRE(playout.ok());
    std::array<int16_t, kFrameSamples> frame{};
    std::size_t next = 0;
    std::sort(network.begin(), network.end(),
              [](const Sent& a, const Sent& b) { return a.arrival_us < b.arrival_us; });
    for (int64_t now = 0; now < int64_t{frames + 20} * 20'000; now += 20'000) {
        for (; next < network.size() && network[next].arrival_us <= now; ++next) {
            const Sent& p = network[next];
            playout->put({0x5eed, p.seq, p.timestamp, false, p.payload, p.arrival_us, 0});
        }
        if (playout->pull(now, frame)) {
            result.audio.insert(result.audio.end(), frame.begin(), frame.end());
        }
    }
    result.playout = playout->stats();
    result.buffer = playout->buffer().stats();
    return result;
}

}  // namespace

SCENARIO("a tone sent over a lossy, jittery network arrives at its level", "[jitter][codec]") {
    for (Kind kind : {Kind::pcmu, Kind::pcma, Kind::g722, Kind::opus}) {
        GIVEN(std::string(sidebar::codec::to_string(kind)) + " for 10 s") {
            const Received got = send_through_network(kind, 500, 7);
            REQUIRE(got.dropped > 5);
            // Everything sent was played or concealed; nothing came too late at this jitter.
            CHECK(got.buffer.late == 0);
            CHECK(got.playout.concealed + got.playout.fec_recovered >= uint64_t(got.dropped));
            REQUIRE(got.audio.size() >= 450 * kFrameSamples);

            // Skip the start (buffering, codec warm-up); measure 8 s.
            const std::span<const int16_t> window(got.audio.data() + 25 * kFrameSamples,
                                                  400 * kFrameSamples);
            const auto levels = sidebar::audio::tone_levels(window, sidebar::codec::kInternalRate,
                                                            {1000.0, 1570.0, 2870.0});
            CHECK(levels[0] == Approx(-10.0).margin(1.5));
            // Concealment must repeat the tone, not smear it into other frequencies.
            CHECK(levels[1] < levels[0] - 35.0);
            CHECK(levels[2] < levels[0] - 35.0);
        }
    }
}
