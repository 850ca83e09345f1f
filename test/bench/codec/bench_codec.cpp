// Codec costs, one iteration = one 20 ms frame of work, so every figure reads as "ns per 20 ms
// frame": the bare G.711 tables, each codec's full 16 kHz decode/encode/conceal path, the speexdsp
// resampling steps the media path uses, and the half-band 2:1 resamplers G.711 uses instead.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/codec/g711.hpp"
#include "common/resample/half_band.hpp"
#include "common/resample/resampler.hpp"

namespace {

using namespace sidebar::codec;

constexpr std::size_t kFrames = 50;  // one second of signal, cycled

// A voice-like test signal: a 140 Hz fundamental with harmonics, a formant-ish 900 Hz tone and
// some noise, so no codec sees a degenerate input.
std::vector<int16_t> signal(int rate, std::size_t samples) {
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0.0, 300.0);
    std::vector<int16_t> out(samples);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / rate;
        double v = 0;
        for (int h = 1; h <= 5; ++h)
            v += 4000.0 / h * std::sin(2 * M_PI * 140.0 * h * t);
        v += 2000.0 * std::sin(2 * M_PI * 900.0 * t) + noise(rng);
        out[i] = static_cast<int16_t>(std::lround(v));
    }
    return out;
}

const std::vector<int16_t>& input16() {
    static const std::vector<int16_t> pcm = signal(16000, kFrames * kFrameSamples);
    return pcm;
}

std::span<const int16_t> frame16(std::size_t i) {
    return std::span(input16()).subspan((i % kFrames) * kFrameSamples, kFrameSamples);
}

std::vector<std::vector<uint8_t>> encoded(Kind kind, const EncoderOptions& options) {
    auto enc = make_encoder(kind, options);
    std::vector<std::vector<uint8_t>> packets;
    std::vector<uint8_t> out(kMaxPayloadBytes);
    for (std::size_t f = 0; f < kFrames; ++f) {
        const std::size_t bytes = enc->encode(frame16(f), out).value();
        packets.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(bytes));
    }
    return packets;
}

void g711_table(benchmark::State& state, bool ulaw) {
    const std::vector<int16_t> pcm8 = signal(8000, 160);
    std::vector<uint8_t> codes(160);
    std::vector<int16_t> back(160);
    for (auto _ : state) {
        if (ulaw) {
            g711::encode_ulaw(pcm8, codes);
            g711::decode_ulaw(codes, back);
        } else {
            g711::encode_alaw(pcm8, codes);
            g711::decode_alaw(codes, back);
        }
        benchmark::DoNotOptimize(back.data());
        benchmark::ClobberMemory();
    }
}

void decode(benchmark::State& state, Kind kind) {
    const auto packets = encoded(kind, {});
    auto dec = make_decoder(kind);
    std::vector<int16_t> out(kMaxDecodedSamples);
    std::size_t i = 0;
    for (auto _ : state) {
        auto samples = dec->decode(packets[i++ % kFrames], out);
        benchmark::DoNotOptimize(samples);
        benchmark::ClobberMemory();
    }
}

void encode(benchmark::State& state, Kind kind, int complexity) {
    EncoderOptions options;
    options.opus_complexity = complexity;
    auto enc = make_encoder(kind, options);
    std::vector<uint8_t> out(kMaxPayloadBytes);
    std::size_t i = 0;
    for (auto _ : state) {
        auto bytes = enc->encode(frame16(i++), out);
        benchmark::DoNotOptimize(bytes);
        benchmark::ClobberMemory();
    }
}

// A concealed 20 ms frame after real audio: the first of a gap costs the pitch search, so each
// iteration decodes one frame (not timed) and conceals the next.
void conceal(benchmark::State& state, Kind kind) {
    const auto packets = encoded(kind, {});
    auto dec = make_decoder(kind);
    std::vector<int16_t> out(kMaxDecodedSamples);
    std::size_t i = 0;
    for (auto _ : state) {
        state.PauseTiming();
        benchmark::DoNotOptimize(dec->decode(packets[i++ % kFrames], out));
        state.ResumeTiming();
        dec->conceal(std::span(out).first(kFrameSamples));
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
}

void resample(benchmark::State& state, int in_rate, int out_rate) {
    auto r = sidebar::resample::Resampler::create(in_rate, out_rate).value();
    const std::vector<int16_t> in = signal(in_rate, static_cast<std::size_t>(in_rate) / 50);
    std::vector<int16_t> out(r.output_size(in.size()) + 16);
    for (auto _ : state) {
        benchmark::DoNotOptimize(r.process(in, out));
        benchmark::ClobberMemory();
    }
}

// The same 20 ms frames through the half-band filters, to set against resample() above.
template <typename HalfBand>
void half_band(benchmark::State& state, int in_rate, int out_rate) {
    HalfBand r;
    const std::vector<int16_t> in = signal(in_rate, static_cast<std::size_t>(in_rate) / 50);
    std::vector<int16_t> out(static_cast<std::size_t>(out_rate) / 50);
    for (auto _ : state) {
        benchmark::DoNotOptimize(r.process(in, out));
        benchmark::ClobberMemory();
    }
}

const int kRegistered = [] {
    using benchmark::RegisterBenchmark;
    RegisterBenchmark("frame20ms/g711_table_8k/ulaw_encode+decode", g711_table, true);
    RegisterBenchmark("frame20ms/g711_table_8k/alaw_encode+decode", g711_table, false);
    for (Kind kind : {Kind::pcmu, Kind::pcma, Kind::g722, Kind::opus}) {
        const std::string name(to_string(kind));
        RegisterBenchmark(("frame20ms/decode/" + name).c_str(), decode, kind);
    }
    for (Kind kind : {Kind::pcmu, Kind::pcma, Kind::g722}) {
        const std::string name(to_string(kind));
        RegisterBenchmark(("frame20ms/encode/" + name).c_str(), encode, kind, 5);
    }
    for (int complexity : {0, 5, 10}) {
        RegisterBenchmark(("frame20ms/encode/opus_complexity" + std::to_string(complexity)).c_str(),
                          encode, Kind::opus, complexity);
    }
    for (Kind kind : {Kind::pcmu, Kind::g722, Kind::opus}) {
        const std::string name(to_string(kind));
        RegisterBenchmark(("frame20ms/conceal/" + name).c_str(), conceal, kind);
    }
    RegisterBenchmark("frame20ms/resample/8k_to_16k", resample, 8000, 16000);
    RegisterBenchmark("frame20ms/resample/16k_to_8k", resample, 16000, 8000);
    RegisterBenchmark("frame20ms/resample/16k_to_48k", resample, 16000, 48000);
    RegisterBenchmark("frame20ms/resample/48k_to_16k", resample, 48000, 16000);
    RegisterBenchmark("frame20ms/half_band/8k_to_16k",
                      half_band<sidebar::resample::HalfBandUpsampler>, 8000, 16000);
    RegisterBenchmark("frame20ms/half_band/16k_to_8k",
                      half_band<sidebar::resample::HalfBandDownsampler>, 16000, 8000);
    return 0;
}();

}  // namespace
