// Sample-rate conversion between the rates the product meets (8, 16, 48 kHz and whatever a
// prompt file was recorded at), backed by speexdsp. One Resampler keeps filter state across
// calls, so a stream must keep its own instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/util/result.hpp"

struct SpeexResamplerState_;

namespace sidebar::resample {

class Resampler {
  public:
    // quality: speexdsp's 0..10; 3 is its VoIP default and what the media path uses.
    static Result<Resampler> create(int in_rate, int out_rate, int quality = 3);

    Resampler(Resampler&& other) noexcept;
    Resampler& operator=(Resampler&& other) noexcept;
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;
    ~Resampler();

    int in_rate() const { return in_rate_; }
    int out_rate() const { return out_rate_; }
    // Samples process() writes for `in_samples` input, when the rates divide evenly (as 8/16/48
    // kHz do); the caller sizes `out` with it.
    std::size_t output_size(std::size_t in_samples) const;

    // Converts all of `in`; returns the samples written to `out`. `out` must hold
    // output_size(in.size()) samples. Same-rate resamplers copy.
    std::size_t process(std::span<const int16_t> in, std::span<int16_t> out);

    // Forgets the filter history (after a gap in the stream).
    void reset();

  private:
    Resampler(SpeexResamplerState_* state, int in_rate, int out_rate)
        : state_(state), in_rate_(in_rate), out_rate_(out_rate) {}

    SpeexResamplerState_* state_ = nullptr;  // owned; null when in_rate == out_rate
    int in_rate_ = 0;
    int out_rate_ = 0;
};

}  // namespace sidebar::resample
