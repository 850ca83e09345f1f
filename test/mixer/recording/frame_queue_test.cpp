// FrameQueue: bounded capacity, order and content, wrap-around, and several producers at once
// against one consumer with nothing lost, duplicated or reordered per producer.
#include "mixer/recording/frame_queue.hpp"

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "test/mixer/recording/recording_test_support.hpp"

using namespace sidebar::mixer;
using sidebar::mixer::test::Frame;

namespace {

Frame filled(int16_t a, int16_t b) {
    Frame f{};
    f.fill(a);
    f.back() = b;
    return f;
}

}  // namespace

TEST_CASE("frame queue holds exactly its capacity, in order", "[recording][queue]") {
    FrameQueue q(3);
    REQUIRE(q.capacity() == 3);
    for (int16_t i = 0; i < 3; ++i)
        REQUIRE(q.try_push(100 + uint64_t(i), filled(i, int16_t(-i))));
    CHECK_FALSE(q.try_push(999, filled(9, 9)));
    for (int lap = 0; lap < 5; ++lap) {  // wrap around several times
        uint64_t got_id = 0;
        Frame got{};
        REQUIRE(q.try_pop([&](uint64_t id, std::span<const int16_t, 320> f) {
            got_id = id;
            std::copy(f.begin(), f.end(), got.begin());
        }));
        const int16_t expect = int16_t(lap);
        CHECK(got_id == 100 + uint64_t(lap));
        CHECK(got.front() == expect);
        CHECK(got.back() == -expect);
        REQUIRE(q.try_push(100 + uint64_t(lap + 3), filled(int16_t(lap + 3), int16_t(-lap - 3))));
        CHECK_FALSE(q.try_push(999, filled(9, 9)));
    }
    CHECK(q.claimed() == 8);
    CHECK(q.consumed() == 5);
}

TEST_CASE("frame queue smaller than two frames holds two", "[recording][queue]") {
    for (std::size_t asked : {std::size_t{0}, std::size_t{1}}) {
        FrameQueue q(asked);
        CHECK(q.capacity() == 2);
        CHECK(q.try_push(1, filled(1, 1)));
        CHECK(q.try_push(2, filled(2, 2)));
        CHECK_FALSE(q.try_push(3, filled(3, 3)));
        CHECK(q.try_pop([](uint64_t id, std::span<const int16_t, 320>) { CHECK(id == 1); }));
        CHECK(q.try_pop([](uint64_t id, std::span<const int16_t, 320>) { CHECK(id == 2); }));
        CHECK_FALSE(q.try_pop([](uint64_t, std::span<const int16_t, 320>) { FAIL("empty"); }));
    }
}

TEST_CASE("frame queue: four producers, one consumer", "[recording][queue]") {
    constexpr int kProducers = 4;
    constexpr int kEach = 20000;
    FrameQueue q(64);
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&q, p] {
            for (int i = 0; i < kEach; ++i) {
                const Frame f = filled(int16_t(i), int16_t(p));
                // Test-only retry: the consumer runs concurrently, so space comes back.
                while (!q.try_push(uint64_t(p + 1), f))
                    std::this_thread::yield();
            }
        });
    }
    std::vector<int> next(kProducers, 0);
    int total = 0;
    bool torn = false;
    while (total < kProducers * kEach) {
        const bool got = q.try_pop([&](uint64_t id, std::span<const int16_t, 320> f) {
            const int p = int(id) - 1;
            if (p < 0 || p >= kProducers || f.back() != p || f[0] != int16_t(next[p]) ||
                f[160] != f[0]) {
                torn = true;  // keep consuming so the producers can finish
                ++total;
                return;
            }
            ++next[std::size_t(p)];
            ++total;
        });
        if (!got) std::this_thread::yield();
    }
    for (auto& t : producers)
        t.join();
    REQUIRE_FALSE(torn);
    for (int p = 0; p < kProducers; ++p)
        CHECK(next[std::size_t(p)] == kEach);
    CHECK_FALSE(q.try_pop([](uint64_t, std::span<const int16_t, 320>) {}));
}
