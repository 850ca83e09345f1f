// Compound RTCP parser: splits the datagram by the length fields, validates each header, and
// decodes SR, RR, SDES and BYE into value types.
#include <algorithm>
#include <string>

#include "common/rtp/byte_io.hpp"
#include "common/rtp/rtcp_packet.hpp"

namespace sidebar::rtp {

namespace {

using detail::load_be16;
using detail::load_be24;
using detail::load_be32;
using detail::load_be64;

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::size_t kSenderInfoSize = 20;

std::string type_name(uint8_t type) {
    switch (type) {
        case 200:
            return "SR";
        case 201:
            return "RR";
        case 202:
            return "SDES";
        case 203:
            return "BYE";
        case 204:
            return "APP";
        case 205:
            return "RTPFB";
        case 206:
            return "PSFB";
        case 207:
            return "XR";
        default:
            return "type " + std::to_string(type);
    }
}

std::string hex32(uint32_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s = "0x00000000";
    for (int i = 9; i >= 2; --i, v >>= 4)
        s[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    return s;
}

// What every per-type parser needs: the packet's place in the compound, for error messages.
struct Context {
    std::size_t index;
    uint8_t type;
    uint8_t count;
    std::span<const uint8_t> body;  // after the 4-byte header, padding removed

    Error error(const std::string& what) const {
        return make_error("rtcp: packet " + std::to_string(index) + " (" + type_name(type) +
                          "): " + what);
    }
};

ReportBlock read_report_block(const uint8_t* p) {
    ReportBlock block;
    block.ssrc = load_be32(p);
    block.fraction_lost = p[4];
    const uint32_t lost = load_be24(p + 5);
    // Sign-extend the 24-bit two's-complement field.
    block.cumulative_lost = (lost & 0x800000u) != 0 ? static_cast<int32_t>(lost) - 0x1000000
                                                    : static_cast<int32_t>(lost);
    block.highest_sequence = load_be32(p + 8);
    block.jitter = load_be32(p + 12);
    block.last_sr = load_be32(p + 16);
    block.delay_since_last_sr = load_be32(p + 20);
    return block;
}

// Reads `count` report blocks from body[offset..]; bytes after them are profile-specific
// extensions (RFC 3550 6.4.1), which are skipped.
Result<std::vector<ReportBlock>> read_report_blocks(const Context& c, std::size_t offset) {
    const std::size_t needed = offset + c.count * kReportBlockSize;
    if (needed > c.body.size()) {
        return c.error("report count " + std::to_string(c.count) + " needs " +
                       std::to_string(needed + kHeaderSize) + " bytes but the packet has " +
                       std::to_string(c.body.size() + kHeaderSize));
    }
    std::vector<ReportBlock> blocks;
    blocks.reserve(c.count);
    for (std::size_t i = 0; i < c.count; ++i) {
        blocks.push_back(read_report_block(c.body.data() + offset + i * kReportBlockSize));
    }
    return blocks;
}

Result<RtcpPacket> parse_sr(const Context& c) {
    if (c.body.size() < 4 + kSenderInfoSize) {
        return c.error(std::to_string(c.body.size() + kHeaderSize) +
                       "-byte packet is shorter than the 28-byte SR header");
    }
    SenderReport sr;
    const uint8_t* p = c.body.data();
    sr.ssrc = load_be32(p);
    sr.info.ntp_timestamp = load_be64(p + 4);
    sr.info.rtp_timestamp = load_be32(p + 12);
    sr.info.packet_count = load_be32(p + 16);
    sr.info.octet_count = load_be32(p + 20);
    auto blocks = read_report_blocks(c, 4 + kSenderInfoSize);
    if (!blocks) return blocks.error();
    sr.reports = std::move(blocks).value();
    return RtcpPacket(std::move(sr));
}

Result<RtcpPacket> parse_rr(const Context& c) {
    if (c.body.size() < 4) {
        return c.error(std::to_string(c.body.size() + kHeaderSize) +
                       "-byte packet is shorter than the 8-byte RR header");
    }
    ReceiverReport rr;
    rr.ssrc = load_be32(c.body.data());
    auto blocks = read_report_blocks(c, 4);
    if (!blocks) return blocks.error();
    rr.reports = std::move(blocks).value();
    return RtcpPacket(std::move(rr));
}

// One SDES chunk at body[offset..]: SSRC, items, a zero octet, zeros up to a 32-bit boundary.
Result<std::size_t> parse_sdes_chunk(const Context& c, std::size_t offset, std::size_t n,
                                     SdesChunk& chunk) {
    const auto body = c.body;
    const std::string which = "SDES chunk " + std::to_string(n);
    if (offset + 4 > body.size()) {
        return c.error(which + " of " + std::to_string(c.count) + " starts past the " +
                       std::to_string(body.size() + kHeaderSize) + "-byte packet");
    }
    chunk.ssrc = load_be32(body.data() + offset);
    std::size_t i = offset + 4;
    while (true) {
        if (i >= body.size()) {
            return c.error(which + " (SSRC " + hex32(chunk.ssrc) +
                           ") has no end-of-items octet before the packet ends");
        }
        const uint8_t type = body[i];
        if (type == 0) break;
        if (i + 2 > body.size()) {
            return c.error(which + " item type " + std::to_string(type) + " at offset " +
                           std::to_string(i + kHeaderSize) +
                           " has no length octet before the packet ends");
        }
        if (const std::size_t length = body[i + 1]; i + 2 + length > body.size()) {
            return c.error(which + " item type " + std::to_string(type) + " of " +
                           std::to_string(length) + " bytes at offset " +
                           std::to_string(i + kHeaderSize) + " runs past the " +
                           std::to_string(body.size() + kHeaderSize) + "-byte packet");
        }
        const std::size_t length = body[i + 1];
        const auto* text = reinterpret_cast<const char*>(body.data() + i + 2);
        chunk.items.push_back(SdesItem{type, std::string(text, length)});
        i += 2 + length;
    }
    // The end octet, then padding to the next 32-bit boundary (offsets are word aligned).
    const std::size_t end = (i + 1 + 3) & ~std::size_t{3};
    if (end > body.size()) {
        return c.error(which + " (SSRC " + hex32(chunk.ssrc) + ") needs " +
                       std::to_string(end + kHeaderSize) + " bytes to its 32-bit boundary but " +
                       "the packet has " + std::to_string(body.size() + kHeaderSize));
    }
    return end;
}

Result<RtcpPacket> parse_sdes(const Context& c) {
    Sdes sdes;
    sdes.chunks.resize(c.count);
    std::size_t offset = 0;
    for (std::size_t n = 0; n < c.count; ++n) {
        auto end = parse_sdes_chunk(c, offset, n, sdes.chunks[n]);
        if (!end) return end.error();
        offset = *end;
    }
    if (offset != c.body.size()) {
        return c.error(std::to_string(c.body.size() - offset) + " bytes follow its " +
                       std::to_string(c.count) + " chunks");
    }
    return RtcpPacket(std::move(sdes));
}

Result<RtcpPacket> parse_bye(const Context& c) {
    const std::size_t ssrc_bytes = 4 * std::size_t{c.count};
    if (ssrc_bytes > c.body.size()) {
        return c.error("source count " + std::to_string(c.count) + " needs " +
                       std::to_string(ssrc_bytes + kHeaderSize) + " bytes but the packet has " +
                       std::to_string(c.body.size() + kHeaderSize));
    }
    Bye bye;
    for (std::size_t i = 0; i < c.count; ++i)
        bye.ssrcs.push_back(load_be32(c.body.data() + 4 * i));
    if (ssrc_bytes < c.body.size()) {
        const std::size_t length = c.body[ssrc_bytes];
        if (ssrc_bytes + 1 + length > c.body.size()) {
            return c.error("reason of " + std::to_string(length) + " bytes runs past the " +
                           std::to_string(c.body.size() + kHeaderSize) + "-byte packet");
        }
        const auto* text = reinterpret_cast<const char*>(c.body.data() + ssrc_bytes + 1);
        bye.reason = std::string(text, length);
    }
    return RtcpPacket(std::move(bye));
}

Result<RtcpPacket> parse_one(const Context& c) {
    switch (static_cast<RtcpType>(c.type)) {
        case RtcpType::sr:
            return parse_sr(c);
        case RtcpType::rr:
            return parse_rr(c);
        case RtcpType::sdes:
            return parse_sdes(c);
        case RtcpType::bye:
            return parse_bye(c);
        default:
            return RtcpPacket(
                UnknownRtcp{c.type, c.count, std::vector<uint8_t>(c.body.begin(), c.body.end())});
    }
}

// Removes the last packet's padding from `body`, checking its count (RFC 3550 6.4.1: the last
// octet counts the padding octets, itself included).
Result<std::span<const uint8_t>> strip_padding(const Context& c, bool is_last) {
    if (!is_last) return c.error("padding bit set but only the last packet may be padded");
    const std::size_t padding = c.body.empty() ? 0 : c.body.back();
    if (padding == 0) return c.error("padding bit set but the padding count is 0");
    if (padding > c.body.size()) {
        return c.error("padding count " + std::to_string(padding) + " exceeds the " +
                       std::to_string(c.body.size()) + " bytes after the header");
    }
    return c.body.first(c.body.size() - padding);
}

}  // namespace

std::optional<std::string> SdesChunk::cname() const {
    auto it = std::find_if(items.begin(), items.end(), [](const SdesItem& item) {
        return item.type == static_cast<uint8_t>(SdesItemType::cname);
    });
    if (it == items.end()) return std::nullopt;
    return it->value;
}

Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const uint8_t> datagram) {
    const std::size_t size = datagram.size();
    if (size == 0) return make_error("rtcp: empty packet");
    if (size > kMaxCompoundSize) {
        return make_error("rtcp: " + std::to_string(size) + "-byte compound packet exceeds " +
                          std::to_string(kMaxCompoundSize) + " bytes");
    }
    std::vector<RtcpPacket> packets;
    std::size_t offset = 0;
    for (std::size_t index = 0; offset < size; ++index) {
        const std::size_t remaining = size - offset;
        if (remaining < kHeaderSize) {
            return make_error("rtcp: only " + std::to_string(remaining) +
                              " bytes left for packet " + std::to_string(index) +
                              "'s header in the " + std::to_string(size) +
                              "-byte compound (a header needs 4)");
        }
        const uint8_t* p = datagram.data() + offset;
        const unsigned version = p[0] >> 6;
        const uint8_t type = p[1];
        Context c{index, type, static_cast<uint8_t>(p[0] & 0x1F), {}};
        if (version != 2) return c.error("version " + std::to_string(version) + ", expected 2");
        if (type < 192 || type > 223) {
            return c.error("packet type " + std::to_string(type) +
                           " is outside RTCP's 192..223 (an RTP packet?)");
        }
        const std::size_t packet_size = (std::size_t{load_be16(p + 2)} + 1) * 4;
        if (packet_size > remaining) {
            return c.error("length field says " + std::to_string(packet_size) + " bytes but only " +
                           std::to_string(remaining) + " remain of the " + std::to_string(size) +
                           "-byte compound");
        }
        c.body = datagram.subspan(offset + kHeaderSize, packet_size - kHeaderSize);
        if ((p[0] & 0x20) != 0) {
            auto body = strip_padding(c, offset + packet_size == size);
            if (!body) return body.error();
            c.body = *body;
        }
        auto packet = parse_one(c);
        if (!packet) return packet.error();
        packets.push_back(std::move(packet).value());
        offset += packet_size;
    }
    return packets;
}

}  // namespace sidebar::rtp
