// HalfBandUpsampler / HalfBandDownsampler: the filter they implement (from its impulse response),
// tone levels and images measured with the audio module's Goertzel meter, streaming that does not
// depend on how the input is cut into calls, silence, saturation and the up-down round trip.
#include "common/resample/half_band.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/audio/goertzel.hpp"

using sidebar::resample::HalfBandDownsampler;
using sidebar::resample::HalfBandUpsampler;
namespace half_band = sidebar::resample::half_band;

namespace {

constexpr std::size_t kDelay = half_band::kDelay16k;
constexpr double kAmplitude = 32768.0;  // the audio module's 0 dBFS sine

std::vector<int16_t> tone(int rate, double hz, std::size_t n, double dbfs) {
    const double amplitude = kAmplitude * std::pow(10.0, dbfs / 20.0);
    std::vector<int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<int16_t>(std::lround(amplitude * std::sin(2 * M_PI * hz * i / rate)));
    return out;
}

// Level in dBFS of `hz` over the last second of `x`: whole cycles of every integer frequency,
// so the unwindowed Goertzel is exact, and well past the filter's start-up.
double level(const std::vector<int16_t>& x, int rate, double hz) {
    const auto second = std::span(x).last(static_cast<std::size_t>(rate));
    return sidebar::audio::tone_level(second, rate, hz, sidebar::audio::Window::rectangular);
}

std::vector<int16_t> up(const std::vector<int16_t>& in) {
    HalfBandUpsampler r;
    std::vector<int16_t> out(2 * in.size());
    REQUIRE(r.process(in, out) == out.size());
    return out;
}

std::vector<int16_t> down(const std::vector<int16_t>& in) {
    HalfBandDownsampler r;
    std::vector<int16_t> out(in.size() / 2);
    REQUIRE(r.process(in, out) == out.size());
    return out;
}

// The full 16 kHz filter, scaled so that 16384 is 1.0, read off the upsampler's impulse response
// (an input of 16384 makes each odd output exactly its Q14 tap).
std::vector<int> impulse_response() {
    std::vector<int16_t> impulse(64, 0);
    impulse[0] = 16384;
    const auto out = up(impulse);
    return {out.begin(), out.begin() + half_band::kTaps};
}

// |H(f)| in dB of the filter at 16 kHz, normalised to a DC gain of 1 (the interpolator's taps
// carry its gain of 2).
double response_db(const std::vector<int>& taps, double hz) {
    std::complex<double> sum = 0;
    for (std::size_t n = 0; n < taps.size(); ++n)
        sum += double(taps[n]) * std::polar(1.0, -2 * M_PI * hz * double(n) / 16000.0);
    return 20 * std::log10(std::abs(sum) / 32768.0);
}

// The same arithmetic as the resamplers, written as plain convolutions in int64 with the taps
// from impulse_response(): what they must produce, saturation included, for any input.
int16_t clamp16(int64_t v) {
    return static_cast<int16_t>(std::clamp<int64_t>(v, INT16_MIN, INT16_MAX));
}

std::vector<int16_t> reference_up(const std::vector<int16_t>& x) {
    const auto h = impulse_response();
    std::vector<int16_t> out(2 * x.size());
    for (std::size_t n = 0; n < out.size(); ++n) {
        int64_t acc = 0;  // 16 kHz output n is sum h[j] * u[n - j], u = x with zeros between
        for (std::size_t j = 0; j < h.size(); ++j) {
            if (j > n || (n - j) % 2 == 1) continue;
            acc += int64_t{h[j]} * x[(n - j) / 2];
        }
        out[n] = clamp16((acc + 8192) >> 14);
    }
    return out;
}

std::vector<int16_t> reference_down(const std::vector<int16_t>& x) {
    const auto h = impulse_response();
    std::vector<int16_t> out(x.size() / 2);
    for (std::size_t m = 0; m < out.size(); ++m) {
        int64_t acc = 0;  // h sums to 2.0 in Q14, so the shift is 15
        for (std::size_t j = 0; j < h.size() && j <= 2 * m; ++j)
            acc += int64_t{h[j]} * x[2 * m - j];
        out[m] = clamp16((acc + 16384) >> 15);
    }
    return out;
}

}  // namespace

