// Fuzz target for the RTP parser: anything parse_rtp() accepts must serialize back to the same
// bytes (padding contents aside) and parse again to the same fields; extension elements are
// walked. The input is also replayed as a stream of (sequence, timestamp, arrival) triples
// through ReceiveStats, whose outputs must stay in their RFC ranges.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "common/rtp/header_extension.hpp"
#include "common/rtp/receive_stats.hpp"
#include "common/rtp/rtp_packet.hpp"

using namespace sidebar::rtp;

namespace {

void check(bool condition) {
    if (!condition) __builtin_trap();
}

bool same_header(const RtpHeader& a, const RtpHeader& b) {
    if (a.marker != b.marker || a.payload_type != b.payload_type || a.sequence != b.sequence ||
        a.timestamp != b.timestamp || a.ssrc != b.ssrc || a.csrc_count != b.csrc_count ||
        a.padding != b.padding || a.extension.has_value() != b.extension.has_value()) {
        return false;
    }
    for (std::size_t i = 0; i < a.csrc_count; ++i) {
        if (a.csrcs[i] != b.csrcs[i]) return false;
    }
    if (a.extension) {
        const auto& x = *a.extension;
        const auto& y = *b.extension;
        if (x.profile != y.profile || x.data.size() != y.data.size()) return false;
        if (!x.data.empty() && std::memcmp(x.data.data(), y.data.data(), x.data.size()) != 0) {
            return false;
        }
    }
    return true;
}

void walk_extension(const HeaderExtension& extension) {
    // One-byte ids are 1..14; the two-byte walk is the same for any id, so a few suffice.
    for (unsigned id : {1u, 2u, 3u, 5u, 8u, 13u, 14u, 15u, 255u}) {
        auto element = find_extension_element(extension, static_cast<uint8_t>(id));
        if (element.ok() && element->has_value()) {
            const auto found = **element;
            // The element must lie inside the extension data.
            check(found.data() >= extension.data.data());
            check(found.data() + found.size() <= extension.data.data() + extension.data.size());
        }
    }
}

void round_trip(std::span<const uint8_t> input) {
    auto packet = parse_rtp(input);
    if (!packet.ok()) {
        check(packet.message().rfind("rtp: ", 0) == 0);
        return;
    }
    const RtpPacket& p = *packet;
    check(p.header_size + p.payload.size() + p.header.padding == input.size());
    check(serialized_size(p.header, p.payload.size()) == input.size());
    if (p.header.extension) walk_extension(*p.header.extension);

    std::vector<uint8_t> out(input.size());
    auto written = serialize(p.header, p.payload, out);
    check(written.ok() && *written == input.size());
    // Byte-identical except the padding octets before the count, which we write as zeros.
    const std::size_t compare = input.size() - (p.header.padding != 0 ? p.header.padding : 0);
    check(std::memcmp(out.data(), input.data(), compare) == 0);
    check(out.back() == input.back());

    auto again = parse_rtp(out);
    check(again.ok());
    check(same_header(again->header, p.header));
    check(again->payload.size() == p.payload.size());
    check(p.payload.empty() ||
          std::memcmp(again->payload.data(), p.payload.data(), p.payload.size()) == 0);

    // The serializer must refuse, not overrun, a buffer one byte short.
    if (!out.empty())
        check(!serialize(p.header, p.payload, std::span(out).first(out.size() - 1)).ok());
}

uint32_t be32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

void receive_stats(std::span<const uint8_t> input) {
    ReceiveStats stats(1);
    for (std::size_t i = 0; i + 10 <= input.size(); i += 10) {
        const auto* r = input.data() + i;
        const auto sequence = static_cast<uint16_t>((r[0] << 8) | r[1]);
        const PacketVerdict verdict = stats.on_packet(sequence, be32(r + 2), be32(r + 6));
        if (i % 70 == 0) {
            const ReportBlock block = stats.make_report_block(be32(r + 2));
            check(block.cumulative_lost >= -0x800000 && block.cumulative_lost <= 0x7FFFFF);
            check(block.highest_sequence == stats.extended_highest_sequence());
        }
        check(stats.valid() || verdict == PacketVerdict::probation);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    (void)looks_like_rtcp(input);
    round_trip(input);
    receive_stats(input);
    return 0;
}
