// speexdsp-backed Resampler.
#include "common/resample/resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <string>

namespace sidebar::resample {

Result<Resampler> Resampler::create(int in_rate, int out_rate, int quality) {
    if (in_rate < 1000 || in_rate > 384000 || out_rate < 1000 || out_rate > 384000) {
        return make_error("resampler: rate out of range 1000..384000: " + std::to_string(in_rate) +
                          " -> " + std::to_string(out_rate));
    }
    if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
        return make_error("resampler: quality must be 0..10, got " + std::to_string(quality));
    }
    if (in_rate == out_rate) return Resampler(nullptr, in_rate, out_rate);
    int err = RESAMPLER_ERR_SUCCESS;
    SpeexResamplerState* state = speex_resampler_init(
        1, static_cast<spx_uint32_t>(in_rate), static_cast<spx_uint32_t>(out_rate), quality, &err);
    if (state == nullptr || err != RESAMPLER_ERR_SUCCESS) {
        return make_error(std::string("resampler: speexdsp init failed: ") +
                          speex_resampler_strerror(err));
    }
    // Skip the filter's initial zeros so a converted tone starts where the input did.
    speex_resampler_skip_zeros(state);
    return Resampler(state, in_rate, out_rate);
}

Resampler::Resampler(Resampler&& other) noexcept
    : state_(other.state_), in_rate_(other.in_rate_), out_rate_(other.out_rate_) {
    other.state_ = nullptr;
}

Resampler& Resampler::operator=(Resampler&& other) noexcept {
    if (this != &other) {
        if (state_ != nullptr) speex_resampler_destroy(state_);
        state_ = other.state_;
        in_rate_ = other.in_rate_;
        out_rate_ = other.out_rate_;
        other.state_ = nullptr;
    }
    return *this;
}

Resampler::~Resampler() {
    if (state_ != nullptr) speex_resampler_destroy(state_);
}

std::size_t Resampler::output_size(std::size_t in_samples) const {
    // Rounded up so a caller's buffer is never short for rates that do not divide evenly.
    const auto in = static_cast<uint64_t>(in_rate_);
    return static_cast<std::size_t>((in_samples * static_cast<uint64_t>(out_rate_) + in - 1) / in);
}

std::size_t Resampler::process(std::span<const int16_t> in, std::span<int16_t> out) {
    if (state_ == nullptr) {
        const std::size_t n = std::min(in.size(), out.size());
        std::copy_n(in.begin(), n, out.begin());
        return n;
    }
    std::size_t consumed_total = 0;
    std::size_t written_total = 0;
    // speexdsp may stop early when `out` fills; loop until input is used or no room is left.
    while (consumed_total < in.size() && written_total < out.size()) {
        auto in_len = static_cast<spx_uint32_t>(in.size() - consumed_total);
        auto out_len = static_cast<spx_uint32_t>(out.size() - written_total);
        speex_resampler_process_int(state_, 0, in.data() + consumed_total, &in_len,
                                    out.data() + written_total, &out_len);
        if (in_len == 0 && out_len == 0) break;
        consumed_total += in_len;
        written_total += out_len;
    }
    return written_total;
}

void Resampler::reset() {
    if (state_ != nullptr) {
        speex_resampler_reset_mem(state_);
        speex_resampler_skip_zeros(state_);
    }
}

}  // namespace sidebar::resample
