// Codec names, option checks and the factories that pick an implementation by Kind.
#include <stdexcept>
#include <string>

#include "common/codec/codec.hpp"
#include "common/codec/g711.hpp"
#include "common/codec/g722.hpp"
#include "common/codec/opus.hpp"

namespace sidebar::codec {

namespace {

// Widens Result<unique_ptr<Concrete>> to Result<unique_ptr<Base>>.
template <typename Base, typename Concrete>
Result<std::unique_ptr<Base>> widen(Result<std::unique_ptr<Concrete>> made) {
    if (!made) return made.error();
    return std::unique_ptr<Base>(std::move(made).value());
}

}  // namespace

std::string_view to_string(Kind kind) {
    switch (kind) {
        case Kind::pcmu:
            return "pcmu";
        case Kind::pcma:
            return "pcma";
        case Kind::g722:
            return "g722";
        case Kind::opus:
            return "opus";
    }
    return "unknown";
}

Status validate(const EncoderOptions& options) {
    if (options.opus_bitrate < 6000 || options.opus_bitrate > 510000) {
        return make_error("codec: opus_bitrate must be 6000..510000 bits/s, got " +
                          std::to_string(options.opus_bitrate));
    }
    if (options.opus_complexity < 0 || options.opus_complexity > 10) {
        return make_error("codec: opus_complexity must be 0..10, got " +
                          std::to_string(options.opus_complexity));
    }
    if (options.opus_expected_loss_pct < 0 || options.opus_expected_loss_pct > 100) {
        return make_error("codec: opus_expected_loss_pct must be 0..100, got " +
                          std::to_string(options.opus_expected_loss_pct));
    }
    return Ok{};
}

Result<std::unique_ptr<Decoder>> create_decoder(Kind kind) {
    switch (kind) {
        case Kind::pcmu:
        case Kind::pcma:
            return widen<Decoder>(G711Decoder::create(kind));
        case Kind::g722:
            return widen<Decoder>(G722Decoder::create());
        case Kind::opus:
            return widen<Decoder>(OpusRtpDecoder::create());
    }
    return make_error("codec: unknown kind " + std::to_string(static_cast<int>(kind)));
}

Result<std::unique_ptr<Encoder>> create_encoder(Kind kind, const EncoderOptions& options) {
    // Checked for every kind, so a bad configuration shows on the first call, not the first Opus
    // call.
    auto valid = validate(options);
    if (!valid) return valid.error();
    switch (kind) {
        case Kind::pcmu:
        case Kind::pcma:
            return widen<Encoder>(G711Encoder::create(kind));
        case Kind::g722:
            return widen<Encoder>(G722Encoder::create());
        case Kind::opus:
            return widen<Encoder>(OpusRtpEncoder::create(options));
    }
    return make_error("codec: unknown kind " + std::to_string(static_cast<int>(kind)));
}

std::unique_ptr<Decoder> make_decoder(Kind kind) {
    auto made = create_decoder(kind);
    if (!made) throw std::runtime_error(made.message());
    return std::move(made).value();
}

std::unique_ptr<Encoder> make_encoder(Kind kind, const EncoderOptions& options) {
    auto valid = validate(options);
    if (!valid) throw std::invalid_argument(valid.message());
    auto made = create_encoder(kind, options);
    if (!made) throw std::runtime_error(made.message());
    return std::move(made).value();
}

}  // namespace sidebar::codec
