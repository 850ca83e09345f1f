// G.711 µ-law (PCMU) and A-law (PCMA), ITU-T G.711, table-driven. The table codecs work at the
// codec's own 8 kHz; G711Decoder and G711Encoder wrap them for the 16 kHz media path, with the
// half-band 2:1 resamplers and spandsp's packet-loss concealment on the 8 kHz signal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/codec/codec.hpp"
#include "common/resample/half_band.hpp"

namespace sidebar::codec {

namespace g711 {

inline constexpr int kRate = 8000;
inline constexpr std::size_t kBytesPerMs = 8;  // one byte per 8 kHz sample
inline constexpr std::size_t kMaxPayloadBytes = 60 * kBytesPerMs;

// Single samples, for tests and for anyone holding 8 kHz audio.
uint8_t linear_to_ulaw(int16_t sample);
int16_t ulaw_to_linear(uint8_t code);
uint8_t linear_to_alaw(int16_t sample);
int16_t alaw_to_linear(uint8_t code);

// Whole buffers: min(in.size(), out.size()) samples.
void encode_ulaw(std::span<const int16_t> pcm, std::span<uint8_t> out);
void decode_ulaw(std::span<const uint8_t> codes, std::span<int16_t> out);
void encode_alaw(std::span<const int16_t> pcm, std::span<uint8_t> out);
void decode_alaw(std::span<const uint8_t> codes, std::span<int16_t> out);

}  // namespace g711

struct SpandspPlc;  // spandsp's plc_state_t, kept out of this header

class G711Decoder final : public Decoder {
  public:
    // kind: pcmu or pcma.
    static Result<std::unique_ptr<G711Decoder>> create(Kind kind);
    ~G711Decoder() override;

    Kind kind() const override { return kind_; }
    int rtp_clock_rate() const override { return g711::kRate; }
    // Any whole number of milliseconds from 1 to 60 (8 to 480 bytes).
    Result<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> out) override;
    void conceal(std::span<int16_t> out) override;

  private:
    G711Decoder(Kind kind, std::unique_ptr<SpandspPlc> plc);

    // Upsamples `narrow` into exactly out.size() samples, the carried sample first; needs
    // out.size() to be the samples available (carried + 2 * narrow.size()) or one fewer.
    void upsample(std::span<const int16_t> narrow, std::span<int16_t> out);

    Kind kind_;
    resample::HalfBandUpsampler upsampler_;  // 8 -> 16 kHz
    // A 16 kHz sample made but not yet handed out: concealing an odd length upsamples one 8 kHz
    // sample more than it needs, and the surplus opens the next call's output.
    std::optional<int16_t> carry_;
    std::unique_ptr<SpandspPlc> plc_;
};

class G711Encoder final : public Encoder {
  public:
    static Result<std::unique_ptr<G711Encoder>> create(Kind kind);

    Kind kind() const override { return kind_; }
    int rtp_clock_rate() const override { return g711::kRate; }
    uint32_t timestamp_step() const override { return 160; }
    Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) override;

  private:
    explicit G711Encoder(Kind kind) : kind_(kind) {}

    Kind kind_;
    resample::HalfBandDownsampler downsampler_;  // 16 -> 8 kHz; whole frames, so never a carry
};

}  // namespace sidebar::codec