SCENARIO("the half-band filter is linear phase with the documented delay and response",
         "[resample][half_band]") {
    const auto h = impulse_response();
    REQUIRE(h.size() == 59);
    CHECK(h[kDelay] == 16384);  // the centre tap: 1/2, times the interpolation gain of 2
    for (std::size_t n = 0; n < h.size(); ++n) {
        CHECK(h[n] == h[h.size() - 1 - n]);
        if (n != kDelay && (n - kDelay) % 2 == 0) CHECK(h[n] == 0);
    }
    double pass_lo = 0, pass_hi = 0, stop = -200;
    for (double hz = 0; hz <= 3400; hz += 5) {
        pass_lo = std::min(pass_lo, response_db(h, hz));
        pass_hi = std::max(pass_hi, response_db(h, hz));
    }
    for (double hz = 4600; hz <= 8000; hz += 5)
        stop = std::max(stop, response_db(h, hz));
    INFO("passband " << pass_lo << " .. " << pass_hi << " dB, stopband " << stop << " dB");
    CHECK(pass_lo > -0.005);
    CHECK(pass_hi < 0.005);
    CHECK(stop < -70.0);
    CHECK(response_db(h, 0) == Approx(0.0).margin(1e-9));  // DC exactly, both directions
}

SCENARIO("tones keep their level through either direction", "[resample][half_band]") {
    for (double hz : {100.0, 300.0, 1000.0, 3000.0, 3400.0}) {
        GIVEN(std::to_string(int(hz)) + " Hz at -10 dBFS") {
            const double margin = hz == 1000.0 ? 0.05 : 0.1;
            CHECK(level(up(tone(8000, hz, 16000, -10.0)), 16000, hz) ==
                  Approx(-10.0).margin(margin));
            CHECK(level(down(tone(16000, hz, 32000, -10.0)), 8000, hz) ==
                  Approx(-10.0).margin(margin));
        }
    }
}

SCENARIO("upsampling images and downsampling aliases are at least 65 dB down",
         "[resample][half_band]") {
    WHEN("8 kHz tones are upsampled, their images at 8 kHz - f are stopped") {
        for (double hz : {1000.0, 3000.0, 3400.0}) {
            const auto out = up(tone(8000, hz, 16000, -10.0));
            INFO(hz << " Hz");
            CHECK(level(out, 16000, 8000.0 - hz) < -10.0 - 65.0);
        }
    }
    WHEN("16 kHz tones above 4.6 kHz are downsampled, their aliases at 8 kHz - f are stopped") {
        for (double hz : {4600.0, 5000.0, 6000.0, 7500.0}) {
            const auto out = down(tone(16000, hz, 32000, -10.0));
            INFO(hz << " Hz");
            CHECK(level(out, 8000, 8000.0 - hz) < -10.0 - 65.0);
        }
    }
}

SCENARIO("cutting the stream into calls of any length changes no output bit",
         "[resample][half_band]") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> sample(INT16_MIN, INT16_MAX);
    std::vector<int16_t> in(20000);
    for (auto& s : in)
        s = static_cast<int16_t>(sample(rng));
    std::uniform_int_distribution<std::size_t> length(1, 960);
    const auto whole_up = up(in);
    const auto whole_down = down(in);
    for (int trial = 0; trial < 5; ++trial) {
        HalfBandUpsampler u;
        HalfBandDownsampler d;
        std::vector<int16_t> up_out, down_out;
        for (std::size_t pos = 0; pos < in.size();) {
            // Mostly random lengths, and now and then a single sample or the 960 maximum.
            std::size_t n = trial == 0 ? 1 : length(rng);
            if (trial == 1) n = 960;
            n = std::min(n, in.size() - pos);
            const auto chunk = std::span(in).subspan(pos, n);
            std::vector<int16_t> a(2 * n), b(d.output_size(n));
            CHECK(u.process(chunk, a) == a.size());
            CHECK(d.process(chunk, b) == b.size());
            up_out.insert(up_out.end(), a.begin(), a.end());
            down_out.insert(down_out.end(), b.begin(), b.end());
            pos += n;
        }
        INFO("trial " << trial);
        CHECK(up_out == whole_up);
        CHECK(down_out == whole_down);
    }
}

