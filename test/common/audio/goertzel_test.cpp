// Goertzel meter and RMS/peak levels: calibration (a -10 dBFS tone reads -10), any rate and block
// length, and leakage between the integration tests' tone frequencies far below -60 dB.
#include "common/audio/goertzel.hpp"

#include <array>

#include "common/audio/level.hpp"
#include "test/common/audio/audio_test_util.hpp"

using namespace sidebar::audio;
using namespace sidebar::audio::test;

namespace {

// The frequencies integration tests give each caller, and their 3 s measurement window.
constexpr std::array<double, 5> kTestFreqs{440.0, 1130.0, 1570.0, 2210.0, 2870.0};
constexpr std::size_t kWindow3s = 48000;

}  // namespace

TEST_CASE("a -10 dBFS 1 kHz tone measures -10 dBFS", "[audio][goertzel]") {
    const auto tone = reference_sine(16000, 1000.0, 16000, -10.0);
    CHECK(tone_level(tone, 16000, 1000.0) == Approx(-10.0).margin(0.2));
    CHECK(tone_level(tone, 16000, 1000.0) == Approx(-10.0).margin(0.01));
    const auto full = reference_sine(16000, 1000.0, 16000, 0.0);
    CHECK(tone_level(full, 16000, 1000.0) == Approx(0.0).margin(0.01));
}

TEST_CASE("calibration holds at any rate, block length and frequency", "[audio][goertzel]") {
    for (const int rate : {8000, 16000, 44100, 48000}) {
        for (const std::size_t n : {std::size_t(320), std::size_t(999), std::size_t(rate * 3)}) {
            for (const double hz : {440.0, 1000.0, 1234.5, 2870.0}) {
                for (const Window w :
                     {Window::hann, Window::blackman_harris, Window::rectangular}) {
                    INFO("rate " << rate << " n " << n << " hz " << hz << " window " << int(w));
                    const auto tone = reference_sine(rate, hz, n, -20.0);
                    // Rectangular blocks of a non-integer number of cycles pick up their image.
                    const double margin = w == Window::rectangular ? 0.5 : 0.05;
                    CHECK(tone_level(tone, rate, hz, w) == Approx(-20.0).margin(margin));
                }
            }
        }
    }
}

TEST_CASE("leakage between the test frequencies is far below -60 dB", "[audio][goertzel]") {
    for (const double present : kTestFreqs) {
        const auto tone = reference_sine(16000, present, kWindow3s, 0.0);
        const auto levels = tone_levels(tone, 16000, kTestFreqs);
        for (std::size_t k = 0; k < kTestFreqs.size(); ++k) {
            INFO("tone " << present << " Hz, measured at " << kTestFreqs[k] << " Hz");
            if (kTestFreqs[k] == present) {
                CHECK(levels[k] == Approx(0.0).margin(0.01));
            } else {
                CHECK(levels[k] < -100.0);
            }
        }
    }
}

TEST_CASE("a tone 50 dB down is measured right next to a loud one", "[audio][goertzel]") {
    // What an integration test checks: the tone a caller must hear, and one it must not.
    const auto loud = reference_sine(16000, 1130.0, kWindow3s, -6.0);
    const auto quiet = reference_sine(16000, 1570.0, kWindow3s, -56.0);
    std::vector<int16_t> mix(kWindow3s);
    for (std::size_t i = 0; i < mix.size(); ++i)
        mix[i] = static_cast<int16_t>(loud[i] + quiet[i]);
    const auto levels = tone_levels(mix, 16000, {1130.0, 1570.0, 440.0});
    CHECK(levels[0] == Approx(-6.0).margin(0.05));
    CHECK(levels[1] == Approx(-56.0).margin(0.5));
    CHECK(levels[2] < -100.0);  // absent: int16 rounding noise only
}

TEST_CASE("in a 20 ms block the window keeps neighbours apart", "[audio][goertzel]") {
    const auto tone = reference_sine(16000, 440.0, 320, -10.0);
    CHECK(tone_level(tone, 16000, 1130.0, Window::hann) < -70.0);
    CHECK(tone_level(tone, 16000, 1130.0, Window::blackman_harris) < -90.0);
    // Without a window the same neighbour leaks far more: why the default is Hann.
    CHECK(tone_level(tone, 16000, 1130.0, Window::rectangular) > -60.0);
}

TEST_CASE("silence, empty blocks and impossible frequencies", "[audio][goertzel]") {
    const std::vector<int16_t> silence(1000, 0);
    CHECK(tone_level(silence, 16000, 1000.0) == kSilenceDbfs);
    CHECK(tone_level(std::span<const int16_t>(), 16000, 1000.0) == kSilenceDbfs);
    CHECK(std::isnan(tone_level(silence, 16000, 0.0)));
    CHECK(std::isnan(tone_level(silence, 16000, 8000.0)));  // Nyquist
    CHECK(std::isnan(tone_level(silence, 16000, -5.0)));
    CHECK(std::isnan(tone_level(silence, 0, 1000.0)));
    CHECK(std::isnan(tone_level(silence, 16000, std::nan(""))));
    const std::vector<int16_t> two{1000, -1000};
    CHECK(tone_level(two, 16000, 1000.0, Window::hann) == kSilenceDbfs);  // the window is zero
    const std::vector<int16_t> one{1000};
    CHECK(std::isfinite(tone_level(one, 16000, 1000.0, Window::hann)));
}

TEST_CASE("RMS and peak levels", "[audio][level]") {
    const auto full = reference_sine(16000, 1000.0, 16000, 0.0);
    CHECK(rms_dbfs(full) == Approx(0.0).margin(0.01));
    CHECK(peak_dbfs(full) == Approx(0.0).margin(0.01));
    const auto minus20 = reference_sine(16000, 1000.0, 16000, -20.0);
    CHECK(rms_dbfs(minus20) == Approx(-20.0).margin(0.01));
    CHECK(peak_dbfs(minus20) == Approx(-20.0).margin(0.01));
    std::vector<int16_t> square(1000);
    for (std::size_t i = 0; i < square.size(); ++i)
        square[i] = (i / 8) % 2 ? int16_t(-32768) : int16_t(32767);
    CHECK(rms_dbfs(square) == Approx(3.01).margin(0.01));
    CHECK(peak_dbfs(square) == 0.0);
    CHECK(rms_dbfs(std::vector<int16_t>(10, 0)) == kSilenceDbfs);
    CHECK(rms_dbfs({}) == kSilenceDbfs);
    CHECK(peak_dbfs({}) == kSilenceDbfs);
    CHECK(dbfs_to_amplitude(-6.0206) == Approx(16384.0).epsilon(1e-4));
    CHECK(amplitude_to_dbfs(0.0) == kSilenceDbfs);
    CHECK(amplitude_to_dbfs(1e-300) == kSilenceDbfs);
}
