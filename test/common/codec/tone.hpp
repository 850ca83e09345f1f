// Test signals and measurements for the codec tests: tones at a level in dBFS, and the level,
// frequency and purity of a tone in decoded audio, measured with the audio module's Goertzel.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/level.hpp"
#include "common/codec/codec.hpp"

namespace sidebar::codec::test {

inline constexpr double kFullScale = 32767.0;  // a full-scale sine is 0 dBFS

inline double to_dbfs(double amplitude) {
    return 20.0 * std::log10(amplitude / kFullScale);
}
inline double from_dbfs(double dbfs) {
    return kFullScale * std::pow(10.0, dbfs / 20.0);
}

inline std::vector<int16_t> tone(int rate, double hz, std::size_t n, double dbfs,
                                 std::size_t start = 0) {
    const double amplitude = from_dbfs(dbfs);
    std::vector<int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(start + i) / rate;
        out[i] = static_cast<int16_t>(std::lround(amplitude * std::sin(2.0 * M_PI * hz * t)));
    }
    return out;
}

// Peak amplitude of the `hz` component of `x` (exact for any hz, not only bin centres): the
// audio module's Goertzel meter, unwindowed, so it is a plain one-frequency DFT of the block.
inline double amplitude_at(std::span<const int16_t> x, int rate, double hz) {
    return audio::dbfs_to_amplitude(audio::tone_level(x, rate, hz, audio::Window::rectangular));
}

inline double rms(std::span<const int16_t> x) {
    if (x.empty()) return 0.0;
    double sum = 0;
    for (int16_t s : x)
        sum += double(s) * s;
    return std::sqrt(sum / static_cast<double>(x.size()));
}

// The frequency in [lo, hi] (1 Hz steps) where `x` is strongest.
inline double strongest_frequency(std::span<const int16_t> x, int rate, double lo, double hi) {
    double best_hz = lo, best = -1;
    for (double hz = lo; hz <= hi; hz += 1.0) {
        const double a = amplitude_at(x, rate, hz);
        if (a > best) {
            best = a;
            best_hz = hz;
        }
    }
    return best_hz;
}

// Power of the tone over the power of everything else, in dB: noise, distortion, glitches.
inline double tone_to_rest_db(std::span<const int16_t> x, int rate, double hz) {
    const double tone_power = std::pow(amplitude_at(x, rate, hz), 2) / 2.0;
    const double total = std::pow(rms(x), 2);
    return 10.0 * std::log10(tone_power / std::max(total - tone_power, 1e-9));
}

// Encodes `frames` 20 ms frames of a 16 kHz tone and decodes every payload; returns the decoded
// stream, or an empty vector if any call failed.
inline std::vector<int16_t> round_trip(Encoder& encoder, Decoder& decoder, double hz, double dbfs,
                                       std::size_t frames) {
    const std::vector<int16_t> input = tone(kInternalRate, hz, frames * kFrameSamples, dbfs);
    std::vector<int16_t> decoded;
    std::vector<uint8_t> payload(kMaxPayloadBytes);
    std::vector<int16_t> pcm(kMaxDecodedSamples);
    for (std::size_t f = 0; f < frames; ++f) {
        auto bytes =
            encoder.encode(std::span(input).subspan(f * kFrameSamples, kFrameSamples), payload);
        if (!bytes) return {};
        auto samples = decoder.decode(std::span(payload).first(*bytes), pcm);
        if (!samples) return {};
        decoded.insert(decoded.end(), pcm.begin(), pcm.begin() + std::ptrdiff_t(*samples));
    }
    return decoded;
}

// The last second of a round trip: whole cycles of 1000 and 440 Hz, past any codec start-up.
inline std::span<const int16_t> last_second(const std::vector<int16_t>& x) {
    return std::span(x).last(static_cast<std::size_t>(kInternalRate));
}

}  // namespace sidebar::codec::test
