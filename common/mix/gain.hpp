// Gains of the mixing model (DESIGN.md section 4) as Q15 fixed point: kUnityGain (32768) is 0 dB.
// Source gains may boost up to +6 dB (kMaxSourceGain, so int16 x gain still fits in int32);
// gains applied to a whole mix (a sidebar hearing the main room at -12 dB, ducking under a
// service channel) are attenuations, at most unity.
#pragma once

#include <cstdint>

namespace sidebar::mix {

using Gain = int32_t;

inline constexpr int kGainShift = 15;
inline constexpr Gain kUnityGain = 1 << kGainShift;
inline constexpr Gain kMaxSourceGain = 2 * kUnityGain;  // +6.02 dB
inline constexpr Gain kMaxMixGain = kUnityGain;
inline constexpr Gain kSilentGain = 0;

// The nearest Q15 gain to `db` decibels, clamped to 0..kMaxSourceGain; -infinity or NaN is 0.
Gain dbfs_to_gain(double db);
// The gain in decibels; -infinity for 0.
double gain_to_db(Gain gain);

}  // namespace sidebar::mix
