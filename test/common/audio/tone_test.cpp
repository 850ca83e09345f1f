// ToneGenerator: levels, continuous phase across frames, dual tones, cadences and the chime.
#include "common/audio/tone.hpp"

#include <cstdlib>

#include "common/audio/goertzel.hpp"
#include "common/audio/level.hpp"
#include "test/common/audio/audio_test_util.hpp"

using namespace sidebar::audio;
using namespace sidebar::audio::test;

namespace {

std::vector<int16_t> frames(ToneGenerator& gen, std::size_t count) {
    std::vector<int16_t> out(count * kToneFrameSamples);
    for (std::size_t f = 0; f < count; ++f)
        gen.fill(std::span<int16_t>(out).subspan(f * kToneFrameSamples, kToneFrameSamples));
    return out;
}

}  // namespace

TEST_CASE("a sine has the asked level and frequency", "[audio][tone]") {
    auto gen = ToneGenerator::sine(1000.0, -10.0);
    const auto out = frames(gen, 150);  // 3 s
    CHECK(tone_level(out, 16000, 1000.0) == Approx(-10.0).margin(0.01));
    CHECK(peak_dbfs(out) == Approx(-10.0).margin(0.01));
    // It matches a sine computed directly, sample for sample (within rounding).
    const auto ref = reference_sine(16000, 1000.0, out.size(), -10.0);
    int worst = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
        worst = std::max(worst, std::abs(int(out[i]) - int(ref[i])));
    CHECK(worst <= 1);
}

TEST_CASE("the phase continues across 20 ms frames", "[audio][tone]") {
    // 440 Hz does not fit a whole number of cycles in 20 ms: a restart would show as a jump.
    auto by_frame = ToneGenerator::sine(440.0, -3.0);
    auto whole = ToneGenerator::sine(440.0, -3.0);
    const auto a = frames(by_frame, 50);
    std::vector<int16_t> b(a.size());
    whole.fill(b);
    CHECK(a == b);
    // No step between neighbours larger than the sine's own slope allows.
    const double max_step = dbfs_to_amplitude(-3.0) * 2.0 * std::numbers::pi * 440.0 / 16000.0;
    for (std::size_t i = 1; i < a.size(); ++i)
        REQUIRE(std::abs(int(a[i]) - int(a[i - 1])) <= max_step + 1.0);
}

TEST_CASE("dual tones carry both components at the given level", "[audio][tone]") {
    auto gen = ToneGenerator::dual(697.0, 1209.0, -12.0);  // DTMF '1'
    const auto out = frames(gen, 50);
    const auto levels = tone_levels(out, 16000, {697.0, 1209.0, 1000.0});
    CHECK(levels[0] == Approx(-12.0).margin(0.02));
    CHECK(levels[1] == Approx(-12.0).margin(0.02));
    CHECK(levels[2] < -60.0);
}

TEST_CASE("a full-scale pair saturates instead of wrapping", "[audio][tone]") {
    auto gen = ToneGenerator::dual(1000.0, 1500.0, 0.0);
    const auto out = frames(gen, 10);
    CHECK(*std::max_element(out.begin(), out.end()) == 32767);
    CHECK(*std::min_element(out.begin(), out.end()) == -32768);
    // The pair's own steepest slope; a wrap-around would jump by about 65536.
    const double max_step = 32768.0 * 2.0 * std::numbers::pi * (1000.0 + 1500.0) / 16000.0;
    for (std::size_t i = 1; i < out.size(); ++i)
        REQUIRE(std::abs(int(out[i]) - int(out[i - 1])) <= max_step + 1.0);
}

TEST_CASE("ringback follows its 1 s on, 4 s off cadence and repeats", "[audio][tone]") {
    auto gen = ToneGenerator::ringback();
    const auto out = frames(gen, 500);  // 10 s: two cycles
    auto second = [&](double from, double to) {
        return std::span<const int16_t>(out).subspan(std::size_t(from * 16000),
                                                     std::size_t((to - from) * 16000));
    };
    CHECK(tone_level(second(0.1, 0.9), 16000, 425.0) == Approx(-20.0).margin(0.1));
    CHECK(peak_dbfs(second(1.0, 5.0)) == kSilenceDbfs);
    CHECK(tone_level(second(5.1, 5.9), 16000, 425.0) == Approx(-20.0).margin(0.1));
    CHECK(peak_dbfs(second(6.0, 10.0)) == kSilenceDbfs);
    CHECK(std::abs(int(out[0])) < 50);  // faded in, no click
    CHECK_FALSE(gen.done());
}

TEST_CASE("the chime plays once, decays, and ends in silence", "[audio][tone]") {
    auto gen = ToneGenerator::chime(-18.0);
    CHECK_FALSE(gen.done());
    const auto out = frames(gen, 50);  // 1 s; the chime lasts 950 ms
    CHECK(gen.done());
    const std::span<const int16_t> all(out);
    CHECK(peak_dbfs(all.subspan(0, 5600)) <= -17.0);
    CHECK(peak_dbfs(all.subspan(0, 5600)) > -22.0);
    CHECK(tone_level(all.subspan(0, 5600), 16000, 659.25) >
          tone_level(all.subspan(0, 5600), 16000, 523.25));
    CHECK(tone_level(all.subspan(5600, 9600), 16000, 523.25) > -40.0);
    CHECK(rms_dbfs(all.subspan(800, 800)) > rms_dbfs(all.subspan(4000, 800)) + 6.0);  // decays
    CHECK(peak_dbfs(all.subspan(15200)) == kSilenceDbfs);
    gen.reset();
    CHECK_FALSE(gen.done());
    const auto again = frames(gen, 50);
    CHECK(again == out);
}

TEST_CASE("other rates, and parameters that cannot sound", "[audio][tone]") {
    auto gen8k = ToneGenerator::sine(1000.0, -10.0, 8000);
    std::vector<int16_t> out(8000);
    gen8k.fill(out);
    CHECK(tone_level(out, 8000, 1000.0) == Approx(-10.0).margin(0.01));

    for (const double hz : {0.0, -440.0, 8000.0, 20000.0, std::nan("")}) {
        auto gen = ToneGenerator::sine(hz, -10.0);
        std::vector<int16_t> s(320, 7);
        gen.fill(s);
        CHECK(peak_dbfs(s) == kSilenceDbfs);
    }
    auto nan_level = ToneGenerator::sine(1000.0, std::nan(""));
    std::vector<int16_t> s(320, 7);
    nan_level.fill(s);
    CHECK(peak_dbfs(s) == kSilenceDbfs);

    ToneGenerator empty({}, true);
    empty.fill(s);
    CHECK(peak_dbfs(s) == kSilenceDbfs);
    CHECK(empty.done());
}
