// Opus through libopus: tone fidelity, every ptime from 2.5 to 60 ms, packets that are too long
// or malformed or random, stereo and fullband senders, in-band FEC and concealment.
#include "common/codec/opus.hpp"

#include <opus/opus.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "test/common/codec/tone.hpp"

using namespace sidebar::codec;
namespace t = sidebar::codec::test;

namespace {

std::unique_ptr<OpusRtpDecoder> decoder() {
    auto made = OpusRtpDecoder::create();
    REQUIRE(made.ok());
    return std::move(made).value();
}

std::unique_ptr<OpusRtpEncoder> encoder(const EncoderOptions& options = {}) {
    auto made = OpusRtpEncoder::create(options);
    REQUIRE(made.ok());
    return std::move(made).value();
}

// A plain libopus encoder, for what a far end might send that ours never does (other ptimes,
// 48 kHz, stereo). Encodes consecutive frames of one tone in every channel.
class FarEnd {
  public:
    FarEnd(int rate, int channels) : rate_(rate), channels_(channels) {
        int err = 0;
        encoder_ = opus_encoder_create(rate, channels, OPUS_APPLICATION_VOIP, &err);
        REQUIRE(err == OPUS_OK);
    }
    ~FarEnd() { opus_encoder_destroy(encoder_); }
    FarEnd(const FarEnd&) = delete;
    FarEnd& operator=(const FarEnd&) = delete;

    std::vector<uint8_t> next(double ms, double hz = 1000.0) {
        const auto n = static_cast<std::size_t>(rate_ * ms / 1000.0);
        auto mono = t::tone(rate_, hz, n, -10.0, position_);
        position_ += n;
        std::vector<int16_t> pcm;
        for (int16_t s : mono)
            pcm.insert(pcm.end(), static_cast<std::size_t>(channels_), s);
        std::vector<uint8_t> packet(4000);
        const int bytes = opus_encode(encoder_, pcm.data(), static_cast<int>(n), packet.data(),
                                      static_cast<opus_int32>(packet.size()));
        REQUIRE(bytes > 0);
        packet.resize(static_cast<std::size_t>(bytes));
        return packet;
    }

  private:
    int rate_;
    int channels_;
    std::size_t position_ = 0;
    OpusEncoder* encoder_ = nullptr;
};

std::vector<uint8_t> join(const std::vector<std::vector<uint8_t>>& packets) {
    OpusRepacketizer* rp = opus_repacketizer_create();
    for (const auto& p : packets) {
        REQUIRE(opus_repacketizer_cat(rp, p.data(), static_cast<opus_int32>(p.size())) == OPUS_OK);
    }
    std::vector<uint8_t> out(8000);
    const int bytes = opus_repacketizer_out(rp, out.data(), static_cast<opus_int32>(out.size()));
    opus_repacketizer_destroy(rp);
    REQUIRE(bytes > 0);
    out.resize(static_cast<std::size_t>(bytes));
    return out;
}

// Encodes `frames` 20 ms frames of a 1 kHz tone with our encoder.
std::vector<std::vector<uint8_t>> encode_tone(Encoder& enc, std::size_t frames) {
    auto pcm = t::tone(kInternalRate, 1000.0, frames * kFrameSamples, -10.0);
    std::vector<std::vector<uint8_t>> packets;
    std::vector<uint8_t> out(kMaxPayloadBytes);
    for (std::size_t f = 0; f < frames; ++f) {
        auto bytes = enc.encode(std::span(pcm).subspan(f * kFrameSamples, kFrameSamples), out);
        REQUIRE(bytes.ok());
        packets.emplace_back(out.begin(), out.begin() + std::ptrdiff_t(*bytes));
    }
    return packets;
}

}  // namespace

SCENARIO("a tone survives Opus at 16 kHz with its level and frequency", "[opus]") {
    for (double hz : {1000.0, 440.0}) {
        GIVEN(std::to_string(int(hz)) + " Hz at -10 dBFS, 32 kbit/s") {
            auto enc = encoder();
            auto dec = decoder();
            auto decoded = t::round_trip(*enc, *dec, hz, -10.0, 60);
            REQUIRE(decoded.size() == 60 * kFrameSamples);
            auto window = t::last_second(decoded);
            CHECK(t::to_dbfs(t::amplitude_at(window, kInternalRate, hz)) ==
                  Approx(-10.0).margin(1.0));
            CHECK(t::strongest_frequency(window, kInternalRate, hz - 100, hz + 100) ==
                  Approx(hz).margin(2.0));
            CHECK(t::tone_to_rest_db(window, kInternalRate, hz) > 20.0);
        }
    }
    auto enc = encoder();
    CHECK(enc->rtp_clock_rate() == 48000);
    CHECK(enc->timestamp_step() == 960);
    CHECK(decoder()->rtp_clock_rate() == 48000);
}

