// G.711: the tables against ITU-T G.191's reference code for every input, and the PCMU/PCMA
// codecs of the 16 kHz path: tone fidelity, payload lengths, hostile payloads and concealment.
#include "common/codec/g711.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test/common/codec/tone.hpp"

using namespace sidebar::codec;
using sidebar::codec::test::amplitude_at;
using sidebar::codec::test::rms;

namespace {

// ITU-T G.191 STL g711.c (ulaw_compress / alaw_compress / *_expand), one sample at a time: the
// classic bit manipulation with its segment loops, written independently of the tables.
uint8_t reference_ulaw(int16_t linear) {
    short absno = linear < 0 ? static_cast<short>(((~linear) >> 2) + 33)
                             : static_cast<short>((linear >> 2) + 33);
    if (absno > 0x1FFF) absno = 0x1FFF;
    short i = static_cast<short>(absno >> 6);
    short segno = 1;
    while (i != 0) {
        segno++;
        i >>= 1;
    }
    const short high_nibble = static_cast<short>(0x0008 - segno);
    short low_nibble = static_cast<short>((absno >> segno) & 0x000F);
    low_nibble = static_cast<short>(0x000F - low_nibble);
    short log = static_cast<short>((high_nibble << 4) | low_nibble);
    if (linear >= 0) log = static_cast<short>(log | 0x0080);
    return static_cast<uint8_t>(log);
}

uint8_t reference_alaw(int16_t linear) {
    short ix = linear < 0 ? static_cast<short>((~linear) >> 4) : static_cast<short>(linear >> 4);
    if (ix > 15) {
        short iexp = 1;
        while (ix > 16 + 15) {
            ix >>= 1;
            iexp++;
        }
        ix = static_cast<short>(ix - 16);
        ix = static_cast<short>(ix + (iexp << 4));
    }
    if (linear >= 0) ix |= 0x0080;
    return static_cast<uint8_t>(ix ^ 0x0055);
}

int16_t reference_ulaw_expand(uint8_t code) {
    const short sign = code < 0x80 ? -1 : 1;
    short mantissa = static_cast<short>(~code);
    const short exponent = static_cast<short>((mantissa >> 4) & 0x0007);
    const short segment = static_cast<short>(exponent + 1);
    mantissa = static_cast<short>(mantissa & 0x000F);
    const short step = static_cast<short>(4 << segment);
    return static_cast<int16_t>(sign *
                                ((0x0080 << exponent) + step * mantissa + step / 2 - 4 * 33));
}

int16_t reference_alaw_expand(uint8_t code) {
    short ix = static_cast<short>((code ^ 0x0055) & 0x007F);
    const short iexp = static_cast<short>(ix >> 4);
    short mant = static_cast<short>(ix & 0x000F);
    if (iexp > 0) mant = static_cast<short>(mant + 16);
    mant = static_cast<short>((mant << 4) + 0x0008);
    if (iexp > 1) mant = static_cast<short>(mant << (iexp - 1));
    return static_cast<int16_t>(code > 127 ? mant : -mant);
}

std::unique_ptr<G711Decoder> decoder(Kind kind) {
    auto made = G711Decoder::create(kind);
    REQUIRE(made.ok());
    return std::move(made).value();
}

std::unique_ptr<G711Encoder> encoder(Kind kind) {
    auto made = G711Encoder::create(kind);
    REQUIRE(made.ok());
    return std::move(made).value();
}

// Decodes `frames` 20 ms frames of a tone into `decoder`, so its concealment has history.
void feed_tone(Decoder& dec, Kind kind, double hz, std::size_t frames) {
    auto pcm8 = sidebar::codec::test::tone(8000, hz, frames * 160, -10.0);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(kMaxDecodedSamples);
    for (std::size_t f = 0; f < frames; ++f) {
        auto frame = std::span(pcm8).subspan(f * 160, 160);
        if (kind == Kind::pcmu) {
            g711::encode_ulaw(frame, payload);
        } else {
            g711::encode_alaw(frame, payload);
        }
        REQUIRE(dec.decode(payload, out).value() == 320);
    }
}

}  // namespace

