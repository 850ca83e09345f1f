// JitterPlayout: a JitterBuffer and the stream's decoder, producing exactly one 20 ms frame of
// 16 kHz audio per pull. It decodes payloads, rebuilds a lost frame from the next packet's FEC
// when the codec has it, conceals everything else, and keeps what a 40 or 60 ms payload
// decoded beyond the current pull for the next ones.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/codec/codec.hpp"
#include "common/jitter/jitter_buffer.hpp"
#include "common/util/result.hpp"

namespace sidebar::jitter {

struct PlayoutStats {
    uint64_t decoded = 0;        // payloads decoded
    uint64_t decode_errors = 0;  // payloads the decoder refused: concealed instead
    uint64_t fec_recovered = 0;  // lost units rebuilt from the next packet's FEC
    uint64_t concealed = 0;      // units (and short pulls) filled by the decoder's concealment
};

class JitterPlayout {
  public:
    // The decoder is borrowed: it must outlive the playout. config.clock_rate is taken from
    // the decoder.
    static Result<JitterPlayout> create(codec::Decoder& decoder, JitterConfig config = {});

    PutOutcome put(const IncomingPacket& packet) { return buffer_.put(packet); }

    // Writes exactly codec::kFrameSamples samples. Returns false (and writes silence) while the
    // stream has not started playing.
    bool pull(int64_t now_us, std::span<int16_t, codec::kFrameSamples> out);

    const JitterBuffer& buffer() const { return buffer_; }
    const PlayoutStats& stats() const { return stats_; }

  private:
    // Decoded audio waiting to be played: at most one 60 ms payload beyond a pull, plus the
    // pull being assembled.
    static constexpr std::size_t kFifoCapacity =
        2 * codec::kMaxDecodedSamples + codec::kFrameSamples;

    JitterPlayout(codec::Decoder& decoder, JitterBuffer buffer)
        : decoder_(&decoder), buffer_(std::move(buffer)) {}

    std::size_t samples_for(uint32_t rtp_units) const;
    void play_unit(const PlayoutUnit& unit);
    void conceal(std::size_t samples);
    void append(std::size_t samples);

    codec::Decoder* decoder_;
    JitterBuffer buffer_;
    PlayoutStats stats_;
    std::array<int16_t, kFifoCapacity> fifo_{};
    std::size_t fifo_size_ = 0;
    std::array<int16_t, codec::kMaxDecodedSamples> scratch_{};
};

}  // namespace sidebar::jitter
