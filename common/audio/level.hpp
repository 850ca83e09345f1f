// Signal levels in dBFS. The reference is a full-scale sine (peak 32768): it reads 0 dBFS both as
// RMS level and as Goertzel tone level, so the meters in this module agree with each other.
#pragma once

#include <cstdint>
#include <span>

namespace sidebar::audio {

// What silence reads as, instead of -infinity, so that arithmetic on levels stays finite.
inline constexpr double kSilenceDbfs = -200.0;

// Peak amplitude 32768 * 10^(dbfs/20) of a sine at `dbfs`.
double dbfs_to_amplitude(double dbfs);
// 20 log10(amplitude / 32768), or kSilenceDbfs for zero.
double amplitude_to_dbfs(double amplitude);

// RMS level: a full-scale sine is 0 dBFS (a full-scale square wave +3 dBFS).
double rms_dbfs(std::span<const int16_t> samples);
// Largest absolute sample: 32768 is 0 dBFS.
double peak_dbfs(std::span<const int16_t> samples);

}  // namespace sidebar::audio
