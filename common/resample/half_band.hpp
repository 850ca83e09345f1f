// Fixed 2:1 resamplers between G.711's 8 kHz and the 16 kHz internal rate, built on one
// linear-phase half-band FIR. They replace speexdsp for that one ratio because the mixer converts
// every G.711 member every 20 ms tick, and a half-band filter needs far less work: half its taps
// are zero, and, run polyphase, every second output upsampling is just an input sample, and
// downsampling computes only the outputs it keeps.
//
// The filter (59 taps at 16 kHz, designed at compile time in half_band.cpp): Kaiser-windowed sinc,
// beta 7.0, cut-off at 4 kHz, coefficients in Q14. Passband 0..3.4 kHz flat within +-0.002 dB,
// stopband from 4.6 kHz 72.7 dB down (the tests hold it to +-0.005 dB and 70 dB). Both directions
// delay the signal by the filter's group delay, kDelay16k samples at 16 kHz; a round trip up then
// down delays it by kDelay16k samples at 8 kHz and changes the passband by under 0.01 dB.
//
// Each instance keeps only the last few input samples, streams across calls of any length, and
// gives bit-identical output however the stream is cut into calls. No call allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sidebar::resample {

namespace half_band {

// Non-zero taps on each side of the centre tap; the full filter has 4 * kSideTaps - 1 taps.
inline constexpr std::size_t kSideTaps = 15;
inline constexpr std::size_t kTaps = 4 * kSideTaps - 1;
// Group delay of the linear-phase filter, in 16 kHz samples (odd, so it is 14.5 at 8 kHz).
inline constexpr std::size_t kDelay16k = kTaps / 2;

}  // namespace half_band

// 8 kHz -> 16 kHz: exactly two output samples per input sample.
class HalfBandUpsampler {
  public:
    // Converts min(in.size(), out.size() / 2) samples of `in`; returns the samples written to
    // `out`, twice that. `out` should hold 2 * in.size() samples; input beyond what fits is lost.
    std::size_t process(std::span<const int16_t> in, std::span<int16_t> out);

    // Forgets the history (after a gap in the stream); the next output starts from silence.
    void reset() { history_ = {}; }

  private:
    // The last inputs, oldest first: the odd outputs' filter reaches this far back.
    std::array<int16_t, 2 * half_band::kSideTaps - 1> history_{};
};

// 16 kHz -> 8 kHz: one output sample per two input samples. An odd input sample left at the end of
// a call waits for its partner in the next one.
class HalfBandDownsampler {
  public:
    // Output samples the next process() call makes from `in_samples` input.
    std::size_t output_size(std::size_t in_samples) const {
        return (in_samples + (has_carry_ ? 1 : 0)) / 2;
    }

    // Converts `in` (after any sample carried from the previous call); returns the samples written
    // to `out`. `out` should hold output_size(in.size()); input beyond what fits is lost.
    std::size_t process(std::span<const int16_t> in, std::span<int16_t> out);

    void reset();

  private:
    // The input split by phase: the even-indexed samples meet the non-zero side taps, the
    // odd-indexed ones only the centre tap.
    std::array<int16_t, 2 * half_band::kSideTaps - 1> even_history_{};
    std::array<int16_t, half_band::kSideTaps> odd_history_{};
    int16_t carry_ = 0;
    bool has_carry_ = false;
};

}  // namespace sidebar::resample
