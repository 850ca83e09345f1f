// Audio helpers' cost: tone generation per 20 ms frame, and the Goertzel meter over the 3 s
// window integration tests use (one iteration = one whole 3 s measurement).
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/tone.hpp"

using namespace sidebar::audio;

namespace {

void tone_sine_frame(benchmark::State& state) {
    auto gen = ToneGenerator::sine(1000.0, -10.0);
    std::array<int16_t, kToneFrameSamples> frame{};
    for (auto _ : state) {
        gen.fill(frame);
        benchmark::DoNotOptimize(frame.data());
    }
}
BENCHMARK(tone_sine_frame);

void tone_dual_frame(benchmark::State& state) {
    auto gen = ToneGenerator::dual(697.0, 1209.0, -10.0);
    std::array<int16_t, kToneFrameSamples> frame{};
    for (auto _ : state) {
        gen.fill(frame);
        benchmark::DoNotOptimize(frame.data());
    }
}
BENCHMARK(tone_dual_frame);

void tone_ringback_frame(benchmark::State& state) {
    auto gen = ToneGenerator::ringback();
    std::array<int16_t, kToneFrameSamples> frame{};
    for (auto _ : state) {
        gen.fill(frame);
        benchmark::DoNotOptimize(frame.data());
    }
}
BENCHMARK(tone_ringback_frame);

std::vector<int16_t> three_seconds() {
    auto gen = ToneGenerator::dual(440.0, 1130.0, -10.0);
    std::vector<int16_t> out(48000);
    gen.fill(out);
    return out;
}

void goertzel_3s_one_freq(benchmark::State& state) {
    const auto block = three_seconds();
    for (auto _ : state)
        benchmark::DoNotOptimize(tone_level(block, 16000, 1130.0));
}
BENCHMARK(goertzel_3s_one_freq)->Unit(benchmark::kMicrosecond);

void goertzel_3s_five_freqs(benchmark::State& state) {
    const auto block = three_seconds();
    for (auto _ : state) {
        auto levels = tone_levels(block, 16000, {440.0, 1130.0, 1570.0, 2210.0, 2870.0});
        benchmark::DoNotOptimize(levels.data());
    }
}
BENCHMARK(goertzel_3s_five_freqs)->Unit(benchmark::kMicrosecond);

void goertzel_20ms_frame(benchmark::State& state) {
    const auto block = three_seconds();
    const std::span<const int16_t> frame(block.data(), kToneFrameSamples);
    for (auto _ : state)
        benchmark::DoNotOptimize(tone_level(frame, 16000, 1130.0));
}
BENCHMARK(goertzel_20ms_frame);

}  // namespace
