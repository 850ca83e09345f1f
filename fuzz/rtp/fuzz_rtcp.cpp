// Fuzz target for the compound RTCP parser: anything parse_rtcp() accepts must be rewritten by
// write_rtcp() into no more bytes than it came in, and parse again to equal values.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/rtp/rtcp_build.hpp"
#include "common/rtp/rtcp_packet.hpp"

using namespace sidebar::rtp;

namespace {

void check(bool condition) {
    if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    auto packets = parse_rtcp(input);
    if (!packets.ok()) {
        check(packets.message().rfind("rtcp: ", 0) == 0);
        return 0;
    }
    check(!packets->empty());
    for (const auto& packet : *packets) {
        if (const auto* sr = std::get_if<SenderReport>(&packet)) {
            check(sr->reports.size() <= kMaxReportBlocks);
        } else if (const auto* sdes = std::get_if<Sdes>(&packet)) {
            check(sdes->chunks.size() <= kMaxSdesChunks);
        }
    }
    // Rewriting drops padding, SR/RR extensions and surplus SDES null octets, so it never grows.
    std::vector<uint8_t> out(size);
    std::size_t written = 0;
    for (const auto& packet : *packets) {
        auto n = write_rtcp(packet, std::span(out).subspan(written));
        check(n.ok());
        written += *n;
    }
    auto again = parse_rtcp(std::span(out).first(written));
    check(again.ok());
    check(*again == *packets);
    return 0;
}
