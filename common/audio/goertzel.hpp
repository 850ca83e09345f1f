// Goertzel tone meter: the level, in dBFS, of one frequency in a block of samples. Tests use it to
// check what each caller hears (a tone that must be present, one that must be ~50 dB down), so it
// is calibrated (a full-scale sine reads 0 dBFS at any block length and rate, on or between DFT
// bins) and windowed so a neighbouring tone leaks little into the measurement.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "common/audio/level.hpp"

namespace sidebar::audio {

enum class Window {
    rectangular,      // narrowest peak, but a neighbour leaks at -13 dB and falls slowly
    hann,             // sidelobes -31 dB, falling 18 dB/octave: the default
    blackman_harris,  // 4-term, sidelobes -92 dB: for very close or very loud neighbours
};

// Level of `hz` in `samples` taken at `sample_rate`. NaN when `hz` is not inside (0, rate/2) or
// the rate is not positive; kSilenceDbfs for an empty block or silence.
double tone_level(std::span<const int16_t> samples, int sample_rate, double hz,
                  Window window = Window::hann);

// The level of each of `freqs`; the window is computed once for all of them.
std::vector<double> tone_levels(std::span<const int16_t> samples, int sample_rate,
                                std::span<const double> freqs, Window window = Window::hann);
std::vector<double> tone_levels(std::span<const int16_t> samples, int sample_rate,
                                std::initializer_list<double> freqs, Window window = Window::hann);

}  // namespace sidebar::audio
