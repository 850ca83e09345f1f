// Mix-minus cost per 20 ms frame: one iteration sums a group's sources once and produces every
// listener's frame. The "per_member" counter is that time divided by the members.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "common/mix/mix_minus.hpp"

using namespace sidebar::mix;

namespace {

using Frame = std::array<int16_t, kFrameSamples>;

std::vector<Frame> random_frames(std::size_t n) {
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> d(-8000, 8000);
    std::vector<Frame> out(n);
    for (auto& f : out)
        for (auto& s : f)
            s = static_cast<int16_t>(d(rng));
    return out;
}

void per_member(benchmark::State& state, std::size_t members) {
    state.counters["per_member"] =
        benchmark::Counter(double(members), benchmark::Counter::kIsIterationInvariantRate |
                                                benchmark::Counter::kInvert);
}

// Every member a source at unity and a listener: the main room.
void mix_minus_frame(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto in = random_frames(n);
    std::vector<Frame> out(n);
    Accumulator sum{};
    for (auto _ : state) {
        clear(sum);
        for (std::size_t s = 0; s < n; ++s)
            accumulate(sum, in[s]);
        for (std::size_t l = 0; l < n; ++l)
            mix_minus(sum, in[l], kUnityGain, out[l]);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    per_member(state, n);
}
BENCHMARK(mix_minus_frame)->ArgName("members")->Arg(4)->Arg(16)->Arg(64);

// The same with every source and listener gain off unity: the multiply paths.
void mix_minus_frame_gains(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto in = random_frames(n);
    std::vector<Frame> out(n);
    Accumulator sum{};
    const Gain g = dbfs_to_gain(-3.0);
    const Gain lg = dbfs_to_gain(-12.0);
    for (auto _ : state) {
        clear(sum);
        for (std::size_t s = 0; s < n; ++s)
            accumulate(sum, in[s], g);
        for (std::size_t l = 0; l < n; ++l)
            mix_minus(sum, in[l], g, lg, out[l]);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    per_member(state, n);
}
BENCHMARK(mix_minus_frame_gains)->ArgName("members")->Arg(16);

// A 16-member room with a 2-member sidebar that hears the main mix at -12 dB.
void mix_minus_frame_with_sidebar(benchmark::State& state) {
    const std::size_t n = 16;
    const auto in = random_frames(n);
    std::vector<Frame> out(n);
    Accumulator main_sum{}, side_sum{};
    const Gain parent = dbfs_to_gain(-12.0);
    for (auto _ : state) {
        clear(main_sum);
        clear(side_sum);
        for (std::size_t s = 0; s < n - 2; ++s)
            accumulate(main_sum, in[s]);
        accumulate(side_sum, in[n - 2]);
        accumulate(side_sum, in[n - 1]);
        add_scaled(side_sum, main_sum, parent);
        for (std::size_t l = 0; l < n - 2; ++l)
            mix_minus(main_sum, in[l], kUnityGain, out[l]);
        mix_minus(side_sum, in[n - 2], kUnityGain, out[n - 2]);
        mix_minus(side_sum, in[n - 1], kUnityGain, out[n - 1]);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    per_member(state, n);
}
BENCHMARK(mix_minus_frame_with_sidebar);

// The parts alone, per 20 ms frame of one source or one listener.
void accumulate_one_source(benchmark::State& state) {
    const auto in = random_frames(1);
    Accumulator sum{};
    for (auto _ : state) {
        accumulate(sum, in[0]);
        benchmark::DoNotOptimize(sum.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(accumulate_one_source);

void mix_minus_one_listener(benchmark::State& state) {
    const auto in = random_frames(2);
    Accumulator sum{};
    accumulate(sum, in[0]);
    accumulate(sum, in[1]);
    Frame out{};
    for (auto _ : state) {
        mix_minus(sum, in[0], kUnityGain, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(mix_minus_one_listener);

}  // namespace