TEST_CASE("G.711 tables match the ITU-T G.191 reference for every input", "[g711]") {
    int ulaw_mismatches = 0, alaw_mismatches = 0;
    for (int x = -32768; x <= 32767; ++x) {
        const auto s = static_cast<int16_t>(x);
        if (g711::linear_to_ulaw(s) != reference_ulaw(s)) ++ulaw_mismatches;
        if (g711::linear_to_alaw(s) != reference_alaw(s)) ++alaw_mismatches;
    }
    CHECK(ulaw_mismatches == 0);
    CHECK(alaw_mismatches == 0);
    for (int c = 0; c < 256; ++c) {
        const auto code = static_cast<uint8_t>(c);
        CHECK(g711::ulaw_to_linear(code) == reference_ulaw_expand(code));
        CHECK(g711::alaw_to_linear(code) == reference_alaw_expand(code));
    }
}

TEST_CASE("G.711 known vectors", "[g711]") {
    CHECK(g711::linear_to_ulaw(0) == 0xFF);
    CHECK(g711::linear_to_alaw(0) == 0xD5);
    CHECK(g711::linear_to_ulaw(-1) == 0x7F);  // one's complement: -1 quantises like 0
    CHECK(g711::linear_to_ulaw(32767) == 0x80);
    CHECK(g711::linear_to_ulaw(-32768) == 0x00);
    CHECK(g711::linear_to_alaw(32767) == 0xAA);
    CHECK(g711::linear_to_alaw(-32768) == 0x2A);
    CHECK(g711::ulaw_to_linear(0xFF) == 0);
    CHECK(g711::ulaw_to_linear(0x80) == 32124);
    CHECK(g711::ulaw_to_linear(0x00) == -32124);
    CHECK(g711::alaw_to_linear(0xD5) == 8);
    CHECK(g711::alaw_to_linear(0xAA) == 32256);
    CHECK(g711::alaw_to_linear(0x2A) == -32256);
}

TEST_CASE("G.711 buffer codecs agree with the single-sample ones and stop at the shorter span",
          "[g711]") {
    std::vector<int16_t> pcm = {0, 1, -1, 100, -100, 32767, -32768, 1234};
    std::vector<uint8_t> codes(pcm.size() - 2, 0x11);
    g711::encode_ulaw(pcm, codes);
    for (std::size_t i = 0; i < codes.size(); ++i)
        CHECK(codes[i] == g711::linear_to_ulaw(pcm[i]));
    std::vector<int16_t> back(3, 7);
    g711::decode_alaw(codes, back);
    for (std::size_t i = 0; i < back.size(); ++i)
        CHECK(back[i] == g711::alaw_to_linear(codes[i]));
}

SCENARIO("a tone survives PCMU and PCMA at 16 kHz with its level and frequency", "[g711]") {
    for (Kind kind : {Kind::pcmu, Kind::pcma}) {
        for (double hz : {1000.0, 440.0}) {
            GIVEN(std::string(to_string(kind)) + " and " + std::to_string(int(hz)) + " Hz") {
                auto enc = encoder(kind);
                auto dec = decoder(kind);
                auto decoded = sidebar::codec::test::round_trip(*enc, *dec, hz, -10.0, 60);
                REQUIRE(decoded.size() == 60 * kFrameSamples);
                auto window = sidebar::codec::test::last_second(decoded);
                THEN("level within 1 dB, frequency within 2 Hz, noise well below the tone") {
                    const double level =
                        sidebar::codec::test::to_dbfs(amplitude_at(window, kInternalRate, hz));
                    CHECK(level == Approx(-10.0).margin(1.0));
                    CHECK(sidebar::codec::test::strongest_frequency(
                              window, kInternalRate, hz - 100, hz + 100) == Approx(hz).margin(2.0));
                    CHECK(sidebar::codec::test::tone_to_rest_db(window, kInternalRate, hz) > 30.0);
                }
            }
        }
    }
}

SCENARIO("G.711 payloads of any whole number of ms up to 60 decode to 16 kHz", "[g711]") {
    auto dec = decoder(Kind::pcma);
    std::vector<int16_t> out(kMaxDecodedSamples);
    for (std::size_t ms : {1, 10, 20, 30, 40, 60}) {
        std::vector<uint8_t> payload(ms * 8, 0xD5);
        auto samples = dec->decode(payload, out);
        REQUIRE(samples.ok());
        CHECK(*samples == ms * 16);
    }
    CHECK(dec->rtp_clock_rate() == 8000);
    CHECK(encoder(Kind::pcmu)->timestamp_step() == 160);
}