SCENARIO("Opus packets of every ptime up to 60 ms decode to their length", "[opus]") {
    FarEnd far(16000, 1);
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    struct Case {
        double ms;
        std::size_t samples;
    };
    for (auto c :
         {Case{2.5, 40}, Case{5, 80}, Case{10, 160}, Case{20, 320}, Case{40, 640}, Case{60, 960}}) {
        auto packet = far.next(c.ms);
        CHECK(opus::packet_samples(packet).value() == c.samples);
        auto samples = dec->decode(packet, out);
        REQUIRE(samples.ok());
        CHECK(*samples == c.samples);
    }
    WHEN("a 40 ms packet is two 20 ms frames joined (code 1)") {
        auto packet = join({far.next(20), far.next(20)});
        CHECK(dec->decode(packet, out).value() == 640);
    }
}

SCENARIO("Opus packets longer than 60 ms are refused", "[opus][hostile]") {
    FarEnd far(16000, 1);
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    auto p120 = join({far.next(60), far.next(60)});
    auto result = dec->decode(p120, out);
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "opus: packet holds 120 ms, longer than the 60 ms maximum");
    auto p80 = join({far.next(40), far.next(40)});
    CHECK_THAT(dec->decode(p80, out).message(), Catch::Contains("80 ms"));
    // Hand-made: a code 3 TOC claiming six 20 ms frames of 3 bytes each.
    std::vector<uint8_t> claim = {0x0B, 0x06};
    claim.resize(2 + 6 * 3, 0x5A);
    CHECK_THAT(dec->decode(claim, out).message(), Catch::Contains("120 ms"));
}

SCENARIO("malformed Opus packets are refused with libopus's reason", "[opus][hostile]") {
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    struct Case {
        std::vector<uint8_t> bytes;
        const char* says;
    };
    const std::vector<Case> cases = {
        {{}, "opus: empty payload"},
        {{0x03}, "corrupted stream"},                     // code 3 without its frame count
        {{0x0B, 0x00}, "corrupted stream"},               // code 3 with zero frames
        {{0x01, 0xAA}, "corrupted stream"},               // code 1: two equal frames from 1 byte
        {{0x02, 0xFF, 0x01}, "corrupted stream"},         // code 2: first frame runs past the end
        {{0x0B, 0x83, 0xFF, 0xFF, 0x00}, "corrupted"},    // code 3 VBR, lengths past the end
        {std::vector<uint8_t>(1300, 0x08), "corrupted"},  // one frame over 1275 bytes
        {std::vector<uint8_t>(70000, 0x08), "too large"},
    };
    for (const auto& c : cases) {
        auto result = dec->decode(c.bytes, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::StartsWith("opus: ") && Catch::Contains(c.says));
    }
    WHEN("the output is too short for the packet") {
        FarEnd far(16000, 1);
        std::vector<int16_t> small(639);
        auto result = dec->decode(far.next(40), small);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("output holds 639 samples"));
    }
}

SCENARIO("random bytes never crash the Opus decoder", "[opus][hostile]") {
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    std::mt19937 rng(2024);
    int refused = 0;
    for (int i = 0; i < 3000; ++i) {
        std::vector<uint8_t> noise(1 + rng() % 400);
        for (auto& b : noise)
            b = static_cast<uint8_t>(rng());
        auto result = dec->decode(noise, out);
        if (result.ok()) {
            CHECK(*result <= kMaxDecodedSamples);
        } else {
            ++refused;
            CHECK_THAT(result.message(), Catch::StartsWith("opus: "));
        }
        std::vector<int16_t> fec(kFrameSamples);
        auto recovered = dec->decode_fec(noise, kFrameSamples, fec);
        if (recovered) CHECK(*recovered == kFrameSamples);
    }
    CHECK(refused > 100);  // many random TOCs are multi-frame codes whose lengths do not fit
    THEN("real audio still decodes at the right level") {
        auto enc = encoder();
        auto decoded = t::round_trip(*enc, *dec, 1000.0, -10.0, 60);
        CHECK(t::to_dbfs(t::amplitude_at(t::last_second(decoded), kInternalRate, 1000.0)) ==
              Approx(-10.0).margin(1.0));
    }
}

