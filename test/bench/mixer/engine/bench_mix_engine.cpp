// MixEngine::mix() per 20 ms tick: rooms of 5, 20, 100 and 1000 members with 3 talkers (the rest
// idle, so they share one frame), and 1000 members with two 2-member sidebars. Each iteration
// puts every member's input (as the media layer does) and mixes. "per_member" is the tick's time
// divided by the members.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "mixer/engine/mix_engine.hpp"

using namespace sidebar::mixer;

namespace {

using Frame = std::array<int16_t, kFrame>;

Frame noise(std::mt19937& rng, int amplitude) {
    std::uniform_int_distribution<int> d(-amplitude, amplitude);
    Frame f{};
    for (auto& s : f)
        s = static_cast<int16_t>(d(rng));
    return f;
}

void run(benchmark::State& state, MixEngine& engine, std::size_t members) {
    std::mt19937 rng(1);
    const Frame talk = noise(rng, 8000);
    const Frame idle = noise(rng, 3);  // line noise far below the gate
    for (auto _ : state) {
        for (MemberId id = 1; id <= members; ++id)
            engine.put_input(id, id <= 3 ? talk : idle);
        engine.mix();
        benchmark::DoNotOptimize(engine.output(static_cast<MemberId>(members)).pcm.data());
    }
    state.counters["per_member"] =
        benchmark::Counter(double(members), benchmark::Counter::kIsIterationInvariantRate |
                                                benchmark::Counter::kInvert);
}

void mix_room(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    MixEngine engine;
    for (MemberId id = 1; id <= n; ++id)
        engine.add_member(id);
    run(state, engine, n);
}
BENCHMARK(mix_room)->ArgName("members")->Arg(5)->Arg(20)->Arg(100)->Arg(1000);

// Members 1 and 4 in one sidebar, 2 and 5 in another: two talkers in sidebars, one in main.
void mix_room_two_sidebars(benchmark::State& state) {
    const std::size_t n = 1000;
    MixEngine engine;
    for (MemberId id = 1; id <= n; ++id)
        engine.add_member(id);
    const GroupId a = engine.create_sidebar(-12.0);
    const GroupId b = engine.create_sidebar(-12.0);
    engine.move_member(1, a);
    engine.move_member(4, a);
    engine.move_member(2, b);
    engine.move_member(5, b);
    run(state, engine, n);
}
BENCHMARK(mix_room_two_sidebars);

// Every member talking: the worst case, each listener a personal mix-minus frame.
void mix_room_all_talking(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    MixEngine engine;
    for (MemberId id = 1; id <= n; ++id)
        engine.add_member(id);
    std::mt19937 rng(2);
    const Frame talk = noise(rng, 2000);
    for (auto _ : state) {
        for (MemberId id = 1; id <= n; ++id)
            engine.put_input(id, talk);
        engine.mix();
        benchmark::DoNotOptimize(engine.output(1).pcm.data());
    }
    state.counters["per_member"] = benchmark::Counter(
        double(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(mix_room_all_talking)->ArgName("members")->Arg(20)->Arg(1000);

}  // namespace
