// Fuzz target for the codec decoders, which take RTP payloads straight from the remote end. Byte 0
// picks the codec, byte 1 a concealment length; the rest is the payload. Every path a payload can
// reach runs: decode, FEC recovery from it, concealment after it. Consistency checks: the sample
// count decode() reports must equal what the payload's length (or Opus TOC) says, and the G.711
// tables must round-trip every code byte (µ-law's negative zero 0x7F comes back as 0xFF).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/codec/g711.hpp"
#include "common/codec/opus.hpp"

using namespace sidebar::codec;

namespace {

void check_tables(std::span<const uint8_t> payload) {
    for (uint8_t code : payload) {
        const uint8_t ulaw = g711::linear_to_ulaw(g711::ulaw_to_linear(code));
        if (ulaw != code && !(code == 0x7F && ulaw == 0xFF)) __builtin_trap();
        if (g711::linear_to_alaw(g711::alaw_to_linear(code)) != code) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    const auto kind = static_cast<Kind>(data[0] % 4);
    const std::size_t conceal_samples = static_cast<std::size_t>(data[1]) * 5;  // 0..1275
    const std::span<const uint8_t> payload(data + 2, size - 2);

    auto made = create_decoder(kind);
    if (!made) __builtin_trap();
    Decoder& decoder = *made.value();

    std::array<int16_t, kMaxDecodedSamples> out{};
    auto decoded = decoder.decode(payload, out);
    if (decoded) {
        const std::size_t expected =
            kind == Kind::opus ? opus::packet_samples(payload).value() : payload.size() * 2;
        if (*decoded != expected || *decoded > kMaxDecodedSamples) __builtin_trap();
    } else if (decoded.message().empty()) {
        __builtin_trap();
    }

    auto recovered = decoder.decode_fec(payload, kFrameSamples, out);
    if (recovered && *recovered != kFrameSamples) __builtin_trap();

    std::vector<int16_t> concealed(conceal_samples);
    decoder.conceal(concealed);

    check_tables(payload.first(std::min<std::size_t>(payload.size(), 64)));
    return 0;
}
