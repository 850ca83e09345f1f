// The factory: every Kind makes a working codec pair behind the common interface, names are
// stable, and bad encoder options are refused (with a message, or an exception at start-up).
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/codec/codec.hpp"
#include "test/common/codec/tone.hpp"

using namespace sidebar::codec;
namespace t = sidebar::codec::test;

SCENARIO("every codec round-trips a tone through the common interface", "[codec]") {
    struct Case {
        Kind kind;
        const char* name;
        int clock;
        uint32_t step;
    };
    for (auto c : {Case{Kind::pcmu, "pcmu", 8000, 160}, Case{Kind::pcma, "pcma", 8000, 160},
                   Case{Kind::g722, "g722", 8000, 160}, Case{Kind::opus, "opus", 48000, 960}}) {
        GIVEN(c.name) {
            CHECK(to_string(c.kind) == c.name);
            std::unique_ptr<Encoder> enc = make_encoder(c.kind);
            std::unique_ptr<Decoder> dec = make_decoder(c.kind);
            REQUIRE(enc);
            REQUIRE(dec);
            CHECK(enc->kind() == c.kind);
            CHECK(dec->kind() == c.kind);
            CHECK(enc->rtp_clock_rate() == c.clock);
            CHECK(dec->rtp_clock_rate() == c.clock);
            CHECK(enc->timestamp_step() == c.step);
            auto decoded = t::round_trip(*enc, *dec, 440.0, -10.0, 60);
            REQUIRE(decoded.size() == 60 * kFrameSamples);
            CHECK(t::to_dbfs(t::amplitude_at(t::last_second(decoded), kInternalRate, 440.0)) ==
                  Approx(-10.0).margin(1.0));
            // Only Opus carries FEC; the others say so and leave concealment to conceal().
            std::vector<int16_t> out(kMaxDecodedSamples);
            std::vector<uint8_t> payload(kMaxPayloadBytes);
            std::vector<int16_t> pcm(kFrameSamples);
            auto bytes = enc->encode(pcm, payload);
            REQUIRE(bytes.ok());
            if (c.kind != Kind::opus) {
                CHECK_FALSE(dec->decode_fec(std::span(payload).first(*bytes), kFrameSamples, out));
            }
        }
    }
    CHECK(to_string(static_cast<Kind>(99)) == "unknown");
}

SCENARIO("encoder options outside what libopus accepts are refused", "[codec][hostile]") {
    CHECK(validate(EncoderOptions{}).ok());
    struct Case {
        EncoderOptions options;
        const char* says;
    };
    for (const auto& c : {Case{{5999, 5, true, 5}, "opus_bitrate must be 6000..510000"},
                          Case{{510001, 5, true, 5}, "got 510001"},
                          Case{{32000, -1, true, 5}, "opus_complexity must be 0..10, got -1"},
                          Case{{32000, 5, true, 101}, "opus_expected_loss_pct must be 0..100"},
                          Case{{32000, 5, true, -3}, "got -3"}}) {
        auto valid = validate(c.options);
        REQUIRE_FALSE(valid.ok());
        CHECK_THAT(valid.message(), Catch::Contains(c.says));
        // Refused for every kind, so a bad configuration shows at once.
        for (Kind kind : {Kind::pcmu, Kind::opus}) {
            auto made = create_encoder(kind, c.options);
            REQUIRE_FALSE(made.ok());
            CHECK_THAT(made.message(), Catch::Contains(c.says));
            CHECK_THROWS_AS(make_encoder(kind, c.options), std::invalid_argument);
        }
    }
    EncoderOptions edges{6000, 0, false, 0};
    CHECK(create_encoder(Kind::opus, edges).ok());
    edges = {510000, 10, true, 100};
    CHECK(create_encoder(Kind::opus, edges).ok());
}

SCENARIO("the non-throwing factories refuse an unknown kind", "[codec][hostile]") {
    auto dec = create_decoder(static_cast<Kind>(42));
    REQUIRE_FALSE(dec.ok());
    CHECK_THAT(dec.message(), Catch::Contains("unknown kind 42"));
    auto enc = create_encoder(static_cast<Kind>(42));
    REQUIRE_FALSE(enc.ok());
    CHECK_THROWS_AS(make_decoder(static_cast<Kind>(42)), std::runtime_error);
}
