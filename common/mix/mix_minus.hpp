// Mix-minus over 20 ms frames (320 samples at 16 kHz), DESIGN.md section 4 "Compute it without
// O(N^2) work". For one group:
//   Accumulator sum{};                       // zeroed
//   for each source s:   accumulate(sum, s.frame, s.gain);
//   for each listener l: mix_minus(sum, l.own_frame, l.own_gain, l.out);   // sum - own, saturated
// A sidebar member also hears the main room's mix at parent_gain:
//   add_scaled(sidebar_sum, main_sum, parent_gain); then mix_minus as above.
// Scaled contributions round to nearest ((x*g + 2^14) >> 15) and mix_minus recomputes a
// listener's own contribution the same way, so subtracting it is exact.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/mix/gain.hpp"

namespace sidebar::mix {

inline constexpr std::size_t kFrameSamples = 320;

using Accumulator = std::array<int32_t, kFrameSamples>;
using AccSpan = std::span<int32_t, kFrameSamples>;
using ConstAccSpan = std::span<const int32_t, kFrameSamples>;
using FrameSpan = std::span<int16_t, kFrameSamples>;
using ConstFrameSpan = std::span<const int16_t, kFrameSamples>;

// A mix is clamped to this range before a mix gain scales it (so the product fits in 32 bits):
// at most twice full scale, more than any listener can hear after saturation at unity.
inline constexpr int32_t kMixClampMin = -65536;
inline constexpr int32_t kMixClampMax = 65535;

void clear(AccSpan acc);

// acc += src.
void accumulate(AccSpan acc, ConstFrameSpan src);
// acc += src * gain (gain clamped to 0..kMaxSourceGain); unity takes the plain-add path.
void accumulate(AccSpan acc, ConstFrameSpan src, Gain gain);
// acc += src * gain, always by multiplication (what accumulate() does for non-unity gains).
void accumulate_scaled(AccSpan acc, ConstFrameSpan src, Gain gain);

// acc += clamp(other) * gain (gain clamped to 0..kMaxMixGain): another group's mix heard here.
void add_scaled(AccSpan acc, ConstAccSpan other, Gain gain);

// out = saturate(acc).
void saturate(ConstAccSpan acc, FrameSpan out);
// out = saturate(clamp(acc) * listener_gain).
void saturate(ConstAccSpan acc, Gain listener_gain, FrameSpan out);

// out = saturate(acc - own * own_gain): what a listener who is also a source hears.
void mix_minus(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, FrameSpan out);
// out = saturate(clamp(acc - own * own_gain) * listener_gain).
void mix_minus(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, Gain listener_gain,
               FrameSpan out);
// out = clamp(acc - own * own_gain) * listener_gain, kept in 32 bits for more to be added (a
// member under a service channel hears the room ducked plus the channel).
void mix_minus_scaled(ConstAccSpan acc, ConstFrameSpan own, Gain own_gain, Gain listener_gain,
                      AccSpan out);

}  // namespace sidebar::mix
