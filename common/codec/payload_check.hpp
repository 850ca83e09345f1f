// Length checks shared by the sample-per-byte codecs (G.711 and G.722 at 64 kbit/s both carry 8
// bytes per millisecond): a payload must be a whole number of milliseconds, 1 to 60 of them, and
// the caller's buffer must hold what it decodes to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/codec/codec.hpp"
#include "common/util/result.hpp"

namespace sidebar::codec {

inline constexpr std::size_t kMaxPayloadMs = 60;

// `samples` is what the payload decodes to at 16 kHz.
inline Status check_whole_ms_payload(std::string_view codec, std::span<const uint8_t> payload,
                                     std::size_t bytes_per_ms, std::size_t samples,
                                     std::size_t out_capacity) {
    const std::string name(codec);
    const std::string size = std::to_string(payload.size());
    if (payload.empty()) return make_error(name + ": empty payload");
    if (payload.size() > kMaxPayloadMs * bytes_per_ms) {
        return make_error(name + ": " + size + "-byte payload is longer than 60 ms (" +
                          std::to_string(kMaxPayloadMs * bytes_per_ms) + " bytes)");
    }
    if (payload.size() % bytes_per_ms != 0) {
        return make_error(name + ": " + size + "-byte payload is not a whole number of ms (" +
                          std::to_string(bytes_per_ms) + " bytes each)");
    }
    if (out_capacity < samples) {
        return make_error(name + ": output holds " + std::to_string(out_capacity) +
                          " samples, the payload decodes to " + std::to_string(samples));
    }
    return Ok{};
}

// Encoders take exactly one 20 ms frame and need room for its payload.
inline Status check_encode_buffers(std::string_view codec, std::size_t pcm_samples,
                                   std::size_t out_capacity, std::size_t payload_bytes) {
    const std::string name(codec);
    if (pcm_samples != kFrameSamples) {
        return make_error(name + ": encoder takes " + std::to_string(kFrameSamples) +
                          " samples (20 ms at 16 kHz), got " + std::to_string(pcm_samples));
    }
    if (out_capacity < payload_bytes) {
        return make_error(name + ": output holds " + std::to_string(out_capacity) +
                          " bytes, a frame needs " + std::to_string(payload_bytes));
    }
    return Ok{};
}

}  // namespace sidebar::codec