SCENARIO("hostile G.711 payloads are refused with the reason", "[g711][hostile]") {
    auto dec = decoder(Kind::pcmu);
    std::vector<int16_t> out(kMaxDecodedSamples);
    struct Case {
        std::size_t bytes;
        const char* says;
    };
    for (auto c : {Case{0, "pcmu: empty payload"}, Case{1, "1-byte payload is not a whole number"},
                   Case{7, "not a whole number of ms"}, Case{161, "161-byte payload is not"},
                   Case{488, "488-byte payload is longer than 60 ms"},
                   Case{100000, "longer than 60 ms (480 bytes)"}}) {
        std::vector<uint8_t> payload(c.bytes, 0x55);
        auto result = dec->decode(payload, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains(c.says));
    }
    WHEN("the output buffer is too short for the payload") {
        std::vector<uint8_t> payload(160, 0xFF);
        std::vector<int16_t> small(319);
        auto result = dec->decode(payload, small);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("output holds 319 samples"));
    }
    THEN("the decoder still decodes afterwards") {
        std::vector<uint8_t> payload(160, 0xFF);
        CHECK(dec->decode(payload, out).value() == 320);
    }
}

SCENARIO("the G.711 encoder takes exactly one 20 ms frame", "[g711][hostile]") {
    auto enc = encoder(Kind::pcma);
    std::vector<uint8_t> out(kMaxPayloadBytes);
    for (std::size_t n : {0, 160, 319, 321, 640}) {
        std::vector<int16_t> pcm(n);
        auto result = enc->encode(pcm, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("pcma: encoder takes 320 samples"));
    }
    std::vector<int16_t> pcm(kFrameSamples);
    std::vector<uint8_t> small(159);
    auto result = enc->encode(pcm, small);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.message(), Catch::Contains("a frame needs 160"));
    CHECK(enc->encode(pcm, out).value() == 160);
}

SCENARIO("G.711 concealment continues a tone, then fades to silence", "[g711][plc]") {
    for (Kind kind : {Kind::pcmu, Kind::pcma}) {
        auto dec = decoder(kind);
        feed_tone(*dec, kind, 500.0, 10);
        const double tone_rms = sidebar::codec::test::from_dbfs(-10.0) / std::sqrt(2.0);
        std::vector<double> levels;
        std::vector<int16_t> frame(kFrameSamples);
        std::vector<int16_t> first;
        for (int f = 0; f < 4; ++f) {
            dec->conceal(frame);
            levels.push_back(rms(frame));
            if (f == 0) first = frame;
        }
        // Not silence right after the tone, and still mostly the tone.
        CHECK(levels[0] > 0.4 * tone_rms);
        CHECK(amplitude_at(first, kInternalRate, 500.0) > 0.7 * levels[0] * std::sqrt(2.0));
        // spandsp fades linearly to nothing over 50 ms.
        CHECK(levels[1] < levels[0]);
        CHECK(levels[2] < levels[1]);
        CHECK(levels[3] < 0.01 * tone_rms);
        THEN("good audio decodes normally afterwards") {
            std::vector<uint8_t> payload(160, kind == Kind::pcmu ? 0xFF : 0xD5);
            std::vector<int16_t> out(kMaxDecodedSamples);
            CHECK(dec->decode(payload, out).value() == 320);
        }
    }
}

SCENARIO("G.711 concealment starts cleanly whatever the history's phase", "[g711][plc]") {
    // spandsp keeps a 280-sample ring; a gap after 1..7 frames of 160 meets every phase of it,
    // including those where spandsp 0.0.6 itself would memcpy over overlapping memory.
    for (std::size_t frames = 1; frames <= 7; ++frames) {
        auto dec = decoder(Kind::pcmu);
        feed_tone(*dec, Kind::pcmu, 1000.0, frames);
        std::vector<int16_t> out(kFrameSamples);
        dec->conceal(out);
        CHECK(amplitude_at(out, kInternalRate, 1000.0) >
              0.3 * sidebar::codec::test::from_dbfs(-10));
    }
}

SCENARIO("G.711 concealment of odd and tiny lengths stays in bounds", "[g711][plc][hostile]") {
    auto dec = decoder(Kind::pcmu);
    feed_tone(*dec, Kind::pcmu, 1000.0, 5);
    for (std::size_t n : {1, 3, 7, 31, 333, 960, 2000}) {
        // Exact-size buffers, so ASan sees any write past the end.
        std::vector<int16_t> out(n, 12345);
        dec->conceal(out);
        CHECK(out.back() != 12345);
    }
    std::vector<int16_t> none;
    dec->conceal(none);
}

