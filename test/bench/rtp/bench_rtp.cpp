// RTP/RTCP costs per 20 ms frame: one iteration handles one packet (a 20 ms PCMU frame) or, for
// RTCP, one compound report, so the printed time reads as "ns per 20 ms frame".
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/rtp/receive_stats.hpp"
#include "common/rtp/rtcp_build.hpp"
#include "common/rtp/rtcp_packet.hpp"
#include "common/rtp/rtp_packet.hpp"

using namespace sidebar::rtp;

namespace {

constexpr std::size_t kPcmuPayload = 160;  // 20 ms at 8 kHz

std::vector<uint8_t> pcmu_packet() {
    const std::vector<uint8_t> payload(kPcmuPayload, 0xFF);
    RtpHeader h;
    h.payload_type = 0;
    h.sequence = 0x1234;
    h.timestamp = 123456;
    h.ssrc = 0x5EED1234;
    std::vector<uint8_t> out(serialized_size(h, payload.size()));
    if (!serialize(h, payload, out).ok()) std::abort();
    return out;
}

std::vector<uint8_t> sr_sdes_compound() {
    std::vector<uint8_t> buffer(1500);
    CompoundBuilder builder(buffer);
    SenderReport sr{0x5EED1234, SenderInfo{0xE8F0A1B2C3D4E5F6ull, 123456, 1000, 160000}, {}};
    sr.reports.push_back(ReportBlock{0xCAFEBABE, 25, 12, 0x1FFFF, 40, 0xA1B2C3D4, 0x18000});
    if (!builder.add_sender_report(sr).ok() ||
        !builder.add_cname(0x5EED1234, "alice@203.0.113.5").ok()) {
        std::abort();
    }
    buffer.resize(*builder.finish());
    return buffer;
}

void BM_RtpParse_Pcmu172B_PerFrame(benchmark::State& state) {
    const auto packet = pcmu_packet();
    for (auto _ : state) {
        auto parsed = parse_rtp(packet);
        benchmark::DoNotOptimize(parsed);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtpParse_Pcmu172B_PerFrame);

void BM_RtpSerialize_Pcmu172B_PerFrame(benchmark::State& state) {
    const std::vector<uint8_t> payload(kPcmuPayload, 0xFF);
    std::array<uint8_t, 1500> out{};
    RtpHeader h;
    h.ssrc = 0x5EED1234;
    for (auto _ : state) {
        ++h.sequence;
        h.timestamp += kPcmuPayload;
        auto n = serialize(h, payload, out);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtpSerialize_Pcmu172B_PerFrame);

void BM_RtcpParse_SrSdesCompound_PerReport(benchmark::State& state) {
    const auto compound = sr_sdes_compound();
    for (auto _ : state) {
        auto parsed = parse_rtcp(compound);
        benchmark::DoNotOptimize(parsed);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtcpParse_SrSdesCompound_PerReport);

void BM_RtcpBuild_SrSdesCompound_PerReport(benchmark::State& state) {
    std::array<uint8_t, 1500> out{};
    SenderReport sr{0x5EED1234, SenderInfo{0xE8F0A1B2C3D4E5F6ull, 123456, 1000, 160000}, {}};
    sr.reports.push_back(ReportBlock{0xCAFEBABE, 25, 12, 0x1FFFF, 40, 0xA1B2C3D4, 0x18000});
    for (auto _ : state) {
        CompoundBuilder builder(out);
        benchmark::DoNotOptimize(builder.add_sender_report(sr).ok());
        benchmark::DoNotOptimize(builder.add_cname(0x5EED1234, "alice@203.0.113.5").ok());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtcpBuild_SrSdesCompound_PerReport);

void BM_ReceiveStatsUpdate_PerFrame(benchmark::State& state) {
    ReceiveStats stats(0x5EED1234);
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint32_t arrival = 1000;
    uint32_t i = 0;
    for (auto _ : state) {
        ++sequence;
        timestamp += kPcmuPayload;
        arrival += kPcmuPayload + (++i % 3) * 8;  // a little arrival jitter
        benchmark::DoNotOptimize(stats.on_packet(sequence, timestamp, arrival));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReceiveStatsUpdate_PerFrame);

}  // namespace
