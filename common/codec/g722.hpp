// G.722 at 64 kbit/s (spandsp's codec) for the 16 kHz media path. G.722 samples at 16 kHz, the
// internal rate, so nothing is resampled; its RTP clock is nevertheless 8000 (RFC 3551's
// historical error), so 20 ms is 160 timestamp units and 160 bytes. Loss is concealed by
// WaveformPlc, because spandsp's plc assumes 8 kHz (see waveform_plc.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/codec/codec.hpp"
#include "common/codec/waveform_plc.hpp"

namespace sidebar::codec {

namespace g722 {
inline constexpr int kRtpClockRate = 8000;
inline constexpr int kBitRate = 64000;
inline constexpr std::size_t kBytesPerMs = 8;  // one byte per pair of 16 kHz samples
}  // namespace g722

struct SpandspG722Decoder;  // spandsp's g722_decode_state_t, kept out of this header
struct SpandspG722Encoder;  // spandsp's g722_encode_state_t

class G722Decoder final : public Decoder {
  public:
    static Result<std::unique_ptr<G722Decoder>> create();
    ~G722Decoder() override;

    Kind kind() const override { return Kind::g722; }
    int rtp_clock_rate() const override { return g722::kRtpClockRate; }
    // Any whole number of milliseconds from 1 to 60 (8 to 480 bytes).
    Result<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> out) override;
    void conceal(std::span<int16_t> out) override;

  private:
    explicit G722Decoder(std::unique_ptr<SpandspG722Decoder> state);

    std::unique_ptr<SpandspG722Decoder> state_;
    WaveformPlc plc_{kInternalRate};
};

class G722Encoder final : public Encoder {
  public:
    static Result<std::unique_ptr<G722Encoder>> create();
    ~G722Encoder() override;

    Kind kind() const override { return Kind::g722; }
    int rtp_clock_rate() const override { return g722::kRtpClockRate; }
    uint32_t timestamp_step() const override { return 160; }
    Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;

  private:
    explicit G722Encoder(std::unique_ptr<SpandspG722Encoder> state);

    std::unique_ptr<SpandspG722Encoder> state_;
};

}  // namespace sidebar::codec
