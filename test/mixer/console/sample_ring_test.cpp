// SampleRing: wrap-around, bounds, discard, and ordering across two real threads.
#include "mixer/console/sample_ring.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <numeric>
#include <thread>
#include <vector>

using sidebar::mixer::SampleRing;

TEST_CASE("ring rounds its capacity up to a power of two", "[console][ring]") {
    CHECK(SampleRing(1).capacity() == 2);
    CHECK(SampleRing(8).capacity() == 8);
    CHECK(SampleRing(1000).capacity() == 1024);
}

TEST_CASE("ring keeps order across the wrap and refuses what does not fit", "[console][ring]") {
    SampleRing ring(8);
    std::array<int16_t, 6> in{1, 2, 3, 4, 5, 6};
    REQUIRE(ring.write(in) == 6);
    std::array<int16_t, 4> out{};
    REQUIRE(ring.read(out) == 4);
    CHECK(out == std::array<int16_t, 4>{1, 2, 3, 4});
    // 2 queued; 6 more fit exactly, the rest is refused.
    std::array<int16_t, 8> more{7, 8, 9, 10, 11, 12, 13, 14};
    CHECK(ring.write(more) == 6);
    CHECK(ring.size() == 8);
    std::array<int16_t, 10> all{};
    REQUIRE(ring.read(all) == 8);
    CHECK(std::vector<int16_t>(all.begin(), all.begin() + 8) ==
          std::vector<int16_t>{5, 6, 7, 8, 9, 10, 11, 12});
    CHECK(ring.read(all) == 0);
}

TEST_CASE("ring discards the oldest samples", "[console][ring]") {
    SampleRing ring(8);
    std::array<int16_t, 5> in{1, 2, 3, 4, 5};
    REQUIRE(ring.write(in) == 5);
    CHECK(ring.discard(3) == 3);
    CHECK(ring.discard(100) == 2);
    CHECK(ring.size() == 0);
    REQUIRE(ring.write(in) == 5);
    CHECK(ring.discard(2) == 2);
    std::array<int16_t, 3> out{};
    REQUIRE(ring.read(out) == 3);
    CHECK(out == std::array<int16_t, 3>{3, 4, 5});
}

TEST_CASE("ring passes a long sequence between two threads in order", "[console][ring]") {
    SampleRing ring(64);
    constexpr int kTotal = 200000;
    std::thread producer([&ring] {
        int next = 0;
        std::array<int16_t, 37> chunk{};
        while (next < kTotal) {
            const int n = std::min<int>(chunk.size(), kTotal - next);
            for (int i = 0; i < n; ++i)
                chunk[i] = static_cast<int16_t>((next + i) & 0x7fff);
            const std::size_t put = ring.write({chunk.data(), static_cast<std::size_t>(n)});
            next += static_cast<int>(put);
            if (put == 0) std::this_thread::yield();
        }
    });
    int expected = 0;
    int errors = 0;
    std::array<int16_t, 29> out{};
    while (expected < kTotal) {
        const std::size_t got = ring.read(out);
        for (std::size_t i = 0; i < got; ++i) {
            if (out[i] != static_cast<int16_t>(expected & 0x7fff)) ++errors;
            ++expected;
        }
        if (got == 0) std::this_thread::yield();
    }
    producer.join();
    CHECK(errors == 0);
    CHECK(expected == kTotal);
    CHECK(ring.size() == 0);
}
