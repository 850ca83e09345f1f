// Updates from two threads while a third renders: every update is counted.
#include <catch2/catch.hpp>
#include <thread>

#include "common/metrics/registry.hpp"

using namespace sidebar::metrics;

TEST_CASE("concurrent updates from two threads sum correctly", "[metrics]") {
    Registry registry;
    auto counter = registry.counter("c_total", "h");
    auto gauge = registry.gauge("g", "h");
    auto int_gauge = registry.int_gauge("ig", "h");
    auto histogram = registry.histogram("h", "h", {10, 100});
    constexpr int kIterations = 100000;
    const auto work = [&](double value) {
        for (int i = 0; i < kIterations; ++i) {
            counter->inc();
            gauge->add(1.0);
            int_gauge->inc();
            histogram->observe(value);
        }
    };
    std::thread a(work, 5.0);
    std::thread b(work, 50.0);
    // Rendering concurrently must be safe (checked by the sanitizers) and never see a total above
    // what was added.
    for (int i = 0; i < 20; ++i) {
        CHECK_FALSE(registry.render().empty());
        CHECK(counter->value() <= 2u * kIterations);
    }
    a.join();
    b.join();
    CHECK(counter->value() == 2u * kIterations);
    CHECK(gauge->value() == Approx(2.0 * kIterations));
    CHECK(int_gauge->value() == 2 * kIterations);
    const auto snap = histogram->snapshot();
    CHECK(snap.cumulative == std::vector<uint64_t>{kIterations, 2 * kIterations, 2 * kIterations});
    CHECK(snap.sum == Approx(55.0 * kIterations));
}
