// G.711 tables (built at compile time from the G.711 quantiser definitions) and the PCMU/PCMA
// Decoder and Encoder of the 16 kHz media path.
#include "common/codec/g711.hpp"

#include <stdint.h>  // spandsp's headers expect the C names
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/plc.h>
// clang-format on

#include <algorithm>
#include <array>
#include <bit>

#include "common/codec/payload_check.hpp"

namespace sidebar::codec {

namespace g711 {
namespace {

// Encoding is a table lookup, not a segment search. The µ-law quantiser only sees the top 14 bits
// of a 16-bit sample and A-law the top 13 (sign + 12), so a table indexed by those bits is exact
// for every input: 16 KiB for µ-law, 4 KiB for A-law. That costs one load per sample and no
// branches, where a segment search needs a loop (or a count-leading-zeros), shifts and a sign
// fix-up per sample; the 20 KiB stay cache-resident while a mixer encodes stream after stream.
// Negative samples use the one's complement, as ITU-T G.191's reference code does, so the
// quantiser is symmetric (-1 codes like 0) and ~(x >> n) == (~x) >> n makes the index exact.

constexpr uint8_t ulaw_encode_index(unsigned index) {
    const int value = index >= 8192 ? static_cast<int>(index) - 16384 : static_cast<int>(index);
    const bool negative = value < 0;
    int magnitude = (negative ? ~value : value) + 33;  // 33: µ-law's bias, in 14-bit units
    magnitude = std::min(magnitude, 0x1FFF);
    const int exponent = std::bit_width(static_cast<unsigned>(magnitude >> 6));
    const int mantissa = (magnitude >> (exponent + 1)) & 0x0F;
    const int code = 0x7F - ((exponent << 4) | mantissa);  // µ-law sends the magnitude inverted
    return static_cast<uint8_t>(negative ? code : code | 0x80);
}

constexpr uint8_t alaw_encode_index(unsigned index) {
    const int value = index >= 2048 ? static_cast<int>(index) - 4096 : static_cast<int>(index);
    const bool negative = value < 0;
    const int magnitude = negative ? ~value : value;
    int code = magnitude;
    if (magnitude >= 16) {
        const int exponent = std::bit_width(static_cast<unsigned>(magnitude)) - 4;
        code = (exponent << 4) | ((magnitude >> (exponent - 1)) & 0x0F);
    }
    if (!negative) code |= 0x80;
    return static_cast<uint8_t>(code ^ 0x55);  // A-law inverts the even bits on the line
}

constexpr int16_t ulaw_decode_code(unsigned code) {
    const unsigned inverted = ~code & 0xFF;
    const int magnitude = ((static_cast<int>(inverted & 0x0F) << 3) + 0x84)
                          << ((inverted & 0x70) >> 4);
    return static_cast<int16_t>((inverted & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
}

constexpr int16_t alaw_decode_code(unsigned code) {
    const unsigned bits = code ^ 0x55;
    const unsigned segment = (bits & 0x70) >> 4;
    int magnitude = static_cast<int>(bits & 0x0F) << 4;
    if (segment == 0) {
        magnitude += 8;
    } else {
        magnitude = (magnitude + 0x108) << (segment - 1);
    }
    return static_cast<int16_t>((bits & 0x80) != 0 ? magnitude : -magnitude);
}

template <std::size_t N, typename T, typename F>
constexpr std::array<T, N> make_table(F entry) {
    std::array<T, N> table{};
    for (std::size_t i = 0; i < N; ++i)
        table[i] = entry(static_cast<unsigned>(i));
    return table;
}

constexpr auto kUlawEncode = make_table<16384, uint8_t>(ulaw_encode_index);
constexpr auto kAlawEncode = make_table<4096, uint8_t>(alaw_encode_index);
constexpr auto kUlawDecode = make_table<256, int16_t>(ulaw_decode_code);
constexpr auto kAlawDecode = make_table<256, int16_t>(alaw_decode_code);

static_assert(kUlawEncode[0] == 0xFF && kAlawEncode[0] == 0xD5);

}  // namespace

uint8_t linear_to_ulaw(int16_t sample) {
    return kUlawEncode[static_cast<uint16_t>(sample) >> 2];
}
int16_t ulaw_to_linear(uint8_t code) {
    return kUlawDecode[code];
}
uint8_t linear_to_alaw(int16_t sample) {
    return kAlawEncode[static_cast<uint16_t>(sample) >> 4];
}
int16_t alaw_to_linear(uint8_t code) {
    return kAlawDecode[code];
}

void encode_ulaw(std::span<const int16_t> pcm, std::span<uint8_t> out) {
    const std::size_t n = std::min(pcm.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = kUlawEncode[static_cast<uint16_t>(pcm[i]) >> 2];
}

void decode_ulaw(std::span<const uint8_t> codes, std::span<int16_t> out) {
    const std::size_t n = std::min(codes.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = kUlawDecode[codes[i]];
}

void encode_alaw(std::span<const int16_t> pcm, std::span<uint8_t> out) {
    const std::size_t n = std::min(pcm.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = kAlawEncode[static_cast<uint16_t>(pcm[i]) >> 4];
}

void decode_alaw(std::span<const uint8_t> codes, std::span<int16_t> out) {
    const std::size_t n = std::min(codes.size(), out.size());
    for (std::size_t i = 0; i < n; ++i)
        out[i] = kAlawDecode[codes[i]];
}

}  // namespace g711

struct SpandspPlc {
    plc_state_t* state = nullptr;
    ~SpandspPlc() {
        if (state != nullptr) plc_free(state);
    }
};

Result<std::unique_ptr<G711Decoder>> G711Decoder::create(Kind kind) {
    if (kind != Kind::pcmu && kind != Kind::pcma) return make_error("g711: not a G.711 kind");
    auto plc = std::make_unique<SpandspPlc>();
    plc->state = plc_init(nullptr);
    if (plc->state == nullptr) return make_error("g711: spandsp plc_init failed");
    return std::unique_ptr<G711Decoder>(new G711Decoder(kind, std::move(plc)));
}

G711Decoder::G711Decoder(Kind kind, std::unique_ptr<SpandspPlc> plc)
    : kind_(kind), plc_(std::move(plc)) {}

G711Decoder::~G711Decoder() = default;

void G711Decoder::upsample(std::span<const int16_t> narrow, std::span<int16_t> out) {
    if (!carry_ && out.size() == 2 * narrow.size()) {
        upsampler_.process(narrow, out);  // every decoded frame, until an odd concealment
        return;
    }
    // Upsampled behind the carried sample, then one sample may be left for the next call.
    std::array<int16_t, kMaxDecodedSamples + 2> wide;
    std::size_t made = 0;
    if (carry_) wide[made++] = *carry_;
    made += upsampler_.process(narrow, std::span(wide).subspan(made));
    const std::size_t n = std::min(out.size(), made);
    std::copy_n(wide.begin(), n, out.begin());
    carry_.reset();
    if (made > n) carry_ = wide[n];
}

Result<std::size_t> G711Decoder::decode(std::span<const uint8_t> payload, std::span<int16_t> out) {
    const std::size_t samples = payload.size() * (kInternalRate / g711::kRate);
    auto checked =
        check_whole_ms_payload(to_string(kind_), payload, g711::kBytesPerMs, samples, out.size());
    if (!checked) return checked.error();

    std::array<int16_t, g711::kMaxPayloadBytes> pcm8;  // only the decoded part is ever read
    const std::span<int16_t> narrow = std::span(pcm8).first(payload.size());
    if (kind_ == Kind::pcmu) {
        g711::decode_ulaw(payload, narrow);
    } else {
        g711::decode_alaw(payload, narrow);
    }
    // Every good frame goes through plc_rx: it keeps the history fill-in repeats, and smooths the
    // first frame after a gap into the concealment.
    plc_rx(plc_->state, narrow.data(), static_cast<int>(narrow.size()));
    upsample(narrow, out.first(samples));
    return samples;
}

void G711Decoder::conceal(std::span<int16_t> out) {
    // spandsp's first fill-in after real audio writes a quarter pitch period (up to
    // PLC_PITCH_OVERLAP_MAX samples) whatever length it is asked for, so it is never asked for
    // less; a request that short just uses the start of what it made.
    constexpr std::size_t kMinFill = PLC_PITCH_OVERLAP_MAX;
    constexpr std::size_t kChunk = kMaxDecodedSamples;
    std::array<int16_t, kChunk / 2 + kMinFill> pcm8{};
    plc_state_t* plc = plc_->state;
    if (plc->missing_samples == 0 && plc->buf_ptr != 0) {
        // spandsp 0.0.6 unrolls its history ring with an overlapping memcpy when a gap starts
        // (undefined behaviour; AddressSanitizer aborts on it). Unrolled here first, the same way
        // but safely, its own copy has nothing to do.
        std::rotate(plc->history, plc->history + plc->buf_ptr, plc->history + PLC_HISTORY_LEN);
        plc->buf_ptr = 0;
    }
    while (!out.empty()) {
        const std::size_t n = std::min(out.size(), kChunk);
        // Enough 8 kHz samples to cover n with the carried one; an odd sample over waits in carry_.
        const std::size_t narrow = (n - (carry_ ? 1 : 0) + 1) / 2;
        // A single sample covered by the carried one needs no fill-in, so none is made (it would
        // move spandsp's fade on by audio nobody hears).
        if (narrow > 0) plc_fillin(plc, pcm8.data(), static_cast<int>(std::max(narrow, kMinFill)));
        upsample(std::span(pcm8).first(narrow), out.first(n));
        out = out.subspan(n);
    }
}

Result<std::unique_ptr<G711Encoder>> G711Encoder::create(Kind kind) {
    if (kind != Kind::pcmu && kind != Kind::pcma) return make_error("g711: not a G.711 kind");
    return std::unique_ptr<G711Encoder>(new G711Encoder(kind));
}

Result<std::size_t> G711Encoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
    constexpr std::size_t kBytes = kFrameSamples / 2;
    auto checked = check_encode_buffers(to_string(kind_), pcm.size(), out.size(), kBytes);
    if (!checked) return checked.error();
    std::array<int16_t, kBytes> pcm8;
    downsampler_.process(pcm, pcm8);  // 320 in, exactly 160 out
    if (kind_ == Kind::pcmu) {
        g711::encode_ulaw(pcm8, out.first(kBytes));
    } else {
        g711::encode_alaw(pcm8, out.first(kBytes));
    }
    return kBytes;
}

}  // namespace sidebar::codec
