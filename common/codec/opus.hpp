// Opus (libopus) for the 16 kHz media path, RTP per RFC 7587: the RTP clock is always 48 kHz
// (960 units per 20 ms) whatever the audio bandwidth. Both directions run libopus at 16 kHz
// mono, so nothing is resampled here: the encoder takes the internal 16 kHz frames directly, and
// the decoder renders any packet (fullband or stereo, "opus/48000/2" in SDP) to 16 kHz mono.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/codec/codec.hpp"

struct OpusDecoder;  // libopus
struct OpusEncoder;

namespace sidebar::codec {

namespace opus {

inline constexpr int kRtpClockRate = 48000;
inline constexpr uint32_t kTimestampStep = 960;  // 20 ms at 48 kHz
// One frame holds at most 1275 bytes (RFC 6716); the encoder never needs more.
inline constexpr std::size_t kMaxFrameBytes = 1275;

// Checks a payload the way the decoder will (structure per RFC 6716, at most 60 ms) and returns
// its duration in samples at 16 kHz. The jitter buffer can call it to learn a packet's length.
Result<std::size_t> packet_samples(std::span<const uint8_t> payload);

// Whether a packet carries in-band FEC (SILK LBRR) for the packet before it: read from the first
// flag bits of the SILK layer, as libopus 1.5's opus_packet_has_lbrr() does (1.3 lacks it).
bool has_fec(std::span<const uint8_t> payload);

}  // namespace opus

struct OpusDecoderDeleter {
    void operator()(::OpusDecoder* decoder) const;
};
struct OpusEncoderDeleter {
    void operator()(::OpusEncoder* encoder) const;
};

class OpusRtpDecoder final : public Decoder {
  public:
    static Result<std::unique_ptr<OpusRtpDecoder>> create();

    Kind kind() const override { return Kind::opus; }
    int rtp_clock_rate() const override { return opus::kRtpClockRate; }
    // Any valid packet of up to 60 ms (2.5 ms frames upward), mono or stereo.
    Result<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> out) override;
    // The lost packet's audio from the LBRR data in `next_payload`; nullopt if that packet
    // carries none, is invalid, or `samples` is not a whole number of 2.5 ms (40 samples) up to
    // 60 ms that fits in `out`. Then conceal() is the fallback.
    std::optional<std::size_t> decode_fec(std::span<const uint8_t> next_payload,
                                          std::size_t samples, std::span<int16_t> out) override;
    // libopus's own concealment (it continues the decoder state, so the next packet joins).
    void conceal(std::span<int16_t> out) override;

  private:
    explicit OpusRtpDecoder(std::unique_ptr<::OpusDecoder, OpusDecoderDeleter> decoder)
        : decoder_(std::move(decoder)) {}

    std::unique_ptr<::OpusDecoder, OpusDecoderDeleter> decoder_;
};

class OpusRtpEncoder final : public Encoder {
  public:
    // Options must pass validate() (codec.hpp).
    static Result<std::unique_ptr<OpusRtpEncoder>> create(const EncoderOptions& options);

    Kind kind() const override { return Kind::opus; }
    int rtp_clock_rate() const override { return opus::kRtpClockRate; }
    uint32_t timestamp_step() const override { return opus::kTimestampStep; }
    Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;

  private:
    explicit OpusRtpEncoder(std::unique_ptr<::OpusEncoder, OpusEncoderDeleter> encoder)
        : encoder_(std::move(encoder)) {}

    std::unique_ptr<::OpusEncoder, OpusEncoderDeleter> encoder_;
};

}  // namespace sidebar::codec
