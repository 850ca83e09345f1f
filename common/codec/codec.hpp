// The one interface every audio codec offers the media path. Everything inside the product is
// 16 kHz mono signed 16-bit in 20 ms frames (DESIGN.md section 4); a codec converts between that
// and its RTP payload, resampling internally where its own rate differs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "common/util/result.hpp"

namespace sidebar::codec {

inline constexpr int kInternalRate = 16000;
inline constexpr std::size_t kFrameSamples = 320;  // 20 ms at 16 kHz
// Longest payload a decoder accepts: 60 ms (DESIGN.md: 10/20/40/60 ms ptimes on receive).
inline constexpr std::size_t kMaxDecodedSamples = 960;
// Room enough for any encoded 20 ms frame of any codec here.
inline constexpr std::size_t kMaxPayloadBytes = 1500;

enum class Kind { pcmu, pcma, g722, opus };

std::string_view to_string(Kind kind);

class Decoder {
  public:
    virtual ~Decoder() = default;
    virtual Kind kind() const = 0;
    // Clock rate of the payload's RTP timestamps (8000 for G.711 and G.722, 48000 for Opus).
    virtual int rtp_clock_rate() const = 0;
    // Decodes one RTP payload of 10, 20, 40 or 60 ms into 16 kHz mono. `out` must hold
    // kMaxDecodedSamples. Returns the samples written; an error for a payload it cannot decode.
    virtual Result<std::size_t> decode(std::span<const uint8_t> payload,
                                       std::span<int16_t> out) = 0;
    // Recovers the lost frame before `next_payload` from that packet's in-band FEC, for codecs
    // that carry it (Opus). `samples` is the lost frame's length at 16 kHz.
    virtual std::optional<std::size_t> decode_fec(std::span<const uint8_t> next_payload,
                                                  std::size_t samples, std::span<int16_t> out) {
        (void)next_payload;
        (void)samples;
        (void)out;
        return std::nullopt;
    }
    // Fills `out` (any length up to kMaxDecodedSamples) with concealment for lost audio.
    virtual void conceal(std::span<int16_t> out) = 0;
};

class Encoder {
  public:
    virtual ~Encoder() = default;
    virtual Kind kind() const = 0;
    virtual int rtp_clock_rate() const = 0;
    // RTP timestamp units one 20 ms frame advances (160 for G.711 and G.722, 960 for Opus).
    virtual uint32_t timestamp_step() const = 0;
    // Encodes exactly kFrameSamples of 16 kHz audio. Returns the payload bytes written to `out`.
    virtual Result<std::size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out) = 0;
};

struct EncoderOptions {
    // bits/s. What the mixer sends is a mix of several voices, not one: at 32 kbps one talker of
    // a four-talker mix (tones in test_sidebar_audio) came out 1.6-2.5 dB low after Opus; at
    // 48 kbps every one stays within 0.3 dB.
    int opus_bitrate = 48000;
    int opus_complexity = 5;         // 0..10
    bool opus_fec = true;            // in-band FEC, for the far end's decode_fec
    int opus_expected_loss_pct = 5;  // tunes how much FEC Opus spends
};

// Checks the options against what libopus accepts (bitrate 6000..510000, complexity 0..10, loss
// 0..100); call it when the configuration is loaded so make_encoder cannot fail later.
Status validate(const EncoderOptions& options);

// Non-throwing factories: the codec, or why it could not be set up (bad options; a library that
// failed to allocate its state).
Result<std::unique_ptr<Decoder>> create_decoder(Kind kind);
Result<std::unique_ptr<Encoder>> create_encoder(Kind kind, const EncoderOptions& options = {});

// make_decoder never fails short of memory exhaustion. make_encoder throws std::invalid_argument
// for options that validate() refuses (a configuration error, caught at start-up); both throw
// std::runtime_error if a library cannot allocate its state. Neither sees remote input.
std::unique_ptr<Decoder> make_decoder(Kind kind);
std::unique_ptr<Encoder> make_encoder(Kind kind, const EncoderOptions& options = {});

}  // namespace sidebar::codec