SCENARIO("stereo and 48 kHz senders decode to 16 kHz mono at the right level", "[opus]") {
    for (int channels : {1, 2}) {
        GIVEN(std::to_string(channels) + " channel(s) at 48 kHz") {
            FarEnd far(48000, channels);
            auto dec = decoder();
            std::vector<int16_t> decoded;
            std::vector<int16_t> out(kMaxDecodedSamples);
            for (int f = 0; f < 60; ++f) {
                auto packet = far.next(20);
                CHECK(opus_packet_get_nb_channels(packet.data()) == channels);
                auto samples = dec->decode(packet, out);
                REQUIRE(samples.ok());
                REQUIRE(*samples == kFrameSamples);
                decoded.insert(decoded.end(), out.begin(), out.begin() + kFrameSamples);
            }
            CHECK(t::to_dbfs(t::amplitude_at(t::last_second(decoded), kInternalRate, 1000.0)) ==
                  Approx(-10.0).margin(1.0));
        }
    }
}

SCENARIO("a lost Opus packet is recovered from the next one's FEC", "[opus][fec]") {
    EncoderOptions options;
    options.opus_fec = true;
    options.opus_expected_loss_pct = 20;
    auto enc = encoder(options);
    auto packets = encode_tone(*enc, 50);
    auto dec = decoder();
    std::vector<int16_t> out(kMaxDecodedSamples);
    for (std::size_t i = 0; i < 30; ++i)
        REQUIRE(dec->decode(packets[i], out).ok());
    // packets[30] is lost; packets[31] carries its LBRR copy.
    REQUIRE(opus::has_fec(packets[31]));
    auto recovered = dec->decode_fec(packets[31], kFrameSamples, out);
    REQUIRE(recovered.has_value());
    CHECK(*recovered == kFrameSamples);
    const auto frame = std::span<const int16_t>(out).first(kFrameSamples);
    CHECK(t::to_dbfs(t::amplitude_at(frame, kInternalRate, 1000.0)) == Approx(-10.0).margin(2.0));
    CHECK(dec->decode(packets[31], out).value() == kFrameSamples);

    WHEN("the sender has FEC off") {
        options.opus_fec = false;
        auto plain = encoder(options);
        auto no_fec = encode_tone(*plain, 10);
        CHECK_FALSE(opus::has_fec(no_fec[9]));
        CHECK_FALSE(dec->decode_fec(no_fec[9], kFrameSamples, out).has_value());
    }
    WHEN("the lost duration is not usable") {
        for (std::size_t samples : {0, 30, 321, 1000}) {
            CHECK_FALSE(dec->decode_fec(packets[32], samples, out).has_value());
        }
        std::vector<int16_t> small(100);
        CHECK_FALSE(dec->decode_fec(packets[32], kFrameSamples, small).has_value());
        CHECK_FALSE(dec->decode_fec({}, kFrameSamples, out).has_value());
    }
}

SCENARIO("Opus concealment continues after a tone and fades", "[opus][plc]") {
    auto enc = encoder();
    auto dec = decoder();
    REQUIRE(t::round_trip(*enc, *dec, 1000.0, -10.0, 20).size() == 20 * kFrameSamples);
    const double tone_rms = t::from_dbfs(-10.0) / std::sqrt(2.0);
    std::vector<int16_t> frame(kFrameSamples);
    dec->conceal(frame);
    const double first = t::rms(frame);
    CHECK(first > 0.2 * tone_rms);
    for (int f = 0; f < 4; ++f)
        dec->conceal(frame);
    CHECK(t::rms(frame) < 0.5 * first);
    THEN("lengths that are not whole 2.5 ms steps stay in bounds") {
        for (std::size_t n : {1, 39, 41, 333, 961, 2000}) {
            std::vector<int16_t> out(n, 4321);
            dec->conceal(out);
            CHECK(out.back() != 4321);
        }
        std::vector<int16_t> none;
        dec->conceal(none);
    }
}

SCENARIO("the Opus encoder takes exactly one 20 ms frame", "[opus][hostile]") {
    auto enc = encoder();
    std::vector<uint8_t> out(kMaxPayloadBytes);
    for (std::size_t n : {0, 160, 319, 640, 960}) {
        std::vector<int16_t> pcm(n);
        auto result = enc->encode(pcm, out);
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("opus: encoder takes 320 samples"));
    }
    std::vector<int16_t> pcm(kFrameSamples);
    std::vector<uint8_t> none;
    CHECK_THAT(enc->encode(pcm, none).message(), Catch::Contains("output holds 0 bytes"));
    EncoderOptions bad;
    bad.opus_complexity = 11;
    auto refused = OpusRtpEncoder::create(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.message(), Catch::Contains("opus_complexity must be 0..10, got 11"));
}
