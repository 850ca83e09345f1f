// DTMF costs per 20 ms frame: parsing one telephone-event payload, the receiver's handling of
// one event packet, one SIP INFO body, and in-band detection of one 320-sample frame (the cost
// every member pays on every frame when in-band detection is on).
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "common/dtmf/dtmf_relay.hpp"
#include "common/dtmf/inband.hpp"
#include "common/dtmf/rfc4733.hpp"
#include "common/dtmf/rfc4733_receiver.hpp"

using namespace sidebar::dtmf;

namespace {

void BM_Rfc4733_Parse_per_20ms_frame(benchmark::State& state) {
    const std::array<uint8_t, 4> payload = {0x05, 0x8a, 0x08, 0xc0};
    for (auto _ : state) {
        auto parsed = parse_telephone_events(payload);
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_Rfc4733_Parse_per_20ms_frame);

void BM_Rfc4733_ReceiverPacket_per_20ms_frame(benchmark::State& state) {
    Rfc4733Receiver rx;
    std::vector<DigitEvent> events;
    events.reserve(16);
    uint32_t i = 0;
    for (auto _ : state) {
        // A press of 8 packets (start, updates, end), then the next digit.
        const uint16_t step = uint16_t(i % 8);
        const std::array<uint8_t, 4> payload = {
            uint8_t(i / 8 % 10), uint8_t(step == 7 ? 0x8a : 0x0a), uint8_t(step), 0x40};
        events.clear();
        benchmark::DoNotOptimize(rx.on_packet(uint16_t(i), (i / 8) * 1600, step == 0, payload,
                                              int64_t(i) * 20'000, events)
                                     .ok());
        ++i;
    }
}
BENCHMARK(BM_Rfc4733_ReceiverPacket_per_20ms_frame);

void BM_DtmfRelay_Parse_per_20ms_frame(benchmark::State& state) {
    for (auto _ : state) {
        auto parsed = parse_dtmf_relay("Signal=5\r\nDuration=160\r\n");
        benchmark::DoNotOptimize(parsed);
    }
}
BENCHMARK(BM_DtmfRelay_Parse_per_20ms_frame);

void BM_Inband_Detect_per_20ms_frame(benchmark::State& state) {
    auto detector = InbandDetector::create().value();
    auto generator = InbandGenerator::create().value();
    // Two seconds of digits and pauses, looped: the detector sees tones half the time.
    std::vector<int16_t> audio;
    (void)generator.queue("1234567890");
    std::array<int16_t, 320> frame{};
    for (int f = 0; f < 100; ++f) {
        generator.generate(frame);
        audio.insert(audio.end(), frame.begin(), frame.end());
    }
    std::size_t off = 0;
    for (auto _ : state) {
        auto digits = detector.process(std::span(audio).subspan(off, 320));
        benchmark::DoNotOptimize(digits);
        off = (off + 320) % audio.size();
    }
}
BENCHMARK(BM_Inband_Detect_per_20ms_frame);

void BM_Inband_Generate_per_20ms_frame(benchmark::State& state) {
    auto generator = InbandGenerator::create().value();
    std::array<int16_t, 320> frame{};
    for (auto _ : state) {
        if (!generator.busy()) (void)generator.queue("0123456789");
        generator.generate(frame);
        benchmark::DoNotOptimize(frame.data());
    }
}
BENCHMARK(BM_Inband_Generate_per_20ms_frame);

}  // namespace
