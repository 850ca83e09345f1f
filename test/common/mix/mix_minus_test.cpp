// Mix-minus kernels against a naive O(N^2) reference on random frames, saturation at both ends,
// gain accuracy, and the sidebar and service-channel compositions of DESIGN.md section 4.
#include "common/mix/mix_minus.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

using namespace sidebar::mix;

namespace {

using Frame = std::array<int16_t, kFrameSamples>;

Frame random_frame(std::mt19937& rng, int16_t lo = INT16_MIN, int16_t hi = INT16_MAX) {
    std::uniform_int_distribution<int> d(lo, hi);
    Frame f{};
    for (auto& s : f)
        s = static_cast<int16_t>(d(rng));
    return f;
}

Frame constant_frame(int16_t v) {
    Frame f{};
    f.fill(v);
    return f;
}

// The reference: what each listener hears, re-summing every other source (O(N^2)), in 64 bits,
// with the rounding the kernels document.
int64_t ref_scaled(int64_t x, int64_t gain) {
    return (x * gain + (1 << 14)) >> 15;
}

int16_t ref_saturate(int64_t x) {
    return static_cast<int16_t>(std::clamp<int64_t>(x, -32768, 32767));
}

Frame reference_listener(const std::vector<Frame>& sources, const std::vector<Gain>& gains,
                         std::size_t listener, Gain listener_gain = kUnityGain) {
    Frame out{};
    for (std::size_t i = 0; i < kFrameSamples; ++i) {
        int64_t sum = 0;
        for (std::size_t s = 0; s < sources.size(); ++s) {
            if (s != listener) sum += ref_scaled(sources[s][i], gains[s]);
        }
        if (listener_gain != kUnityGain) {
            sum = ref_scaled(std::clamp<int64_t>(sum, kMixClampMin, kMixClampMax), listener_gain);
        }
        out[i] = ref_saturate(sum);
    }
    return out;
}

double rms(const Frame& f) {
    double sum = 0;
    for (const int16_t s : f)
        sum += double(s) * s;
    return std::sqrt(sum / f.size());
}

}  // namespace

TEST_CASE("mix-minus equals the naive O(N^2) sum on random frames", "[mix]") {
    std::mt19937 rng(20261125);
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t n = 2 + std::size_t(trial % 15);
        std::vector<Frame> sources;
        std::vector<Gain> gains;
        std::uniform_int_distribution<Gain> gain_dist(0, kMaxSourceGain);
        for (std::size_t s = 0; s < n; ++s) {
            // Quiet sources too, so that not everything saturates.
            sources.push_back(trial % 2 ? random_frame(rng) : random_frame(rng, -3000, 3000));
            gains.push_back(s % 3 == 0 ? kUnityGain : gain_dist(rng));
        }
        Accumulator sum{};
        for (std::size_t s = 0; s < n; ++s)
            accumulate(sum, sources[s], gains[s]);
        for (std::size_t l = 0; l < n; ++l) {
            INFO("trial " << trial << " listener " << l << " of " << n);
            Frame out{};
            mix_minus(sum, sources[l], gains[l], out);
            REQUIRE(out == reference_listener(sources, gains, l));
            const Gain lg = dbfs_to_gain(-12.0);
            mix_minus(sum, sources[l], gains[l], lg, out);
            REQUIRE(out == reference_listener(sources, gains, l, lg));
        }
        // A listener who is not a source (a recorder) hears the whole sum.
        Frame all{};
        saturate(sum, all);
        REQUIRE(all == reference_listener(sources, gains, n));
    }
}

TEST_CASE("saturation at both ends, after subtracting the listener", "[mix]") {
    const std::vector<Frame> loud(4, constant_frame(32767));
    Accumulator sum{};
    for (const auto& f : loud)
        accumulate(sum, f);
    Frame out{};
    mix_minus(sum, loud[0], kUnityGain, out);
    CHECK(out == constant_frame(32767));

    const std::vector<Frame> low(4, constant_frame(-32768));
    Accumulator neg{};
    for (const auto& f : low)
        accumulate(neg, f);
    mix_minus(neg, low[0], kUnityGain, out);
    CHECK(out == constant_frame(-32768));
    saturate(neg, out);
    CHECK(out == constant_frame(-32768));

    // Two full-scale talkers: each hears the other exactly, not a clipped sum minus itself.
    Accumulator two{};
    accumulate(two, loud[0]);
    const Frame other = constant_frame(-12345);
    accumulate(two, other);
    mix_minus(two, loud[0], kUnityGain, out);
    CHECK(out == other);
    mix_minus(two, other, kUnityGain, out);
    CHECK(out == loud[0]);

    // +6 dB on a full-scale source: the widest product the kernel allows.
    Accumulator boosted{};
    accumulate(boosted, low[0], kMaxSourceGain);
    CHECK(boosted[0] == -65536);
    accumulate(boosted, loud[0], kMaxSourceGain);
    CHECK(boosted[0] == -2);
}

TEST_CASE("-12 dB is applied within 0.05 dB", "[mix]") {
    Frame sine{};
    for (std::size_t i = 0; i < sine.size(); ++i)
        sine[i] =
            static_cast<int16_t>(std::lrint(20000.0 * std::sin(2 * M_PI * 1000.0 * i / 16000)));
    const Gain g = dbfs_to_gain(-12.0);
    Frame out{};
    Accumulator acc{};
    accumulate(acc, sine, g);
    saturate(acc, out);
    CHECK(20.0 * std::log10(rms(out) / rms(sine)) == Approx(-12.0).margin(0.05));
    // The same on the listener side: a sidebar hearing the main mix.
    Accumulator main{};
    accumulate(main, sine);
    saturate(main, g, out);
    CHECK(20.0 * std::log10(rms(out) / rms(sine)) == Approx(-12.0).margin(0.05));
    Accumulator heard{};
    add_scaled(heard, main, g);
    saturate(heard, out);
    CHECK(20.0 * std::log10(rms(out) / rms(sine)) == Approx(-12.0).margin(0.05));
}