SCENARIO("the downsampler carries an odd sample to the next call", "[resample][half_band]") {
    HalfBandDownsampler d;
    std::vector<int16_t> out(4);
    const std::vector<int16_t> three = {100, 200, 300};
    CHECK(d.output_size(3) == 1);
    CHECK(d.process(three, out) == 1);
    CHECK(d.output_size(0) == 0);
    CHECK(d.process({}, out) == 0);  // nothing in: the carried sample stays
    CHECK(d.output_size(1) == 1);
    CHECK(d.process(std::span(three).first(1), out) == 1);
    CHECK(d.output_size(3) == 1);
}

SCENARIO("silence in gives exact zeros out, also once loud audio has passed",
         "[resample][half_band]") {
    HalfBandUpsampler u;
    HalfBandDownsampler d;
    std::vector<int16_t> silence(480, 0), up_out(960), down_out(240);
    u.process(silence, up_out);
    d.process(silence, down_out);
    CHECK(std::all_of(up_out.begin(), up_out.end(), [](int16_t s) { return s == 0; }));
    CHECK(std::all_of(down_out.begin(), down_out.end(), [](int16_t s) { return s == 0; }));

    const auto loud = tone(8000, 1000.0, 480, 0.0);
    u.process(loud, up_out);
    d.process(loud, down_out);
    u.process(silence, up_out);
    d.process(silence, down_out);
    // The history is flushed after the filter's length; from then on exactly zero.
    CHECK(std::all_of(up_out.begin() + 2 * kDelay, up_out.end(), [](int16_t s) { return s == 0; }));
    CHECK(std::all_of(down_out.begin() + kDelay, down_out.end(), [](int16_t s) { return s == 0; }));
}

SCENARIO("full-scale input saturates instead of wrapping", "[resample][half_band]") {
    GIVEN("a full-scale square wave (its ringing overshoots int16)") {
        std::vector<int16_t> square(4000);
        for (std::size_t i = 0; i < square.size(); ++i)
            square[i] = (i / 8) % 2 == 0 ? INT16_MAX : INT16_MIN;
        const auto u = up(square);
        const auto d = down(square);
        CHECK(*std::max_element(u.begin(), u.end()) == INT16_MAX);
        CHECK(*std::min_element(u.begin(), u.end()) == INT16_MIN);
        CHECK(*std::max_element(d.begin(), d.end()) == INT16_MAX);
        CHECK(*std::min_element(d.begin(), d.end()) == INT16_MIN);
        CHECK(u == reference_up(square));
        CHECK(d == reference_down(square));
    }
    GIVEN("the worst case: full scale with each tap's sign, the largest sum the filter can make") {
        const auto h = impulse_response();
        std::vector<int16_t> worst(200, 0);
        for (std::size_t j = 0; j < h.size(); ++j) {
            // The downsampler's output 60 sums h[j] * x[120 - j].
            worst[120 - j] = h[j] >= 0 ? INT16_MAX : INT16_MIN;
        }
        const auto d = down(worst);
        CHECK(d[60] == INT16_MAX);
        CHECK(d == reference_down(worst));
        std::vector<int16_t> narrow(100);
        for (std::size_t k = 0; k < 30; ++k)  // the upsampler's odd branch over its window
            narrow[40 + k] = h[2 * k] >= 0 ? INT16_MAX : INT16_MIN;
        const auto u = up(narrow);
        CHECK(u[2 * 69] == INT16_MAX);  // the odd output whose window ends at narrow[69]
        CHECK(u == reference_up(narrow));
    }
}

SCENARIO("a tone survives up then down with its level and a whole-sample delay",
         "[resample][half_band]") {
    const auto in = tone(8000, 1000.0, 16000, -10.0);
    const auto back = down(up(in));
    CHECK(level(back, 8000, 1000.0) == Approx(-10.0).margin(0.05));
    std::vector<int16_t> impulse(100, 0);
    impulse[10] = 20000;
    const auto pulse = down(up(impulse));
    CHECK(std::max_element(pulse.begin(), pulse.end()) - pulse.begin() == 10 + long(kDelay));
}

SCENARIO("the half-band resamplers never overrun a short output buffer",
         "[resample][half_band][hostile]") {
    const std::vector<int16_t> in(100, 1000);
    std::vector<int16_t> out(7, 5);
    HalfBandUpsampler u;
    CHECK(u.process(in, std::span(out).first(5)) == 4);
    CHECK(out[5] == 5);
    HalfBandDownsampler d;
    CHECK(d.process(in, std::span(out).first(5)) == 5);
    CHECK(out[5] == 5);
}
