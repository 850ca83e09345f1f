// G.722 Decoder and Encoder over spandsp's g722_decode/g722_encode.
#include "common/codec/g722.hpp"

#include <stdint.h>  // spandsp's headers expect the C names
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/g722.h>
// clang-format on

#include "common/codec/payload_check.hpp"

namespace sidebar::codec {

struct SpandspG722Decoder {
    g722_decode_state_t* state = nullptr;
    ~SpandspG722Decoder() {
        if (state != nullptr) g722_decode_free(state);
    }
};

struct SpandspG722Encoder {
    g722_encode_state_t* state = nullptr;
    ~SpandspG722Encoder() {
        if (state != nullptr) g722_encode_free(state);
    }
};

Result<std::unique_ptr<G722Decoder>> G722Decoder::create() {
    auto state = std::make_unique<SpandspG722Decoder>();
    // Options 0: 16 kHz samples (not G722_SAMPLE_RATE_8000), one code word per byte (not packed).
    state->state = g722_decode_init(nullptr, g722::kBitRate, 0);
    if (state->state == nullptr) return make_error("g722: spandsp g722_decode_init failed");
    return std::unique_ptr<G722Decoder>(new G722Decoder(std::move(state)));
}

G722Decoder::G722Decoder(std::unique_ptr<SpandspG722Decoder> state) : state_(std::move(state)) {}
G722Decoder::~G722Decoder() = default;

Result<std::size_t> G722Decoder::decode(std::span<const uint8_t> payload, std::span<int16_t> out) {
    const std::size_t samples = payload.size() * 2;
    auto checked = check_whole_ms_payload("g722", payload, g722::kBytesPerMs, samples, out.size());
    if (!checked) return checked.error();
    const int decoded =
        g722_decode(state_->state, out.data(), payload.data(), static_cast<int>(payload.size()));
    if (decoded != static_cast<int>(samples)) {
        return make_error("g722: decoder returned " + std::to_string(decoded) + " samples for " +
                          std::to_string(payload.size()) + " bytes");
    }
    plc_.rx(out.first(samples));
    return samples;
}

void G722Decoder::conceal(std::span<int16_t> out) {
    plc_.fill(out);
}

Result<std::unique_ptr<G722Encoder>> G722Encoder::create() {
    auto state = std::make_unique<SpandspG722Encoder>();
    state->state = g722_encode_init(nullptr, g722::kBitRate, 0);
    if (state->state == nullptr) return make_error("g722: spandsp g722_encode_init failed");
    return std::unique_ptr<G722Encoder>(new G722Encoder(std::move(state)));
}

G722Encoder::G722Encoder(std::unique_ptr<SpandspG722Encoder> state) : state_(std::move(state)) {}
G722Encoder::~G722Encoder() = default;

Result<std::size_t> G722Encoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
    constexpr std::size_t kBytes = kFrameSamples / 2;
    auto checked = check_encode_buffers("g722", pcm.size(), out.size(), kBytes);
    if (!checked) return checked.error();
    const int written =
        g722_encode(state_->state, out.data(), pcm.data(), static_cast<int>(pcm.size()));
    if (written != static_cast<int>(kBytes)) {
        return make_error("g722: encoder wrote " + std::to_string(written) + " bytes, not " +
                          std::to_string(kBytes));
    }
    return kBytes;
}

}  // namespace sidebar::codec
