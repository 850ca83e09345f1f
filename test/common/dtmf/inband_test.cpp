// In-band DTMF at 16 kHz: every digit generated is detected exactly once, through noise and a
// G.711 8 kHz path, and tones, speech-like sound and silence give no digits.
#include "common/dtmf/inband.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "common/resample/resampler.hpp"

using namespace sidebar::dtmf;

namespace {

constexpr std::size_t kFrame = 320;

InbandDetector make_detector() {
    auto d = InbandDetector::create();
    REQUIRE(d.ok());
    return std::move(d).value();
}

InbandGenerator make_generator(GeneratorOptions options = {}) {
    auto g = InbandGenerator::create(options);
    REQUIRE(g.ok());
    return std::move(g).value();
}

// The generator's audio for `digits`, then 200 ms of silence.
std::vector<int16_t> generate(std::string_view digits, GeneratorOptions options = {}) {
    InbandGenerator gen = make_generator(options);
    REQUIRE(gen.queue(digits).ok());
    std::vector<int16_t> out;
    std::array<int16_t, kFrame> frame{};
    int tail = 10;
    while (gen.busy() || tail-- > 0) {
        gen.generate(frame);
        out.insert(out.end(), frame.begin(), frame.end());
        REQUIRE(out.size() < 16000 * 60);
    }
    return out;
}

std::string detect(const std::vector<int16_t>& audio) {
    InbandDetector det = make_detector();
    std::string digits;
    for (std::size_t off = 0; off + kFrame <= audio.size(); off += kFrame)
        digits += det.process(std::span(audio).subspan(off, kFrame));
    return digits;
}

double rms(const std::vector<int16_t>& x) {
    double sum = 0;
    std::size_t n = 0;
    for (int16_t v : x) {
        if (v == 0) continue;  // the tones' power, not the pauses'
        sum += double(v) * v;
        ++n;
    }
    return n ? std::sqrt(sum / double(n)) : 0.0;
}

std::vector<int16_t> add_noise(std::vector<int16_t> x, double snr_db, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, rms(x) / std::pow(10.0, snr_db / 20.0));
    for (int16_t& v : x)
        v = int16_t(std::clamp(double(v) + noise(rng), -32768.0, 32767.0));
    return x;
}

// G.711 mu-law (ITU-T G.711), kept here so the test does not lean on the codec module.
uint8_t ulaw_encode(int16_t pcm) {
    int sign = pcm < 0 ? 0x80 : 0;
    int mag = std::min(std::abs(int(pcm)), 32635) + 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (mag & mask) == 0 && exponent > 0; mask >>= 1)
        --exponent;
    const int mantissa = (mag >> (exponent + 3)) & 0x0F;
    return uint8_t(~(sign | exponent << 4 | mantissa));
}

int16_t ulaw_decode(uint8_t u) {
    u = uint8_t(~u);
    const int t = ((u & 0x0F) << 3) + 0x84;
    const int mag = (t << ((u & 0x70) >> 4)) - 0x84;
    return int16_t((u & 0x80) ? -mag : mag);
}

std::vector<int16_t> resample(const std::vector<int16_t>& in, int from, int to) {
    auto r = sidebar::resample::Resampler::create(from, to);
    REQUIRE(r.ok());
    std::vector<int16_t> out(r->output_size(in.size()) + 64);
    out.resize(r->process(in, out));
    return out;
}

}  // namespace

SCENARIO("every generated digit is detected exactly once", "[dtmf][inband]") {
    const std::string all = "0123456789*#ABCD";
    GIVEN("clean 16 kHz audio") {
        CHECK(detect(generate(all)) == all);
    }
    GIVEN("the same with white noise 15 dB below the tones") {
        CHECK(detect(add_noise(generate(all), 15.0, 1)) == all);
    }
    GIVEN("short tones and pauses (50 ms each) at a low level") {
        CHECK(detect(generate("159#", {.tone_ms = 50, .pause_ms = 50, .level_dbm0 = -20})) ==
              "159#");
    }
    GIVEN("repeated digits") {
        CHECK(detect(generate("5555")) == "5555");
    }
    GIVEN("a telephone path: 8 kHz, G.711 mu-law, back to 16 kHz") {
        std::vector<int16_t> narrow = resample(generate(all), 16000, 8000);
        for (int16_t& v : narrow)
            v = ulaw_decode(ulaw_encode(v));
        CHECK(detect(resample(narrow, 8000, 16000)) == all);
    }
    GIVEN("audio fed in odd-sized pieces") {
        const auto audio = generate("42");
        InbandDetector det = make_detector();
        std::string digits;
        for (std::size_t off = 0; off < audio.size(); off += 137)
            digits += det.process(
                std::span(audio).subspan(off, std::min<std::size_t>(137, audio.size() - off)));
        CHECK(digits == "42");
    }
}

