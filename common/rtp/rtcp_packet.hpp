// RTCP (RFC 3550 section 6): the value types of a compound packet's parts, and the parser that
// splits and validates a compound packet. The result owns all its data (nothing points into the
// datagram), so it may be kept or handed to another thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::rtp {

enum class RtcpType : uint8_t {
    sr = 200,
    rr = 201,
    sdes = 202,
    bye = 203,
    app = 204,
    rtpfb = 205,  // RFC 4585 transport feedback (NACK)
    psfb = 206,   // RFC 4585 payload-specific feedback (PLI, FIR)
    xr = 207,     // RFC 3611
};

inline constexpr std::size_t kMaxReportBlocks = 31;  // the 5-bit count field
inline constexpr std::size_t kMaxSdesChunks = 31;
inline constexpr std::size_t kMaxByeSsrcs = 31;
inline constexpr std::size_t kMaxSdesItemLength = 255;
inline constexpr std::size_t kMaxByeReasonLength = 255;
// Compound packets are usually under one MTU, but anything up to the largest UDP payload is
// accepted.
inline constexpr std::size_t kMaxCompoundSize = 65536;

// One reception report (RFC 3550 6.4.1), about the source `ssrc`.
struct ReportBlock {
    uint32_t ssrc = 0;
    uint8_t fraction_lost = 0;         // 8-bit fixed point, lost/expected * 256
    int32_t cumulative_lost = 0;       // signed 24 bits: duplicates can make it negative
    uint32_t highest_sequence = 0;     // extended: cycles << 16 | highest seq
    uint32_t jitter = 0;               // RTP timestamp units
    uint32_t last_sr = 0;              // LSR: middle 32 bits of the last SR's NTP timestamp
    uint32_t delay_since_last_sr = 0;  // DLSR, 1/65536 s

    bool operator==(const ReportBlock&) const = default;
};

struct SenderInfo {
    uint64_t ntp_timestamp = 0;  // 32.32 fixed point seconds since 1900
    uint32_t rtp_timestamp = 0;  // the same instant on the RTP clock
    uint32_t packet_count = 0;
    uint32_t octet_count = 0;  // payload octets only

    bool operator==(const SenderInfo&) const = default;
};

struct SenderReport {
    uint32_t ssrc = 0;
    SenderInfo info;
    std::vector<ReportBlock> reports;  // at most 31

    bool operator==(const SenderReport&) const = default;
};

struct ReceiverReport {
    uint32_t ssrc = 0;
    std::vector<ReportBlock> reports;  // at most 31

    bool operator==(const ReceiverReport&) const = default;
};

enum class SdesItemType : uint8_t {
    cname = 1,
    name = 2,
    email = 3,
    phone = 4,
    loc = 5,
    tool = 6,
    note = 7,
    priv = 8,
};

struct SdesItem {
    uint8_t type = 0;   // an SdesItemType, or any other non-zero value a peer sent
    std::string value;  // up to 255 octets, UTF-8 by the RFC but not checked

    bool operator==(const SdesItem&) const = default;
};

struct SdesChunk {
    uint32_t ssrc = 0;
    std::vector<SdesItem> items;

    // The CNAME item's value, if the chunk has one.
    std::optional<std::string> cname() const;
    bool operator==(const SdesChunk&) const = default;
};

struct Sdes {
    std::vector<SdesChunk> chunks;  // at most 31

    bool operator==(const Sdes&) const = default;
};

struct Bye {
    std::vector<uint32_t> ssrcs;        // at most 31
    std::optional<std::string> reason;  // up to 255 octets

    bool operator==(const Bye&) const = default;
};

// A packet this module does not interpret (APP, RTPFB, PSFB, XR, or an unknown type), kept so
// callers can see it arrived and decode it themselves.
struct UnknownRtcp {
    uint8_t packet_type = 0;
    uint8_t count = 0;          // the 5-bit count/FMT/subtype field
    std::vector<uint8_t> body;  // after the 4-byte header, padding removed

    bool operator==(const UnknownRtcp&) const = default;
};

using RtcpPacket = std::variant<SenderReport, ReceiverReport, Sdes, Bye, UnknownRtcp>;

// Parses a compound RTCP packet (RFC 3550 6.4, A.2) into its parts, in order. Refuses, naming
// the packet index and sizes: version other than 2, a length field past the remaining bytes,
// trailing bytes, a report or chunk count that does not fit the length, SDES items or a BYE
// reason past their packet, padding on any but the last packet or with a bad count, empty input
// and input over kMaxCompoundSize. It does not insist that an SR or RR comes first, so the
// reduced-size RTCP of RFC 5506 (a lone feedback packet) parses too.
Result<std::vector<RtcpPacket>> parse_rtcp(std::span<const uint8_t> datagram);

}  // namespace sidebar::rtp
