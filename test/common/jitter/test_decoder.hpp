// A tiny codec for the playout tests: 8 kHz linear 16-bit big-endian samples, each doubled to
// 16 kHz. Concealment and FEC write recognisable constants, so a test sees exactly which parts
// of its output were decoded, concealed or recovered.
#pragma once

#include <algorithm>

#include "common/codec/codec.hpp"

namespace sidebar::jitter::test {

class TestDecoder : public codec::Decoder {
  public:
    static constexpr int16_t kConcealed = -7777;
    static constexpr int16_t kRecovered = -5555;

    explicit TestDecoder(bool has_fec = false) : has_fec_(has_fec) {}

    codec::Kind kind() const override { return codec::Kind::pcmu; }
    int rtp_clock_rate() const override { return 8000; }

    Result<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> out) override {
        if (payload.size() % 2 != 0) return make_error("test codec: odd payload length");
        const std::size_t samples = payload.size();  // two bytes in, two samples out
        if (samples > out.size()) return make_error("test codec: payload too long");
        for (std::size_t i = 0; i + 1 < payload.size(); i += 2) {
            const auto v = static_cast<int16_t>(uint16_t(payload[i]) << 8 | payload[i + 1]);
            out[i] = v;
            out[i + 1] = v;
        }
        return samples;
    }

    std::optional<std::size_t> decode_fec(std::span<const uint8_t> next_payload,
                                          std::size_t samples, std::span<int16_t> out) override {
        if (!has_fec_ || next_payload.empty()) return std::nullopt;
        const std::size_t n = std::min(samples, out.size());
        std::fill_n(out.begin(), n, kRecovered);
        return n;
    }

    void conceal(std::span<int16_t> out) override { std::fill(out.begin(), out.end(), kConcealed); }

  private:
    bool has_fec_;
};

// A payload of `ms` milliseconds whose every sample is `value`.
inline std::vector<uint8_t> test_payload(int ms, int16_t value) {
    std::vector<uint8_t> out;
    for (int i = 0; i < ms * 8; ++i) {
        out.push_back(uint8_t(uint16_t(value) >> 8));
        out.push_back(uint8_t(uint16_t(value)));
    }
    return out;
}

}  // namespace sidebar::jitter::test
