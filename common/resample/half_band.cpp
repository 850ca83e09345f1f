// The half-band filter's design, evaluated at compile time, and the two polyphase loops.
#include "common/resample/half_band.hpp"

#include <algorithm>
#include <limits>

namespace sidebar::resample {

namespace {

constexpr std::size_t kSide = half_band::kSideTaps;

// --- Design -----------------------------------------------------------------------------------
// The ideal half-band low-pass (cut-off fs/4 = 4 kHz) is h[n] = sin(pi n / 2) / (pi n), h[0] = 1/2:
// every even tap but the centre is zero, and the odd ones are +-1 / (pi n), so no sine is needed.
// A Kaiser window with beta 7.0 spanning +-2 * kSide (it reaches zero one tap past the ends)
// trades a 4.0 +- 0.6 kHz transition band for about 72 dB of stopband; kSide = 15 is the smallest
// length that keeps 65 dB with margin once the taps are rounded to Q14 (14 gives 65.6 dB).
// Everything is computed in constexpr double, so the taps are fixed by the compiler, not by a
// run-time libm.

constexpr double kPi = 3.14159265358979323846;
constexpr double kKaiserBeta = 7.0;

constexpr double constexpr_sqrt(double x) {
    double r = x > 1.0 ? x : 1.0;
    for (int i = 0; i < 64; ++i)
        r = 0.5 * (r + x / r);  // Newton; converges long before 64 from above
    return r;
}

// Modified Bessel function I0 by its power series, which converges fast for the window's range.
constexpr double bessel_i0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 100; ++k) {
        const double half = x / (2.0 * k);
        term *= half * half;
        sum += term;
    }
    return sum;
}

// Q14: the side taps of one polyphase branch sum to 1.0 = 16384 over both sides. (Q15 would let a
// worst-case full-scale input overflow int32: the absolute taps of the branch sum to about 2.4.)
constexpr int kCoefBits = 14;

// g[k] = 2 h[2k + 1], the tap at offsets +-(2k + 1) doubled, as the interpolator's odd-phase
// branch uses it. Rounded to Q14 with the rounding residue put on the largest tap, so each side
// sums to exactly 8192 and DC passes with gain exactly 1 in both directions.
constexpr std::array<int16_t, kSide> design_side_taps() {
    std::array<double, kSide> g{};
    double sum = 0;
    for (std::size_t k = 0; k < kSide; ++k) {
        const double n = 2.0 * static_cast<double>(k) + 1.0;
        const double r = n / (2.0 * kSide);
        const double window =
            bessel_i0(kKaiserBeta * constexpr_sqrt(1.0 - r * r)) / bessel_i0(kKaiserBeta);
        g[k] = (k % 2 == 0 ? 2.0 : -2.0) / (kPi * n) * window;
        sum += g[k];
    }
    std::array<int16_t, kSide> q{};
    int total = 0;
    for (std::size_t k = 0; k < kSide; ++k) {
        const double scaled = g[k] / (2.0 * sum) * (1 << kCoefBits);
        q[k] = static_cast<int16_t>(scaled >= 0 ? scaled + 0.5 : scaled - 0.5);
        total += q[k];
    }
    q[0] = static_cast<int16_t>(q[0] + (1 << (kCoefBits - 1)) - total);
    return q;
}

constexpr std::array<int16_t, kSide> kSideTaps = design_side_taps();

// The branch laid out in input order: taps for w[0..2 * kSide - 1] around the gap between
// w[kSide - 1] and w[kSide], padded with zeros to 32. Whole blocks of 8 let g++ turn the dot
// products below into pmaddwd (vpmaddwd with AVX2) with no remainder loop.
constexpr std::size_t kDotTaps = 32;
static_assert(kDotTaps >= 2 * kSide && kDotTaps % 8 == 0);
constexpr std::size_t kPad = kDotTaps - 2 * kSide;  // samples read past a window, met by zero taps

constexpr std::array<int16_t, kDotTaps> make_dot_taps() {
    std::array<int16_t, kDotTaps> taps{};
    for (std::size_t k = 0; k < kSide; ++k) {
        taps[kSide - 1 - k] = kSideTaps[k];
        taps[kSide + k] = kSideTaps[k];
    }
    return taps;
}
alignas(16) constexpr std::array<int16_t, kDotTaps> kDotTapsQ14 = make_dot_taps();

constexpr int64_t abs_tap_sum() {
    int64_t sum = 0;
    for (int16_t t : kDotTapsQ14)
        sum += t < 0 ? -t : t;
    return sum;
}
// The downsampler's accumulator, worst case: every side tap meets full scale with its own sign,
// plus the centre tap and rounding. It must fit int32 for the loops below to be exact.
static_assert(abs_tap_sum() * 32768 + (int64_t{32768} << kCoefBits) + (1 << kCoefBits) <=
              std::numeric_limits<int32_t>::max());

// --- Filtering ----------------------------------------------------------------------------------

constexpr std::size_t kHistory = 2 * kSide - 1;
// Outputs per pass: a 20 ms frame in either direction is one pass; the buffers stay on the stack.
constexpr std::size_t kBlock = 256;

