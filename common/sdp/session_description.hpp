// SDP (RFC 4566) as plain value types: what sdp_parser.cpp fills from remote text, what
// sdp_writer.cpp serializes, and what offer_answer.cpp reads and builds. Attributes the media
// path uses are parsed into typed fields; every other attribute is kept as name/value so an SDP
// survives parse -> write -> parse unchanged (operator== compares the parsed meaning).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sidebar::sdp {

enum class AddrType { ip4, ip6 };

// c= (and the address half of o= and a=rtcp). The parser accepts only "IN"; for c= and a=rtcp
// the address is an IP literal checked with inet_pton (host names are refused: nothing on the
// media path resolves names).
struct Connection {
    std::string net_type = "IN";
    AddrType addr_type = AddrType::ip4;
    std::string address;

    bool operator==(const Connection&) const = default;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
    std::string username = "-";
    std::string session_id = "0";  // digits; kept as text since peers send more than 64 bits
    uint64_t session_version = 0;  // compared by the SIP layer to spot a changed SDP
    std::string net_type = "IN";
    AddrType addr_type = AddrType::ip4;
    std::string address;  // any token: phones put host names and private addresses here

    bool operator==(const Origin&) const = default;
};

// b=<bwtype>:<bandwidth>, e.g. AS (kbit/s) or TIAS (bit/s).
struct Bandwidth {
    std::string type;
    uint64_t value = 0;

    bool operator==(const Bandwidth&) const = default;
};

// t=<start> <stop> and the r= lines that follow it (kept as text: telephony never repeats).
struct Timing {
    uint64_t start = 0;
    uint64_t stop = 0;
    std::vector<std::string> repeats;

    bool operator==(const Timing&) const = default;
};

// a=<name>[:<value>] for attributes without a typed field. A flag attribute has no value;
// "a=name:" has an empty one.
struct Attribute {
    std::string name;
    std::optional<std::string> value;

    bool operator==(const Attribute&) const = default;
};

enum class Direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(Direction direction);
std::optional<Direction> direction_from_string(std::string_view name);
inline bool sends(Direction d) {
    return d == Direction::sendrecv || d == Direction::sendonly;
}
inline bool receives(Direction d) {
    return d == Direction::sendrecv || d == Direction::recvonly;
}
// The direction that pairs with `d` seen from the other end (RFC 3264 6.1): sendonly <->
// recvonly, sendrecv and inactive stay.
Direction reverse(Direction d);

// a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]. channels is 1 when the line omits it.
struct RtpMap {
    std::string encoding;  // as the peer spelled it; compare case-insensitively
    int clock_rate = 8000;
    int channels = 1;

    bool operator==(const RtpMap&) const = default;
};

// a=fmtp:<pt> <params>. `raw` is the text as sent; `params` splits it on ';' into key=value
// pairs with lower-cased keys (an item without '=', like telephone-event's "0-15", is a key with
// an empty value).
struct Fmtp {
    std::string raw;
    std::map<std::string, std::string> params;

    std::optional<std::string_view> param(std::string_view key) const;
    bool operator==(const Fmtp&) const = default;
};
// An Fmtp whose params are split out of `raw` (what the parser does with every a=fmtp).
Fmtp make_fmtp(std::string_view raw);

// a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605).
struct Rtcp {
    uint16_t port = 0;
    std::optional<Connection> connection;

    bool operator==(const Rtcp&) const = default;
};

struct MediaDescription {
    std::string media;  // "audio", "video", "application", "image", ...
    uint16_t port = 0;  // 0 = stream disabled or rejected
    int port_count = 1;
    std::string proto;  // "RTP/AVP", "RTP/SAVP", "RTP/AVPF", "UDP/TLS/RTP/SAVPF", "udptl", ...
    // For RTP protos: payload type numbers 0..127 in canonical decimal; otherwise tokens.
    std::vector<std::string> formats;

    std::optional<std::string> information;  // i=
    std::optional<Connection> connection;
    std::vector<Bandwidth> bandwidths;
    std::optional<std::string> encryption_key;  // k=

    std::map<int, RtpMap> rtpmaps;  // by payload type
    std::map<int, Fmtp> fmtps;      // by payload type
    std::optional<int> ptime;       // ms
    std::optional<int> maxptime;    // ms
    std::optional<Direction> direction;
    std::optional<Rtcp> rtcp;
    bool rtcp_mux = false;
    std::vector<Attribute> attributes;  // everything else, in the order received

    bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
    int version = 0;
    Origin origin;
    std::string session_name = "-";
    std::optional<std::string> information;  // i=
    std::optional<std::string> uri;          // u=
    std::vector<std::string> emails;         // e=
    std::vector<std::string> phones;         // p=
    std::optional<Connection> connection;
    std::vector<Bandwidth> bandwidths;
    std::vector<Timing> timings;
    std::optional<std::string> time_zones;      // z=
    std::optional<std::string> encryption_key;  // k=
    std::optional<Direction> direction;         // session-level default for every m= line
    std::vector<Attribute> attributes;
    std::vector<MediaDescription> media;

    bool operator==(const SessionDescription&) const = default;
};

// RTP/AVP-family protos whose formats are payload type numbers.
bool is_rtp_proto(std::string_view proto);
// The SRTP profiles (RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVP[F]).
bool is_secure_proto(std::string_view proto);

// RFC 3551's static payload types the product meets (0 PCMU, 3 GSM, 4 G723, 8 PCMA, 9 G722,
// 13 CN, 18 G729, ...). G722 is 8000 here: its RTP clock runs at 8 kHz although it samples at
// 16 kHz (RFC 3551 4.5.2).
std::optional<RtpMap> static_payload_type(int payload_type);
// The m= line's a=rtpmap for `payload_type`, else the static assignment.
std::optional<RtpMap> find_rtpmap(const MediaDescription& media, int payload_type);
// The payload type a format string names (RTP protos only), or nullopt.
std::optional<int> payload_type_of(std::string_view format);

// What applies to one m= line: its own value, else the session's, else the RFC default.
Direction effective_direction(const SessionDescription& session, const MediaDescription& media);
const Connection* effective_connection(const SessionDescription& session,
                                       const MediaDescription& media);

std::string_view to_string(AddrType type);  // "IP4" / "IP6"

}  // namespace sidebar::sdp
