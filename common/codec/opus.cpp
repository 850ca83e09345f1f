// Opus Decoder and Encoder over libopus, with the packet checks done before libopus sees a byte.
#include "common/codec/opus.hpp"

#include <opus/opus.h>

#include <algorithm>
#include <array>
#include <string>

namespace sidebar::codec {

namespace {

constexpr int kOpusRate = kInternalRate;                   // libopus runs at 16 kHz both ways
constexpr std::size_t kSamplesPer2_5Ms = kOpusRate / 400;  // libopus's PLC/FEC granularity
// Far beyond any real packet (3 frames of 1275 bytes plus headers) yet safe to pass as opus_int32.
constexpr std::size_t kMaxPacketBytes = 1 << 16;

Error opus_error(const std::string& what, int code) {
    return make_error("opus: " + what + ": " + opus_strerror(code));
}

}  // namespace

void OpusDecoderDeleter::operator()(::OpusDecoder* decoder) const {
    opus_decoder_destroy(decoder);
}
void OpusEncoderDeleter::operator()(::OpusEncoder* encoder) const {
    opus_encoder_destroy(encoder);
}

namespace opus {

Result<std::size_t> packet_samples(std::span<const uint8_t> payload) {
    if (payload.empty()) return make_error("opus: empty payload");
    if (payload.size() > kMaxPacketBytes) {
        return make_error("opus: " + std::to_string(payload.size()) + "-byte payload is too large");
    }
    const auto len = static_cast<opus_int32>(payload.size());
    const int samples48 = opus_packet_get_nb_samples(payload.data(), len, 48000);
    if (samples48 < 0) return opus_error("bad packet", samples48);
    if (samples48 > 60 * 48) {
        return make_error("opus: packet holds " + std::to_string(samples48 / 48) +
                          " ms, longer than the 60 ms maximum");
    }
    // get_nb_samples reads only the TOC and frame count; parse checks every frame length fits.
    unsigned char toc = 0;
    std::array<const unsigned char*, 48> frames{};
    std::array<opus_int16, 48> sizes{};
    const int count =
        opus_packet_parse(payload.data(), len, &toc, frames.data(), sizes.data(), nullptr);
    if (count < 0) return opus_error("malformed packet", count);
    return static_cast<std::size_t>(samples48) / (48000 / kOpusRate);
}

bool has_fec(std::span<const uint8_t> payload) {
    if (payload.empty() || payload.size() > kMaxPacketBytes) return false;
    const int config = payload[0] >> 3;
    if (config >= 16) return false;  // CELT-only packets have no SILK layer, so no LBRR
    std::array<const unsigned char*, 48> frames{};
    std::array<opus_int16, 48> sizes{};
    const int count = opus_packet_parse(payload.data(), static_cast<opus_int32>(payload.size()),
                                        nullptr, frames.data(), sizes.data(), nullptr);
    if (count <= 0 || sizes[0] == 0) return false;
    // The SILK layer opens with one VAD flag per 20 ms SILK frame, then the LBRR flag, each coded
    // with probability 1/2, so they are the first bits of the first byte (then the side channel's).
    const int frame48 = opus_packet_get_samples_per_frame(payload.data(), 48000);
    const int silk_frames = frame48 > 960 ? frame48 / 960 : 1;
    const unsigned first = frames[0][0];
    bool lbrr = ((first >> (7 - silk_frames)) & 1U) != 0;
    if (opus_packet_get_nb_channels(payload.data()) == 2) {
        lbrr = lbrr || ((first >> (6 - 2 * silk_frames)) & 1U) != 0;
    }
    return lbrr;
}

}  // namespace opus

Result<std::unique_ptr<OpusRtpDecoder>> OpusRtpDecoder::create() {
    int err = OPUS_OK;
    std::unique_ptr<::OpusDecoder, OpusDecoderDeleter> decoder(
        opus_decoder_create(kOpusRate, 1, &err));
    if (decoder == nullptr || err != OPUS_OK) return opus_error("decoder create failed", err);
    return std::unique_ptr<OpusRtpDecoder>(new OpusRtpDecoder(std::move(decoder)));
}

Result<std::size_t> OpusRtpDecoder::decode(std::span<const uint8_t> payload,
                                           std::span<int16_t> out) {
    auto samples = opus::packet_samples(payload);
    if (!samples) return samples.error();
    if (out.size() < *samples) {
        return make_error("opus: output holds " + std::to_string(out.size()) +
                          " samples, the payload decodes to " + std::to_string(*samples));
    }
    const int decoded =
        opus_decode(decoder_.get(), payload.data(), static_cast<opus_int32>(payload.size()),
                    out.data(), static_cast<int>(*samples), 0);
    if (decoded < 0) return opus_error("decode failed", decoded);
    return static_cast<std::size_t>(decoded);
}

std::optional<std::size_t> OpusRtpDecoder::decode_fec(std::span<const uint8_t> next_payload,
                                                      std::size_t samples, std::span<int16_t> out) {
    if (samples == 0 || samples > kMaxDecodedSamples || samples > out.size() ||
        samples % kSamplesPer2_5Ms != 0) {
        return std::nullopt;
    }
    if (!opus::packet_samples(next_payload) || !opus::has_fec(next_payload)) return std::nullopt;
    // libopus wants exactly the lost duration here, so the next decode() continues in step.
    const int decoded = opus_decode(decoder_.get(), next_payload.data(),
                                    static_cast<opus_int32>(next_payload.size()), out.data(),
                                    static_cast<int>(samples), 1);
    if (decoded < 0) return std::nullopt;
    return static_cast<std::size_t>(decoded);
}

void OpusRtpDecoder::conceal(std::span<int16_t> out) {
    // libopus conceals in whole 2.5 ms steps; a length between steps takes the start of the next.
    std::array<int16_t, kMaxDecodedSamples> scratch{};
    while (!out.empty()) {
        const std::size_t n = std::min(out.size(), kMaxDecodedSamples);
        const std::size_t steps = (n + kSamplesPer2_5Ms - 1) / kSamplesPer2_5Ms;
        const std::size_t whole = steps * kSamplesPer2_5Ms;
        const int made =
            opus_decode(decoder_.get(), nullptr, 0, scratch.data(), static_cast<int>(whole), 0);
        const std::size_t good = made < 0 ? 0 : std::min(n, static_cast<std::size_t>(made));
        std::copy_n(scratch.begin(), good, out.begin());
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(good),
                  out.begin() + static_cast<std::ptrdiff_t>(n), int16_t{0});
        out = out.subspan(n);
    }
}