SCENARIO("tones, speech-like sound and silence give no digits", "[dtmf][inband]") {
    GIVEN("3 s of a 1 kHz tone") {
        std::vector<int16_t> tone(48000);
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = int16_t(12000 * std::sin(2 * M_PI * 1000.0 * double(i) / 16000.0));
        CHECK(detect(tone).empty());
    }
    GIVEN("3 s of silence") {
        CHECK(detect(std::vector<int16_t>(48000, 0)).empty());
    }
    GIVEN("10 s of speech-like sound: voiced syllables with gliding pitch, and noise bursts") {
        std::mt19937 rng(2024);
        std::uniform_real_distribution<double> uni(0.0, 1.0);
        std::normal_distribution<double> gauss(0.0, 1.0);
        std::vector<int16_t> speech;
        while (speech.size() < 160000) {
            const std::size_t len = 1600 + rng() % 3200;  // 100..300 ms syllables
            const bool voiced = uni(rng) < 0.7;
            double f0 = 90.0 + 160.0 * uni(rng);
            const double glide = (uni(rng) - 0.5) * 0.0004;
            const double formant = 400.0 + 2000.0 * uni(rng);
            double phase = 0.0;
            for (std::size_t i = 0; i < len; ++i) {
                const double env = std::sin(M_PI * double(i) / double(len));
                double v = 0.0;
                if (voiced) {
                    f0 *= 1.0 + glide;
                    phase += 2 * M_PI * f0 / 16000.0;
                    for (int k = 1; k * f0 < 3800.0; ++k) {
                        const double fk = k * f0;
                        const double weight = 1.0 / (1.0 + std::pow((fk - formant) / 300.0, 2));
                        v += (0.3 / k + weight) * std::sin(k * phase);
                    }
                    v *= 3000.0;
                } else {
                    v = 2500.0 * gauss(rng);
                }
                speech.push_back(int16_t(std::clamp(env * v, -32768.0, 32767.0)));
            }
            speech.insert(speech.end(), 800 + rng() % 1600, 0);  // pauses between syllables
        }
        CHECK(detect(speech).empty());
    }
}

SCENARIO("the generator refuses what it cannot play, with the reason", "[dtmf][inband]") {
    InbandGenerator gen = make_generator();
    CHECK_FALSE(gen.busy());
    auto bad = gen.queue("12x");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == "dtmf: cannot generate 'x': not a DTMF digit");
    CHECK_FALSE(gen.busy());  // all or nothing: "12" was not queued
    auto too_many = gen.queue(std::string(101, '1'));
    REQUIRE_FALSE(too_many.ok());
    CHECK(too_many.message() == "dtmf: 101 digits would queue more than 100");
    CHECK(gen.queue("").ok());
    CHECK_FALSE(InbandGenerator::create({.tone_ms = 10}).ok());
    auto loud = InbandGenerator::create({.level_dbm0 = 3});
    REQUIRE_FALSE(loud.ok());
    CHECK(loud.message() == "dtmf: level_dbm0 must be -40..0 and twist_db 0..6, got 3 and 2");
    THEN("an idle generator gives silence") {
        std::array<int16_t, kFrame> frame;
        frame.fill(1);
        gen.generate(frame);
        CHECK(std::all_of(frame.begin(), frame.end(), [](int16_t v) { return v == 0; }));
    }
    THEN("a queued digit plays about tone plus pause, then the generator is idle") {
        REQUIRE(gen.queue("1").ok());
        CHECK(gen.busy());
        std::array<int16_t, kFrame> frame{};
        int frames = 0;
        while (gen.busy() && frames < 100) {
            gen.generate(frame);
            ++frames;
        }
        CHECK(frames >= 10);  // 100 ms tone + 100 ms pause = 10 frames
        CHECK(frames <= 11);
    }
}
