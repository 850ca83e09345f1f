// FrameResampler: exact-count framing around the speexdsp Resampler.
#include "common/codec/frame_resampler.hpp"

#include <algorithm>
#include <string>

namespace sidebar::codec {

Result<FrameResampler> FrameResampler::create(int in_rate, int out_rate) {
    if (out_rate > 2 * in_rate) {
        // Keeps a full kMaxInput call inside buffer_; the codecs here need at most 1:2.
        return make_error("frame resampler: ratio above 1:2 not supported: " +
                          std::to_string(in_rate) + " -> " + std::to_string(out_rate));
    }
    auto resampler = resample::Resampler::create(in_rate, out_rate);
    if (!resampler) return resampler.error();
    return FrameResampler(std::move(resampler).value());
}

void FrameResampler::process(std::span<const int16_t> in, std::span<int16_t> out) {
    in = in.first(std::min(in.size(), kMaxInput));
    // The resampler never writes past the room it is given, so a surplus can only be lost, never
    // overrun; with the ratios used here the room is always enough.
    const std::span<int16_t> room = std::span(buffer_).subspan(pending_);
    const std::size_t available = pending_ + resampler_.process(in, room);

    std::size_t written = 0;
    if (available < out.size()) {
        written = out.size() - available;
        std::fill_n(out.begin(), written, int16_t{0});
    }
    const std::size_t taken = out.size() - written;
    std::copy_n(buffer_.begin(), taken, out.begin() + static_cast<std::ptrdiff_t>(written));
    std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(taken),
              buffer_.begin() + static_cast<std::ptrdiff_t>(available), buffer_.begin());
    pending_ = available - taken;
}

}  // namespace sidebar::codec