TEST_CASE("the unity fast path is identical to the no-gain and multiply paths", "[mix]") {
    std::mt19937 rng(7);
    const Frame a = random_frame(rng);
    const Frame b = random_frame(rng);
    Accumulator plain{}, unity{}, multiplied{};
    accumulate(plain, a);
    accumulate(plain, b);
    accumulate(unity, a, kUnityGain);
    accumulate(unity, b, kUnityGain);
    accumulate_scaled(multiplied, a, kUnityGain);
    accumulate_scaled(multiplied, b, kUnityGain);
    CHECK(plain == unity);
    CHECK(plain == multiplied);
    Frame x{}, y{}, z{};
    mix_minus(plain, a, kUnityGain, x);
    mix_minus(plain, a, kUnityGain, kUnityGain, y);
    Accumulator minus_b{};
    accumulate(minus_b, b);
    saturate(minus_b, z);
    CHECK(x == y);
    CHECK(x == z);
    saturate(plain, x);
    saturate(plain, kUnityGain, y);
    CHECK(x == y);
}

TEST_CASE("gains outside their range are clamped, zero adds nothing", "[mix]") {
    std::mt19937 rng(11);
    const Frame a = random_frame(rng);
    Accumulator acc{};
    accumulate(acc, a, kSilentGain);
    accumulate(acc, a, -1000);
    CHECK(acc == Accumulator{});
    Accumulator big{}, max{};
    accumulate(big, a, 10 * kUnityGain);
    accumulate(max, a, kMaxSourceGain);
    CHECK(big == max);
    Accumulator mixed{}, unity{};
    add_scaled(mixed, big, 4 * kUnityGain);  // a mix gain never boosts
    add_scaled(unity, big, kUnityGain);
    CHECK(mixed == unity);
    add_scaled(mixed, big, -7);
    CHECK(mixed == unity);
    clear(mixed);
    CHECK(mixed == Accumulator{});
}

TEST_CASE("a sidebar hears its members and the main room at parent gain, never itself", "[mix]") {
    std::mt19937 rng(42);
    // Main room: members 0..3; sidebar: members 4 and 5.
    std::vector<Frame> m;
    for (int i = 0; i < 6; ++i)
        m.push_back(random_frame(rng, -8000, 8000));
    Accumulator main_sum{}, side_sum{};
    for (int i = 0; i < 4; ++i)
        accumulate(main_sum, m[std::size_t(i)]);
    accumulate(side_sum, m[4]);
    accumulate(side_sum, m[5]);
    const Gain parent = dbfs_to_gain(-12.0);
    Accumulator side_hears = side_sum;
    add_scaled(side_hears, main_sum, parent);
    for (std::size_t l : {4u, 5u}) {
        Frame out{};
        mix_minus(side_hears, m[l], kUnityGain, out);
        const std::size_t other = l == 4 ? 5 : 4;
        for (std::size_t i = 0; i < kFrameSamples; ++i) {
            int64_t main_mix = 0;
            for (int s = 0; s < 4; ++s)
                main_mix += m[std::size_t(s)][i];
            const int64_t expect = m[other][i] + ref_scaled(main_mix, parent);
            REQUIRE(out[i] == ref_saturate(expect));
        }
    }
    // Main-room members hear no sidebar member.
    Frame out{};
    mix_minus(main_sum, m[0], kUnityGain, out);
    CHECK(out == reference_listener({m[0], m[1], m[2], m[3]}, std::vector<Gain>(4, kUnityGain), 0));
}

TEST_CASE("a member under a service channel hears the room ducked plus the channel", "[mix]") {
    std::mt19937 rng(3);
    const Frame me = random_frame(rng, -5000, 5000);
    const Frame other = random_frame(rng, -5000, 5000);
    const Frame channel = random_frame(rng, -5000, 5000);
    Accumulator room{};
    accumulate(room, me);
    accumulate(room, other);
    const Gain duck = dbfs_to_gain(-10.0);
    Accumulator hears{};
    mix_minus_scaled(room, me, kUnityGain, duck, hears);
    accumulate(hears, channel);
    Frame out{};
    saturate(hears, out);
    for (std::size_t i = 0; i < kFrameSamples; ++i)
        REQUIRE(out[i] == ref_saturate(ref_scaled(other[i], duck) + channel[i]));
}

TEST_CASE("a mix far past full scale is clamped before a mix gain scales it", "[mix]") {
    Accumulator huge{};
    for (int i = 0; i < 10; ++i)
        accumulate(huge, constant_frame(32767));
    Accumulator heard{};
    add_scaled(heard, huge, dbfs_to_gain(-12.0));
    // 65535 (twice full scale) at -12 dB, not 327670 at -12 dB.
    CHECK(heard[0] == ref_scaled(kMixClampMax, dbfs_to_gain(-12.0)));
    Frame out{};
    saturate(huge, dbfs_to_gain(-6.0206), out);
    CHECK(out[0] == 32767);
    Accumulator neg{};
    for (int i = 0; i < 10; ++i)
        accumulate(neg, constant_frame(-32768));
    saturate(neg, kUnityGain / 2, out);
    CHECK(out[0] == -32768);
}
