// A fixed-ratio resampler that returns exactly the number of samples asked for on every call, for
// codecs that turn each frame at one rate into exactly one frame at another (G.711's 8 kHz <-> the
// 16 kHz internal rate). sidebar::resample::Resampler skips speexdsp's filter delay at the start,
// so its first outputs come out short; here that shortfall is paid once as leading silence and any
// surplus waits for the next call, so the stream keeps one constant delay.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "common/resample/resampler.hpp"
#include "common/util/result.hpp"

namespace sidebar::codec {

class FrameResampler {
  public:
    static Result<FrameResampler> create(int in_rate, int out_rate);

    // Converts all of `in` and writes exactly out.size() samples: carried-over samples first, then
    // the new ones; leading zeros if the filter has not delivered enough yet. Samples beyond
    // out.size() are kept for the next call. `in` may hold at most kMaxInput samples.
    void process(std::span<const int16_t> in, std::span<int16_t> out);

    // Samples produced but not yet handed out.
    std::size_t pending() const { return pending_; }

    static constexpr std::size_t kMaxInput = 960;  // 60 ms at 16 kHz

  private:
    explicit FrameResampler(resample::Resampler resampler) : resampler_(std::move(resampler)) {}

    resample::Resampler resampler_;
    // Room for a 1:2 upsampling of kMaxInput plus carried samples; no call allocates.
    std::array<int16_t, 4 * kMaxInput> buffer_{};
    std::size_t pending_ = 0;
};

}  // namespace sidebar::codec
