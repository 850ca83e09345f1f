// Resampler: rates, lengths, and that a tone keeps its frequency and level across conversion.
#include "common/resample/resampler.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

namespace {

std::vector<int16_t> sine(int rate, double hz, std::size_t n, double amplitude = 10000.0) {
    std::vector<int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<int16_t>(amplitude * std::sin(2.0 * M_PI * hz * double(i) / rate));
    }
    return out;
}

// Correlation-based amplitude of `hz` in `x` (a tiny Goertzel, kept local to stay independent
// of the audio module).
double amplitude_at(const std::vector<int16_t>& x, int rate, double hz, std::size_t skip) {
    double re = 0, im = 0;
    const std::size_t n = x.size() - skip;
    for (std::size_t i = skip; i < x.size(); ++i) {
        re += x[i] * std::cos(2.0 * M_PI * hz * double(i) / rate);
        im += x[i] * std::sin(2.0 * M_PI * hz * double(i) / rate);
    }
    return 2.0 * std::sqrt(re * re + im * im) / double(n);
}

}  // namespace

SCENARIO("rates the product meets are converted with the right length", "[resample]") {
    struct Case {
        int in, out;
    };
    for (auto c : {Case{8000, 16000}, Case{16000, 8000}, Case{16000, 48000}, Case{48000, 16000},
                   Case{16000, 16000}}) {
        auto r = sidebar::resample::Resampler::create(c.in, c.out);
        REQUIRE(r.ok());
        const std::size_t in_frame = std::size_t(c.in) / 50;  // 20 ms
        std::vector<int16_t> in = sine(c.in, 1000.0, in_frame * 50);
        std::vector<int16_t> out(r->output_size(in.size()));
        std::size_t written = 0;
        for (std::size_t off = 0; off < in.size(); off += in_frame) {
            written +=
                r->process(std::span(in).subspan(off, in_frame), std::span(out).subspan(written));
        }
        // speexdsp holds back a few samples of filter delay, never more than a frame.
        CHECK(written <= out.size());
        CHECK(written + std::size_t(c.out) / 50 >= out.size());
        out.resize(written);
        CHECK(amplitude_at(out, c.out, 1000.0, std::size_t(c.out) / 10) ==
              Approx(10000.0).epsilon(0.05));
    }
}

SCENARIO("bad rates and qualities are refused with a reason", "[resample]") {
    CHECK_FALSE(sidebar::resample::Resampler::create(0, 16000).ok());
    CHECK_FALSE(sidebar::resample::Resampler::create(16000, 10000000).ok());
    auto bad_quality = sidebar::resample::Resampler::create(8000, 16000, 11);
    REQUIRE_FALSE(bad_quality.ok());
    CHECK(bad_quality.message().find("quality") != std::string::npos);
}

SCENARIO("a short output buffer is never overrun", "[resample]") {
    auto r = sidebar::resample::Resampler::create(8000, 48000);
    REQUIRE(r.ok());
    std::vector<int16_t> in = sine(8000, 440.0, 160);
    std::vector<int16_t> out(100);
    CHECK(r->process(in, out) <= 100);
}
