// G.722 over spandsp: tone fidelity at 64 kbit/s, payload lengths (8 bytes per ms, RTP clock
// 8000), hostile sizes, and concealment through WaveformPlc.
#include "common/codec/g722.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "test/common/codec/tone.hpp"

using namespace sidebar::codec;
namespace t = sidebar::codec::test;

namespace {

std::unique_ptr<G722Decoder> decoder() {
    auto made = G722Decoder::create();
    REQUIRE(made.ok());
    return std::move(made).value();
}

std::unique_ptr<G722Encoder> encoder() {
    auto made = G722Encoder::create();
    REQUIRE(made.ok());
    return std::move(made).value();
}

}  // namespace

SCENARIO("a tone survives G.722 with its level and frequency", "[g722]") {
    for (double hz : {1000.0, 440.0}) {
        GIVEN(std::to_string(int(hz)) + " Hz at -10 dBFS") {
            auto enc = encoder();
            auto dec = decoder();
            auto decoded = t::round_trip(*enc, *dec, hz, -10.0, 60);
            REQUIRE(decoded.size() == 60 * kFrameSamples);
            auto window = t::last_second(decoded);
            CHECK(t::to_dbfs(t::amplitude_at(window, kInternalRate, hz)) ==
                  Approx(-10.0).margin(1.0));
            CHECK(t::strongest_frequency(window, kInternalRate, hz - 100, hz + 100) ==
                  Approx(hz).margin(2.0));
            CHECK(t::tone_to_rest_db(window, kInternalRate, hz) > 35.0);
        }
    }
}

SCENARIO("G.722 keeps the 8000 Hz RTP clock but carries 16 kHz audio", "[g722]") {
    auto enc = encoder();
    auto dec = decoder();
    CHECK(enc->rtp_clock_rate() == 8000);
    CHECK(dec->rtp_clock_rate() == 8000);
    CHECK(enc->timestamp_step() == 160);
    std::vector<int16_t> pcm(kFrameSamples);
    std::vector<uint8_t> payload(kMaxPayloadBytes);
    CHECK(enc->encode(pcm, payload).value() == 160);

    std::vector<int16_t> out(kMaxDecodedSamples);
    for (std::size_t ms : {1, 10, 20, 30, 40, 60}) {
        std::vector<uint8_t> bytes(ms * 8, 0xFA);
        auto samples = dec->decode(bytes, out);
        REQUIRE(samples.ok());
        CHECK(*samples == ms * 16);
    }
}

SCENARIO("hostile G.722 payloads are refused with the reason", "[g722][hostile]") {
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    struct Case {
        std::size_t bytes;
        const char* says;
    };
    for (auto c :
         {Case{0, "g722: empty payload"}, Case{1, "1-byte payload is not a whole number"},
          Case{81, "81-byte payload is not"}, Case{159, "159-byte payload is not"},
          Case{161, "161-byte payload is not"}, Case{479, "479-byte payload is not"},
          Case{488, "488-byte payload is longer than 60 ms"}, Case{65536, "longer than 60 ms"}}) {
        std::vector<uint8_t> payload(c.bytes, 0x3C);
        auto result = dec->decode(payload, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains(c.says));
    }
    std::vector<uint8_t> payload(480, 0x3C);
    std::vector<int16_t> short_out(959);
    auto result = dec->decode(payload, short_out);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.message(), Catch::Contains("the payload decodes to 960"));

    THEN("random bytes of valid lengths decode without harm (every byte is a valid code)") {
        std::mt19937 rng(7);
        for (int i = 0; i < 200; ++i) {
            std::vector<uint8_t> noise(8 * (1 + rng() % 60));
            for (auto& b : noise)
                b = static_cast<uint8_t>(rng());
            auto samples = dec->decode(noise, out);
            REQUIRE(samples.ok());
            CHECK(*samples == noise.size() * 2);
        }
    }
}

SCENARIO("the G.722 encoder takes exactly one 20 ms frame", "[g722][hostile]") {
    auto enc = encoder();
    std::vector<uint8_t> out(kMaxPayloadBytes);
    for (std::size_t n : {0, 1, 319, 321, 960}) {
        std::vector<int16_t> pcm(n);
        auto result = enc->encode(pcm, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("g722: encoder takes 320 samples"));
    }
    std::vector<int16_t> pcm(kFrameSamples);
    std::vector<uint8_t> small(100);
    auto result = enc->encode(pcm, small);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.message(), Catch::Contains("output holds 100 bytes"));
}

SCENARIO("G.722 concealment continues a tone, then fades to silence", "[g722][plc]") {
    auto enc = encoder();
    auto dec = decoder();
    REQUIRE(t::round_trip(*enc, *dec, 440.0, -10.0, 10).size() == 10 * kFrameSamples);
    const double tone_rms = t::from_dbfs(-10.0) / std::sqrt(2.0);
    std::vector<int16_t> frame(kFrameSamples);
    dec->conceal(frame);
    const double first = t::rms(frame);
    CHECK(first > 0.4 * tone_rms);
    CHECK(t::amplitude_at(frame, kInternalRate, 440.0) > 0.7 * first * std::sqrt(2.0));
    dec->conceal(frame);
    const double second = t::rms(frame);
    CHECK(second < first);
    dec->conceal(frame);
    CHECK(t::rms(frame) < second);
    dec->conceal(frame);  // 80 ms into the gap: the 50 ms fade is over
    CHECK(t::rms(frame) == 0.0);
    THEN("audio decodes normally again") {
        auto decoded = t::round_trip(*enc, *dec, 440.0, -10.0, 60);
        CHECK(t::to_dbfs(t::amplitude_at(t::last_second(decoded), kInternalRate, 440.0)) ==
              Approx(-10.0).margin(1.0));
    }
}