Result<std::unique_ptr<OpusRtpEncoder>> OpusRtpEncoder::create(const EncoderOptions& options) {
    auto valid = validate(options);
    if (!valid) return valid.error();
    int err = OPUS_OK;
    std::unique_ptr<::OpusEncoder, OpusEncoderDeleter> encoder(
        opus_encoder_create(kOpusRate, 1, OPUS_APPLICATION_VOIP, &err));
    if (encoder == nullptr || err != OPUS_OK) return opus_error("encoder create failed", err);
    OpusEncoder* e = encoder.get();
    const std::array<int, 4> results = {
        opus_encoder_ctl(e, OPUS_SET_BITRATE(options.opus_bitrate)),
        opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(options.opus_complexity)),
        opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(options.opus_fec ? 1 : 0)),
        opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(options.opus_expected_loss_pct)),
    };
    for (int result : results) {
        if (result != OPUS_OK) return opus_error("encoder setting refused", result);
    }
    return std::unique_ptr<OpusRtpEncoder>(new OpusRtpEncoder(std::move(encoder)));
}

Result<std::size_t> OpusRtpEncoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
    if (pcm.size() != kFrameSamples) {
        return make_error("opus: encoder takes " + std::to_string(kFrameSamples) +
                          " samples (20 ms at 16 kHz), got " + std::to_string(pcm.size()));
    }
    if (out.empty()) return make_error("opus: output holds 0 bytes");
    const auto room = static_cast<opus_int32>(std::min(out.size(), opus::kMaxFrameBytes));
    const opus_int32 written =
        opus_encode(encoder_.get(), pcm.data(), static_cast<int>(kFrameSamples), out.data(), room);
    if (written < 0) return opus_error("encode failed", written);
    return static_cast<std::size_t>(written);
}

}  // namespace sidebar::codec
