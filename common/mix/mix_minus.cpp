// The kernels: each a branch-free loop over 320 samples through __restrict pointers, so g++ -O2
// (whose cheap vectorizer cost model accepts no runtime alias checks) turns them into SIMD.
#include "common/mix/mix_minus.hpp"

#include <algorithm>

// x86-64's baseline (SSE2) has no packed 32-bit min/max or multiply, which costs the saturating
// loops about four times their AVX2 form. So the same plain loops are compiled twice, and the
// loader picks the AVX2 clone where the CPU has it (GCC/Clang function multiversioning, ifunc).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SIDEBAR_MIX_NO_CLONES)
#define SIDEBAR_MIX_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define SIDEBAR_MIX_KERNEL
#endif

namespace sidebar::mix {

namespace {

constexpr int32_t kRound = 1 << (kGainShift - 1);
constexpr std::size_t N = kFrameSamples;

inline int32_t scaled(int32_t x, Gain gain) {
    return (x * gain + kRound) >> kGainShift;
}

inline int16_t saturated(int32_t x) {
    return static_cast<int16_t>(std::clamp<int32_t>(x, INT16_MIN, INT16_MAX));
}

inline int32_t mix_clamped(int32_t x) {
    return std::clamp<int32_t>(x, kMixClampMin, kMixClampMax);
}

Gain source_gain(Gain gain) {
    return std::clamp<Gain>(gain, 0, kMaxSourceGain);
}

Gain mix_gain(Gain gain) {
    return std::clamp<Gain>(gain, 0, kMaxMixGain);
}

SIDEBAR_MIX_KERNEL void add_plain(int32_t* __restrict acc, const int16_t* __restrict src) {
    for (std::size_t i = 0; i < N; ++i)
        acc[i] += src[i];
}

SIDEBAR_MIX_KERNEL void add_mul(int32_t* __restrict acc, const int16_t* __restrict src, Gain gain) {
    for (std::size_t i = 0; i < N; ++i)
        acc[i] += scaled(src[i], gain);
}

SIDEBAR_MIX_KERNEL void add_mix(int32_t* __restrict acc, const int32_t* __restrict other,
                                Gain gain) {
    for (std::size_t i = 0; i < N; ++i)
        acc[i] += scaled(mix_clamped(other[i]), gain);
}

SIDEBAR_MIX_KERNEL void sat_plain(const int32_t* __restrict acc, int16_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = saturated(acc[i]);
}

SIDEBAR_MIX_KERNEL void sat_mul(const int32_t* __restrict acc, Gain gain, int16_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = saturated(scaled(mix_clamped(acc[i]), gain));
}

SIDEBAR_MIX_KERNEL void minus_plain(const int32_t* __restrict acc, const int16_t* __restrict own,
                                    int16_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = saturated(acc[i] - own[i]);
}

SIDEBAR_MIX_KERNEL void minus_mul(const int32_t* __restrict acc, const int16_t* __restrict own,
                                  Gain own_gain, int16_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = saturated(acc[i] - scaled(own[i], own_gain));
}

SIDEBAR_MIX_KERNEL void minus_mul_mix(const int32_t* __restrict acc, const int16_t* __restrict own,
                                      Gain own_gain, Gain listener_gain, int16_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = saturated(scaled(mix_clamped(acc[i] - scaled(own[i], own_gain)), listener_gain));
}

SIDEBAR_MIX_KERNEL void minus_mul_mix_wide(const int32_t* __restrict acc,
                                           const int16_t* __restrict own, Gain own_gain,
                                           Gain listener_gain, int32_t* __restrict out) {
    for (std::size_t i = 0; i < N; ++i)
        out[i] = scaled(mix_clamped(acc[i] - scaled(own[i], own_gain)), listener_gain);
}

}  // namespace

void clear(AccSpan acc) {
    std::fill(acc.begin(), acc.end(), 0);
}

void accumulate(AccSpan acc, ConstFrameSpan src) {
    add_plain(acc.data(), src.data());
}

void accumulate(AccSpan acc, ConstFrameSpan src, Gain gain) {
    gain = source_gain(gain);
    if (gain == kUnityGain) {
        add_plain(acc.data(), src.data());
    } else if (gain != kSilentGain) {
        add_mul(acc.data(), src.data(), gain);
    }
}

void accumulate_scaled(AccSpan acc, ConstFrameSpan src, Gain gain) {
    add_mul(acc.data(), src.data(), source_gain(gain));
}

void add_scaled(AccSpan acc, ConstAccSpan other, Gain gain) {
    gain = mix_gain(gain);
    if (gain != kSilentGain) add_mix(acc.data(), other.data(), gain);
}

void saturate(ConstAccSpan acc, FrameSpan out) {
    sat_plain(acc.data(), out.data());
}

void saturate(ConstAccSpan acc, Gain listener_gain, FrameSpan out) {
    listener_gain = mix_gain(listener_gain);
    if (listener_gain == kUnityGain) {
        sat_plain(acc.data(), out.data());
    } else {
        sat_mul(acc.data(), listener_gain, out.data());
    }
}

void mix_minus(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, FrameSpan out) {
    own_gain = source_gain(own_gain);
    if (own_gain == kUnityGain) {
        minus_plain(acc.data(), own.data(), out.data());
    } else {
        minus_mul(acc.data(), own.data(), own_gain, out.data());
    }
}

void mix_minus(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, Gain listener_gain,
               FrameSpan out) {
    listener_gain = mix_gain(listener_gain);
    if (listener_gain == kUnityGain) {
        mix_minus(acc, own, own_gain, out);
    } else {
        minus_mul_mix(acc.data(), own.data(), source_gain(own_gain), listener_gain, out.data());
    }
}

void mix_minus_scaled(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, Gain listener_gain,
                      AccSpan out) {
    minus_mul_mix_wide(acc.data(), own.data(), source_gain(own_gain), mix_gain(listener_gain),
                       out.data());
}

}  // namespace sidebar::mix
