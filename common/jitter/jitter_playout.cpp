// JitterPlayout: decode, FEC or conceal each unit the buffer hands out, through a small FIFO of
// decoded samples.
#include "common/jitter/jitter_playout.hpp"

#include <algorithm>

namespace sidebar::jitter {

Result<JitterPlayout> JitterPlayout::create(codec::Decoder& decoder, JitterConfig config) {
    config.clock_rate = decoder.rtp_clock_rate();
    auto buffer = JitterBuffer::create(config);
    if (!buffer) return buffer.error();
    return JitterPlayout(decoder, std::move(buffer).value());
}

bool JitterPlayout::pull(int64_t now_us, std::span<int16_t, codec::kFrameSamples> out) {
    const PlayoutFrame& frame = buffer_.get(now_us);
    if (!frame.started) {
        std::fill(out.begin(), out.end(), int16_t{0});
        return false;
    }
    for (const PlayoutUnit& unit : frame.units())
        play_unit(unit);
    // A pull the units did not fill (a decoder that returned less than the packet's length,
    // more units than a frame holds) is concealed rather than played short.
    if (fifo_size_ < codec::kFrameSamples) conceal(codec::kFrameSamples - fifo_size_);
    std::copy_n(fifo_.begin(), codec::kFrameSamples, out.begin());
    std::copy(fifo_.begin() + codec::kFrameSamples, fifo_.begin() + fifo_size_, fifo_.begin());
    fifo_size_ -= codec::kFrameSamples;
    // What a legitimate payload leaves beyond a pull is under 60 ms; more means the decoder
    // produced more than the stream's timestamps said, which would only add latency.
    if (fifo_size_ > codec::kMaxDecodedSamples) {
        const std::size_t drop = fifo_size_ - codec::kMaxDecodedSamples;
        std::copy(fifo_.begin() + drop, fifo_.begin() + fifo_size_, fifo_.begin());
        fifo_size_ -= drop;
    }
    return true;
}

std::size_t JitterPlayout::samples_for(uint32_t rtp_units) const {
    const auto rate = static_cast<uint64_t>(buffer_.config().clock_rate);
    const uint64_t samples = (uint64_t{rtp_units} * codec::kInternalRate + rate / 2) / rate;
    return std::min<std::size_t>(samples, codec::kMaxDecodedSamples);
}

void JitterPlayout::play_unit(const PlayoutUnit& unit) {
    const std::size_t samples = samples_for(unit.duration);
    switch (unit.kind) {
        case UnitKind::payload: {
            auto decoded = decoder_->decode(unit.payload, scratch_);
            if (!decoded) {
                ++stats_.decode_errors;
                conceal(samples);
                return;
            }
            ++stats_.decoded;
            const std::size_t n = std::min(decoded.value(), scratch_.size());
            // The buffer guessed the payload's length; the decoder knows it.
            const auto rate = static_cast<uint64_t>(buffer_.config().clock_rate);
            buffer_.correct_duration(
                unit, static_cast<uint32_t>(uint64_t{n} * rate / codec::kInternalRate));
            append(n);
            return;
        }
        case UnitKind::lost:
            if (!unit.fec_source.empty()) {
                auto recovered = decoder_->decode_fec(unit.fec_source, samples, scratch_);
                if (recovered) {
                    ++stats_.fec_recovered;
                    append(std::min(*recovered, scratch_.size()));
                    return;
                }
            }
            conceal(samples);
            return;
        case UnitKind::filler:
            conceal(samples);
            return;
    }
}

void JitterPlayout::conceal(std::size_t samples) {
    if (samples == 0) return;
    ++stats_.concealed;
    const std::size_t n = std::min(samples, scratch_.size());
    decoder_->conceal(std::span<int16_t>(scratch_.data(), n));
    append(n);
}

void JitterPlayout::append(std::size_t samples) {
    // Never more than the FIFO holds: drop the oldest audio rather than overrun.
    if (fifo_size_ + samples > fifo_.size()) {
        const std::size_t excess = fifo_size_ + samples - fifo_.size();
        const std::size_t drop = std::min(excess, fifo_size_);
        std::copy(fifo_.begin() + drop, fifo_.begin() + fifo_size_, fifo_.begin());
        fifo_size_ -= drop;
    }
    std::copy_n(scratch_.begin(), samples, fifo_.begin() + fifo_size_);
    fifo_size_ += samples;
}

}  // namespace sidebar::jitter
