// RTP packet parser and serializer.
#include "common/rtp/rtp_packet.hpp"

#include <algorithm>
#include <string>

#include "common/rtp/byte_io.hpp"

namespace sidebar::rtp {

namespace {

using detail::load_be16;
using detail::load_be32;
using detail::store_be16;
using detail::store_be32;

std::string bytes(std::size_t n) {
    return std::to_string(n) + "-byte";
}

}  // namespace

Result<RtpPacket> parse_rtp(std::span<const uint8_t> datagram) {
    const std::size_t size = datagram.size();
    if (size < kRtpFixedHeaderSize) {
        return make_error("rtp: " + bytes(size) + " packet is shorter than the 12-byte header");
    }
    const uint8_t* p = datagram.data();
    const unsigned version = p[0] >> 6;
    if (version != kRtpVersion) {
        return make_error("rtp: version " + std::to_string(version) + ", expected 2");
    }
    const bool has_padding = (p[0] & 0x20) != 0;
    const bool has_extension = (p[0] & 0x10) != 0;
    const uint8_t csrc_count = p[0] & 0x0F;

    RtpPacket packet;
    RtpHeader& h = packet.header;
    h.marker = (p[1] & 0x80) != 0;
    h.payload_type = p[1] & 0x7F;
    h.sequence = load_be16(p + 2);
    h.timestamp = load_be32(p + 4);
    h.ssrc = load_be32(p + 8);

    std::size_t offset = kRtpFixedHeaderSize + 4 * std::size_t{csrc_count};
    if (offset > size) {
        return make_error("rtp: CSRC count " + std::to_string(csrc_count) + " runs past the " +
                          bytes(size) + " packet (needs " + std::to_string(offset) + ")");
    }
    h.csrc_count = csrc_count;
    for (std::size_t i = 0; i < csrc_count; ++i) {
        h.csrcs[i] = load_be32(p + kRtpFixedHeaderSize + 4 * i);
    }

    if (has_extension) {
        if (offset + 4 > size) {
            return make_error("rtp: header extension header at offset " + std::to_string(offset) +
                              " runs past the " + bytes(size) + " packet");
        }
        const uint16_t profile = load_be16(p + offset);
        const std::size_t words = load_be16(p + offset + 2);
        const std::size_t end = offset + 4 + 4 * words;
        if (end > size) {
            return make_error("rtp: header extension of " + std::to_string(words) +
                              " words runs past the " + bytes(size) + " packet (needs " +
                              std::to_string(end) + ")");
        }
        h.extension = HeaderExtension{profile, datagram.subspan(offset + 4, 4 * words)};
        offset = end;
    }

    std::size_t padding = 0;
    if (has_padding) {
        padding = p[size - 1];
        if (padding == 0) {
            return make_error("rtp: padding bit set but the padding count is 0");
        }
        if (padding > size - offset) {
            return make_error("rtp: padding count " + std::to_string(padding) +
                              " runs past the payload start (" + bytes(size) + " packet, " +
                              bytes(offset) + " header)");
        }
    }
    h.padding = static_cast<uint8_t>(padding);
    packet.header_size = offset;
    packet.size = size;
    packet.payload = datagram.subspan(offset, size - offset - padding);
    return packet;
}

std::size_t serialized_size(const RtpHeader& header, std::size_t payload_size) {
    std::size_t size = kRtpFixedHeaderSize + 4 * std::size_t{header.csrc_count};
    if (header.extension) size += 4 + header.extension->data.size();
    return size + payload_size + header.padding;
}

Result<std::size_t> serialize(const RtpHeader& header, std::span<const uint8_t> payload,
                              std::span<uint8_t> out) {
    if (header.payload_type > 127) {
        return make_error("rtp: payload type " + std::to_string(header.payload_type) +
                          " does not fit in 7 bits");
    }
    if (header.csrc_count > kMaxCsrcs) {
        return make_error("rtp: CSRC count " + std::to_string(header.csrc_count) +
                          " exceeds the maximum of 15");
    }
    if (header.extension) {
        const std::size_t n = header.extension->data.size();
        if (n % 4 != 0) {
            return make_error("rtp: header extension of " + std::to_string(n) +
                              " bytes is not a whole number of 32-bit words");
        }
        if (n / 4 > 0xFFFF) {
            return make_error("rtp: header extension of " + std::to_string(n / 4) +
                              " words exceeds the 16-bit length field");
        }
    }
    const std::size_t size = serialized_size(header, payload.size());
    if (size > out.size()) {
        return make_error("rtp: " + bytes(size) + " packet does not fit the " + bytes(out.size()) +
                          " buffer");
    }

    uint8_t* p = out.data();
    p[0] = static_cast<uint8_t>((kRtpVersion << 6) | (header.padding != 0 ? 0x20 : 0) |
                                (header.extension ? 0x10 : 0) | header.csrc_count);
    p[1] = static_cast<uint8_t>((header.marker ? 0x80 : 0) | header.payload_type);
    store_be16(p + 2, header.sequence);
    store_be32(p + 4, header.timestamp);
    store_be32(p + 8, header.ssrc);
    std::size_t offset = kRtpFixedHeaderSize;
    for (uint32_t csrc : header.csrc_list()) {
        store_be32(p + offset, csrc);
        offset += 4;
    }
    if (header.extension) {
        const auto& ext = *header.extension;
        store_be16(p + offset, ext.profile);
        store_be16(p + offset + 2, static_cast<uint16_t>(ext.data.size() / 4));
        std::copy(ext.data.begin(), ext.data.end(), p + offset + 4);
        offset += 4 + ext.data.size();
    }
    if (!payload.empty()) {
        std::copy(payload.begin(), payload.end(), p + offset);
        offset += payload.size();
    }
    if (header.padding != 0) {
        std::fill_n(p + offset, header.padding - 1, uint8_t{0});
        offset += header.padding;
        p[offset - 1] = header.padding;
    }
    return offset;
}

bool looks_like_rtcp(std::span<const uint8_t> datagram) {
    if (datagram.size() < 4 || (datagram[0] >> 6) != kRtpVersion) return false;
    const unsigned payload_type = datagram[1] & 0x7F;
    return payload_type >= 64 && payload_type <= 95;
}

}  // namespace sidebar::rtp
