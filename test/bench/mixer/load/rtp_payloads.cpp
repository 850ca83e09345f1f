// Pre-encoded payload cycles for the load generator (see rtp_payloads.hpp).
#include "test/bench/mixer/load/rtp_payloads.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <random>

namespace sidebar::loadgen {
namespace {

using Frame = std::array<int16_t, codec::kFrameSamples>;

Frame noise_frame(std::mt19937& rng) {
    std::uniform_int_distribution<int> dist(-kNoiseAmplitude, kNoiseAmplitude);
    Frame f{};
    for (auto& s : f)
        s = static_cast<int16_t>(dist(rng));
    return f;
}

Frame tone_frame(std::size_t index, double hz, int amplitude, std::size_t samples) {
    Frame f{};
    for (std::size_t i = 0; i < samples && i < f.size(); ++i) {
        const double t = static_cast<double>(index * f.size() + i) / codec::kInternalRate;
        f[i] = static_cast<int16_t>(amplitude * std::sin(2 * std::numbers::pi * hz * t));
    }
    return f;
}

Result<PayloadCycle> encode_cycle(codec::Kind kind, Role role) {
    auto encoder = codec::create_encoder(kind);
    if (!encoder) return make_error("encoder: " + encoder.message());
    std::mt19937 rng(static_cast<unsigned>(role) + 7);
    PayloadCycle cycle;
    std::array<uint8_t, codec::kMaxPayloadBytes> out{};
    for (std::size_t i = 0; i < kCycleFrames; ++i) {
        Frame pcm = noise_frame(rng);
        if (role == Role::talker) pcm = tone_frame(i, 400.0, kToneAmplitude, pcm.size());
        // 5 ms of 1 kHz at the start of the frame: its onset is the time reference.
        if (role == Role::clicker && i == kClickFrame)
            pcm = tone_frame(0, 1000.0, kClickAmplitude, 80);
        auto size = (*encoder)->encode(pcm, out);
        if (!size) return make_error("encode: " + size.message());
        cycle.frames.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*size));
    }
    return cycle;
}

}  // namespace

const PayloadCycle& Payloads::of(Role role) const {
    switch (role) {
        case Role::talker:
            return talker;
        case Role::clicker:
            return clicker;
        case Role::quiet:
            break;
    }
    return quiet;
}

Result<Payloads> make_payloads(codec::Kind kind) {
    Payloads p;
    p.kind = kind;
    p.payload_type = kind == codec::Kind::opus ? 111 : 0;
    p.timestamp_step = kind == codec::Kind::opus ? 960 : 160;
    for (auto [role, slot] : {std::pair{Role::quiet, &p.quiet}, std::pair{Role::talker, &p.talker},
                              std::pair{Role::clicker, &p.clicker}}) {
        auto cycle = encode_cycle(kind, role);
        if (!cycle) return make_error(cycle.message());
        *slot = std::move(*cycle);
    }
    return p;
}

}  // namespace sidebar::loadgen