constexpr int32_t dot(const int16_t* w) {
    int32_t sum = 0;
    for (std::size_t j = 0; j < kDotTaps; ++j)
        sum += int32_t{kDotTapsQ14[j]} * w[j];
    return sum;
}

// acc[i] = sum_j taps[j] * w[i + j] for i < n, in Q14. `w` holds n + kHistory + kPad samples.
// Four outputs per step with their own sums: g++ -O3 (CMake's Release flags) unrolls the taps into
// pmaddwd, where one output at a time or the taps-outer form come out about twice as slow. -O2
// vectorises less of it and costs about 1.4 times as much.
void side_branch(const int16_t* w, std::size_t n, int32_t* acc) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        const int16_t* p = w + i;
        for (std::size_t j = 0; j < kDotTaps; ++j) {
            const int32_t tap = kDotTapsQ14[j];
            s0 += tap * p[j];
            s1 += tap * p[j + 1];
            s2 += tap * p[j + 2];
            s3 += tap * p[j + 3];
        }
        acc[i] = s0;
        acc[i + 1] = s1;
        acc[i + 2] = s2;
        acc[i + 3] = s3;
    }
    for (; i < n; ++i)
        acc[i] = dot(w + i);
}

int16_t saturate(int32_t v) {
    return static_cast<int16_t>(std::clamp<int32_t>(v, std::numeric_limits<int16_t>::min(),
                                                    std::numeric_limits<int16_t>::max()));
}

}  // namespace

std::size_t HalfBandUpsampler::process(std::span<const int16_t> in, std::span<int16_t> out) {
    const std::size_t n = std::min(in.size(), out.size() / 2);
    std::array<int16_t, kHistory + kBlock + kPad> work;
    std::array<int32_t, kBlock> acc;
    for (std::size_t done = 0; done < n;) {
        const std::size_t block = std::min(kBlock, n - done);
        std::copy(history_.begin(), history_.end(), work.begin());
        std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(done), block, work.begin() + kHistory);
        std::fill_n(work.begin() + kHistory + block, kPad, int16_t{0});
        side_branch(work.data(), block, acc.data());
        // Input sample i sits at work[i + kSide] once its window is complete: the even output is
        // that sample itself (the centre tap, 1/2, times the interpolation gain of 2), preceded
        // by the odd output halfway between it and the sample before.
        int16_t* o = out.data() + 2 * done;
        for (std::size_t i = 0; i < block; ++i) {
            o[2 * i] = saturate((acc[i] + (1 << (kCoefBits - 1))) >> kCoefBits);
            o[2 * i + 1] = work[i + kSide];
        }
        std::copy_n(work.begin() + static_cast<std::ptrdiff_t>(block), kHistory, history_.begin());
        done += block;
    }
    return 2 * n;
}

std::size_t HalfBandDownsampler::process(std::span<const int16_t> in, std::span<int16_t> out) {
    const std::size_t pairs = std::min(output_size(in.size()), out.size());
    const bool carry_left = pairs == output_size(in.size()) && (in.size() + has_carry_) % 2 == 1;
    std::array<int16_t, kHistory + kBlock + kPad> even;
    std::array<int16_t, kSide + kBlock> odd;
    std::array<int32_t, kBlock> acc;
    std::size_t pos = 0;
    for (std::size_t done = 0; done < pairs;) {
        const std::size_t block = std::min(kBlock, pairs - done);
        std::copy(even_history_.begin(), even_history_.end(), even.begin());
        std::copy(odd_history_.begin(), odd_history_.end(), odd.begin());
        std::size_t j = 0;
        if (has_carry_) {
            even[kHistory] = carry_;
            odd[kSide] = in[pos++];
            has_carry_ = false;
            j = 1;
        }
        for (; j < block; ++j, pos += 2) {
            even[kHistory + j] = in[pos];
            odd[kSide + j] = in[pos + 1];
        }
        std::fill_n(even.begin() + kHistory + block, kPad, int16_t{0});
        side_branch(even.data(), block, acc.data());
        // Output j is centred on odd[j], the odd-indexed input kSide pairs back: centre tap 1/2,
        // the side taps (stored doubled) 1/2 of the branch sum, hence one more bit of shift.
        int16_t* o = out.data() + done;
        for (std::size_t i = 0; i < block; ++i) {
            const int32_t sum = acc[i] + (int32_t{odd[i]} << kCoefBits) + (1 << kCoefBits);
            o[i] = saturate(sum >> (kCoefBits + 1));
        }
        std::copy_n(even.begin() + static_cast<std::ptrdiff_t>(block), kHistory,
                    even_history_.begin());
        std::copy_n(odd.begin() + static_cast<std::ptrdiff_t>(block), kSide, odd_history_.begin());
        done += block;
    }
    if (carry_left && !in.empty()) {
        carry_ = in.back();
        has_carry_ = true;
    }
    return pairs;
}

void HalfBandDownsampler::reset() {
    even_history_ = {};
    odd_history_ = {};
    carry_ = 0;
    has_carry_ = false;
}

}  // namespace sidebar::resample
