// EncoderCache: one encoding per (share key, codec) per tick, counted; separate codecs and keys
// encode separately; a new tick re-encodes with the same (stateful) encoder; unused entries are
// collected after 250 ticks; forget() drops a key in every codec.
#include "mixer/room/encoder_cache.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/tone.hpp"

using sidebar::codec::kFrameSamples;
using sidebar::codec::Kind;
using sidebar::mixer::EncodedFrame;
using sidebar::mixer::EncoderCache;

namespace {

using Frame = std::array<int16_t, kFrameSamples>;

Frame tone_frame(double hz, double dbfs) {
    Frame frame{};
    sidebar::audio::ToneGenerator::sine(hz, dbfs).fill(frame);
    return frame;
}

std::vector<uint8_t> bytes(const EncodedFrame& f) {
    return {f.payload.begin(), f.payload.end()};
}

}  // namespace

TEST_CASE("one encoding per key and codec in a tick", "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame pcm = tone_frame(1000, -20);
    const EncodedFrame first = cache.encode(7, Kind::pcmu, pcm, 1);
    const EncodedFrame second = cache.encode(7, Kind::pcmu, pcm, 1);
    const EncodedFrame third = cache.encode(7, Kind::pcmu, pcm, 1);
    CHECK(cache.encodes() == 1);
    CHECK(cache.reuses() == 2);
    CHECK(cache.size() == 1);
    CHECK(first.payload.size() == 160);
    CHECK(first.timestamp_step == 160);
    CHECK(second.payload.data() == first.payload.data());  // the very same bytes, shared
    CHECK(bytes(third) == bytes(first));
}

TEST_CASE("different codecs and different keys encode separately", "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame pcm = tone_frame(1000, -20);
    const EncodedFrame pcmu = cache.encode(7, Kind::pcmu, pcm, 1);
    const std::vector<uint8_t> pcmu_bytes = bytes(pcmu);
    const EncodedFrame pcma = cache.encode(7, Kind::pcma, pcm, 1);
    const EncodedFrame g722 = cache.encode(7, Kind::g722, pcm, 1);
    const EncodedFrame opus = cache.encode(7, Kind::opus, pcm, 1);
    const EncodedFrame other_key = cache.encode(8, Kind::pcmu, pcm, 1);
    CHECK(cache.encodes() == 5);
    CHECK(cache.reuses() == 0);
    CHECK(cache.size() == 5);
    CHECK(pcma.payload.size() == 160);
    CHECK(bytes(pcma) != pcmu_bytes);  // A-law and mu-law differ for the same audio
    CHECK(g722.payload.size() == 160);
    CHECK(g722.timestamp_step == 160);
    CHECK_FALSE(opus.payload.empty());
    CHECK(opus.timestamp_step == 960);
    CHECK(other_key.payload.data() != pcmu.payload.data());
    // Encoding other entries left the first frame's bytes alone.
    CHECK(bytes(pcmu) == pcmu_bytes);
    CHECK(bytes(other_key) == pcmu_bytes);
}

TEST_CASE("a new tick encodes again", "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame loud = tone_frame(1000, -6);
    const Frame silent{};
    const std::vector<uint8_t> at_1 = bytes(cache.encode(7, Kind::pcmu, loud, 1));
    // Same tick, other audio: still tick 1's frame (listeners of one tick share it).
    CHECK(bytes(cache.encode(7, Kind::pcmu, silent, 1)) == at_1);
    const std::vector<uint8_t> at_2 = bytes(cache.encode(7, Kind::pcmu, silent, 2));
    CHECK(cache.encodes() == 2);
    CHECK(cache.reuses() == 1);
    CHECK(at_2 != at_1);
    // The encoder's 16 -> 8 kHz filter still rings from tick 1 in tick 2; by tick 3 the new
    // audio alone is encoded: mu-law silence.
    CHECK(bytes(cache.encode(7, Kind::pcmu, silent, 3)) == std::vector<uint8_t>(160, 0xff));
}

TEST_CASE("a stateful codec sees one continuous signal across ticks",
          "[mixer][room][encoder_cache]") {
    for (Kind kind : {Kind::g722, Kind::opus}) {
        DYNAMIC_SECTION(sidebar::codec::to_string(kind)) {
            EncoderCache cache;
            auto decoder = sidebar::codec::make_decoder(kind);
            auto tone = sidebar::audio::ToneGenerator::sine(1130, -20);
            std::vector<int16_t> decoded;
            for (uint64_t tick = 0; tick < 50; ++tick) {
                Frame pcm{};
                tone.fill(pcm);
                const EncodedFrame frame = cache.encode(3, kind, pcm, tick);
                // A second listener of the same mix in the same tick must not advance it.
                CHECK(bytes(cache.encode(3, kind, pcm, tick)) == bytes(frame));
                std::array<int16_t, sidebar::codec::kMaxDecodedSamples> out{};
                auto n = decoder->decode(frame.payload, out);
                REQUIRE(n.ok());
                REQUIRE(*n == kFrameSamples);
                if (tick >= 10)
                    decoded.insert(decoded.end(), out.begin(), out.begin() + kFrameSamples);
            }
            CHECK(cache.encodes() == 50);
            CHECK(cache.reuses() == 50);
            CHECK(sidebar::audio::tone_level(decoded, 16000, 1130) == Approx(-20).margin(2.0));
        }
    }
}

TEST_CASE("collect() drops entries unused for more than 250 ticks",
          "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame pcm = tone_frame(1000, -20);
    cache.encode(1, Kind::pcmu, pcm, 0);
    cache.encode(1, Kind::opus, pcm, 0);
    cache.encode(2, Kind::pcmu, pcm, 100);
    REQUIRE(cache.size() == 3);
    cache.collect(250);  // key 1 unused for exactly 250 ticks: kept
    CHECK(cache.size() == 3);
    cache.collect(251);
    CHECK(cache.size() == 1);
    cache.collect(350);
    CHECK(cache.size() == 1);
    cache.collect(351);
    CHECK(cache.size() == 0);
    // An entry collected is made again on demand, with a fresh encoding.
    const uint64_t encodes = cache.encodes();
    CHECK(cache.encode(1, Kind::pcmu, pcm, 400).payload.size() == 160);
    CHECK(cache.encodes() == encodes + 1);
    CHECK(cache.size() == 1);
}

TEST_CASE("an entry in use is never collected", "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame pcm = tone_frame(1000, -20);
    for (uint64_t tick = 0; tick < 1000; ++tick) {
        cache.encode(5, Kind::pcmu, pcm, tick);
        cache.collect(tick);
        REQUIRE(cache.size() == 1);
    }
}

TEST_CASE("forget() drops one key in every codec", "[mixer][room][encoder_cache]") {
    EncoderCache cache;
    const Frame pcm = tone_frame(1000, -20);
    for (uint64_t key : {1, 2, 3}) {
        cache.encode(key, Kind::pcmu, pcm, 1);
        cache.encode(key, Kind::g722, pcm, 1);
    }
    REQUIRE(cache.size() == 6);
    cache.forget(2);
    CHECK(cache.size() == 4);
    cache.forget(2);  // twice is harmless
    cache.forget(99);
    CHECK(cache.size() == 4);
    // Keys 1 and 3 still reuse their frames in this tick; key 2 encodes anew.
    const uint64_t encodes = cache.encodes();
    cache.encode(1, Kind::pcmu, pcm, 1);
    cache.encode(3, Kind::g722, pcm, 1);
    CHECK(cache.encodes() == encodes);
    cache.encode(2, Kind::pcmu, pcm, 1);
    CHECK(cache.encodes() == encodes + 1);
}
