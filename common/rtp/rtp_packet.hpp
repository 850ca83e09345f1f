// RTP data packets (RFC 3550 section 5.1): a bounds-checked parser into a value type, a
// serializer into a caller buffer, and the RFC 5761 test that tells RTCP from RTP on a shared
// socket.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/util/result.hpp"

namespace sidebar::rtp {

inline constexpr std::size_t kRtpFixedHeaderSize = 12;
inline constexpr std::size_t kMaxCsrcs = 15;  // the CC field is 4 bits
inline constexpr uint8_t kRtpVersion = 2;

// The header extension of RFC 3550 5.3.1. `profile` is the 16-bit "defined by profile" field
// (0xBEDE for RFC 8285 one-byte elements, 0x100x for two-byte ones); `data` is its data words,
// length a multiple of 4.
struct HeaderExtension {
    uint16_t profile = 0;
    std::span<const uint8_t> data;
};

// Everything of a packet but its payload. The parser fills it; serialize() writes it.
struct RtpHeader {
    bool marker = false;
    uint8_t payload_type = 0;  // 0..127
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint32_t ssrc = 0;
    std::array<uint32_t, kMaxCsrcs> csrcs{};
    uint8_t csrc_count = 0;  // 0..15; csrcs[csrc_count..] are unused
    std::optional<HeaderExtension> extension;
    // Padding octets at the end of the packet including the count octet itself; 0 = no padding
    // (the P bit is clear). The parser reports what it found; serialize() appends this many.
    uint8_t padding = 0;

    std::span<const uint32_t> csrc_list() const { return {csrcs.data(), csrc_count}; }
};

// A parsed packet. `payload` and `header.extension->data` are views into the buffer given to
// parse_rtp(): they are valid only while that buffer is alive and unchanged. Copy them (or the
// whole datagram) before the receive buffer is reused.
struct RtpPacket {
    RtpHeader header;
    std::span<const uint8_t> payload;
    std::size_t header_size = 0;  // fixed header + CSRCs + extension
    std::size_t size = 0;         // the whole datagram, padding included
};

// Parses one RTP datagram. Refuses (with the reason and the sizes involved) a version other
// than 2, fewer than 12 bytes, CSRCs or an extension past the end, and a padding count of 0 or
// one that reaches back into the header.
Result<RtpPacket> parse_rtp(std::span<const uint8_t> datagram);

// Bytes serialize() writes for `header` and a payload of `payload_size` bytes.
std::size_t serialized_size(const RtpHeader& header, std::size_t payload_size);

// Writes header, CSRCs, extension, payload and padding (zeros, then the count) to `out`.
// Returns the bytes written; an error when `out` is too small or a field cannot be encoded
// (payload type > 127, csrc_count > 15, extension data not whole words or over 65535 words).
// `out` must not overlap the payload or the extension data.
Result<std::size_t> serialize(const RtpHeader& header, std::span<const uint8_t> payload,
                              std::span<uint8_t> out);

// RFC 5761 section 4 demultiplexing: a version-2 datagram whose second octet, read as RTP's
// marker + payload type, has a payload type of 64..95 is RTCP (RTCP packet types 192..223).
// Cheap enough for every datagram; it does not validate the packet.
bool looks_like_rtcp(std::span<const uint8_t> datagram);

}  // namespace sidebar::rtp