SCENARIO("an odd concealment carries a 16 kHz sample instead of losing or repeating one",
         "[g711][plc]") {
    // spandsp's fill-in depends on how it is asked (its fade restarts per call), so the three
    // decoders below ask it the same: 167 samples at 8 kHz, i.e. 334 at 16 kHz. `whole` hands
    // them out at once; `cut` as 333 + 1, the 1 coming from the carried sample alone; `odd` as 333
    // and carries the last sample into the decoded frames. All must give one identical stream.
    auto whole = decoder(Kind::pcmu);
    auto cut = decoder(Kind::pcmu);
    auto odd = decoder(Kind::pcmu);
    std::vector<int16_t> whole_out(334), cut_out, odd_out(333);
    for (auto* dec : {whole.get(), cut.get(), odd.get()})
        feed_tone(*dec, Kind::pcmu, 700.0, 6);
    whole->conceal(whole_out);
    for (std::size_t n : {333, 1}) {
        std::vector<int16_t> part(n);
        cut->conceal(part);
        cut_out.insert(cut_out.end(), part.begin(), part.end());
    }
    odd->conceal(odd_out);

    auto pcm8 = sidebar::codec::test::tone(8000, 700.0, 160 * 5, -10.0);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(kMaxDecodedSamples);
    for (std::size_t f = 0; f < 5; ++f) {
        g711::encode_ulaw(std::span(pcm8).subspan(f * 160, 160), payload);
        for (auto [dec, stream] :
             {std::pair{whole.get(), &whole_out}, std::pair{cut.get(), &cut_out},
              std::pair{odd.get(), &odd_out}}) {
            REQUIRE(dec->decode(payload, out).value() == 320);
            stream->insert(stream->end(), out.begin(), out.begin() + 320);
        }
    }
    CHECK(cut_out == whole_out);
    REQUIRE(odd_out.size() == whole_out.size() - 1);
    CHECK(std::equal(odd_out.begin(), odd_out.end(), whole_out.begin()));
}

SCENARIO("a G.711 round trip delays the 16 kHz signal by the half-band filter's delay, twice",
         "[g711]") {
    // A click on an odd sample lands on an 8 kHz sample after the downsampler's delay, so it
    // comes back as a click exactly 2 * 29 samples later.
    for (Kind kind : {Kind::pcmu, Kind::pcma}) {
        auto enc = encoder(kind);
        auto dec = decoder(kind);
        std::vector<int16_t> in(2 * kFrameSamples, 0), decoded;
        in[101] = 20000;
        std::vector<uint8_t> payload(kMaxPayloadBytes);
        std::vector<int16_t> out(kMaxDecodedSamples);
        for (std::size_t f = 0; f < 2; ++f) {
            auto bytes =
                enc->encode(std::span(in).subspan(f * kFrameSamples, kFrameSamples), payload);
            REQUIRE(bytes.ok());
            REQUIRE(dec->decode(std::span(payload).first(*bytes), out).value() == kFrameSamples);
            decoded.insert(decoded.end(), out.begin(), out.begin() + kFrameSamples);
        }
        const auto peak = std::max_element(decoded.begin(), decoded.end(),
                                           [](int a, int b) { return std::abs(a) < std::abs(b); });
        CHECK(peak - decoded.begin() ==
              101 + 2 * std::ptrdiff_t(sidebar::resample::half_band::kDelay16k));
    }
}

SCENARIO("a -10 dBFS 1 kHz tone keeps its level through the G.711 resampling", "[g711]") {
    // Decoded from 8 kHz codes, so only the upsampler (and the codec's quantising) is measured.
    auto dec = decoder(Kind::pcmu);
    auto pcm8 = sidebar::codec::test::tone(8000, 1000.0, 160 * 60, -10.0);
    std::vector<uint8_t> payload(160);
    std::vector<int16_t> out(kMaxDecodedSamples), decoded;
    for (std::size_t f = 0; f < 60; ++f) {
        g711::encode_ulaw(std::span(pcm8).subspan(f * 160, 160), payload);
        REQUIRE(dec->decode(payload, out).value() == 320);
        decoded.insert(decoded.end(), out.begin(), out.begin() + 320);
    }
    const auto window = sidebar::codec::test::last_second(decoded);
    std::vector<int16_t> codec_only(8000);  // the same codes decoded at 8 kHz, as the reference
    std::vector<uint8_t> codes(8000);
    g711::encode_ulaw(std::span(pcm8).last(8000), codes);
    g711::decode_ulaw(codes, codec_only);
    const double reference = amplitude_at(codec_only, 8000, 1000.0);
    CHECK(amplitude_at(window, kInternalRate, 1000.0) / reference == Approx(1.0).epsilon(0.006));
}
