// Jitter buffer cost per 20 ms frame: one put and one get of a 160-byte PCMU payload (what each
// member's stream costs the mixing clock), and the same through the playout with a table-driven
// decoder standing in for G.711.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "common/jitter/jitter_playout.hpp"

using namespace sidebar;
using namespace sidebar::jitter;

namespace {

// Decodes one byte to two 16 kHz samples through a table, about what G.711 costs.
class TableDecoder : public codec::Decoder {
  public:
    TableDecoder() {
        for (int i = 0; i < 256; ++i)
            table_[std::size_t(i)] = int16_t((i - 128) * 200);
    }
    codec::Kind kind() const override { return codec::Kind::pcmu; }
    int rtp_clock_rate() const override { return 8000; }
    Result<std::size_t> decode(std::span<const uint8_t> payload, std::span<int16_t> out) override {
        for (std::size_t i = 0; i < payload.size(); ++i)
            out[2 * i] = out[2 * i + 1] = table_[payload[i]];
        return payload.size() * 2;
    }
    void conceal(std::span<int16_t> out) override { std::fill(out.begin(), out.end(), int16_t{0}); }

  private:
    std::array<int16_t, 256> table_{};
};

template <typename Put, typename Pull>
void stream(benchmark::State& state, Put put, Pull pull) {
    std::vector<uint8_t> payload(160, 0xFF);
    IncomingPacket p;
    p.ssrc = 1;
    p.payload = payload;
    uint32_t i = 0;
    for (auto _ : state) {
        p.seq = uint16_t(i);
        p.timestamp = i * 160;
        p.arrival_us = int64_t(i) * 20'000 + 30'000;
        put(p);
        pull(int64_t(i) * 20'000 + 100'000);
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_JitterBuffer_PutGet_per_20ms_frame(benchmark::State& state) {
    auto jb = JitterBuffer::create({}).value();
    stream(
        state, [&](const IncomingPacket& p) { benchmark::DoNotOptimize(jb.put(p)); },
        [&](int64_t now) { benchmark::DoNotOptimize(jb.get(now).unit_count); });
}
BENCHMARK(BM_JitterBuffer_PutGet_per_20ms_frame);

void BM_JitterPlayout_PutPull_per_20ms_frame(benchmark::State& state) {
    TableDecoder decoder;
    auto playout = JitterPlayout::create(decoder).value();
    std::array<int16_t, codec::kFrameSamples> out{};
    stream(
        state, [&](const IncomingPacket& p) { benchmark::DoNotOptimize(playout.put(p)); },
        [&](int64_t now) {
            benchmark::DoNotOptimize(playout.pull(now, out));
            benchmark::ClobberMemory();
        });
}
BENCHMARK(BM_JitterPlayout_PutPull_per_20ms_frame);

}  // namespace
