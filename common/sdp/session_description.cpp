// Lookups over the SDP value types: direction names, proto families, RFC 3551 static payload
// types, and the session-level fallbacks RFC 4566 defines for c= and the direction attributes.
#include "common/sdp/session_description.hpp"

#include <array>

#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp {

std::string_view to_string(Direction direction) {
    switch (direction) {
        case Direction::sendrecv:
            return "sendrecv";
        case Direction::sendonly:
            return "sendonly";
        case Direction::recvonly:
            return "recvonly";
        case Direction::inactive:
            return "inactive";
    }
    return "sendrecv";
}

std::optional<Direction> direction_from_string(std::string_view name) {
    for (auto d :
         {Direction::sendrecv, Direction::sendonly, Direction::recvonly, Direction::inactive}) {
        if (name == to_string(d)) return d;
    }
    return std::nullopt;
}

Direction reverse(Direction d) {
    if (d == Direction::sendonly) return Direction::recvonly;
    if (d == Direction::recvonly) return Direction::sendonly;
    return d;
}

std::string_view to_string(AddrType type) {
    return type == AddrType::ip4 ? "IP4" : "IP6";
}

std::optional<std::string_view> Fmtp::param(std::string_view key) const {
    const auto it = params.find(text::lower(key));
    if (it == params.end()) return std::nullopt;
    return std::string_view(it->second);
}

Fmtp make_fmtp(std::string_view raw) {
    Fmtp fmtp;
    fmtp.raw = std::string(raw);
    while (!raw.empty()) {
        const std::size_t semi = raw.find(';');
        std::string_view item = text::trim(raw.substr(0, semi));
        raw = semi == std::string_view::npos ? std::string_view() : raw.substr(semi + 1);
        const std::size_t eq = item.find('=');
        const std::string key = text::lower(text::trim(item.substr(0, eq)));
        if (key.empty()) continue;
        const std::string_view value =
            eq == std::string_view::npos ? std::string_view() : text::trim(item.substr(eq + 1));
        fmtp.params.emplace(key, std::string(value));  // the first of duplicate keys wins
    }
    return fmtp;
}

namespace {

bool ends_with_icase(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && text::iequals(s.substr(s.size() - suffix.size()), suffix);
}

struct StaticType {
    int pt;
    const char* encoding;
    int clock_rate;
    int channels;
};

constexpr std::array kStaticTypes{
    StaticType{0, "PCMU", 8000, 1},   StaticType{3, "GSM", 8000, 1},
    StaticType{4, "G723", 8000, 1},   StaticType{5, "DVI4", 8000, 1},
    StaticType{6, "DVI4", 16000, 1},  StaticType{7, "LPC", 8000, 1},
    StaticType{8, "PCMA", 8000, 1},   StaticType{9, "G722", 8000, 1},
    StaticType{10, "L16", 44100, 2},  StaticType{11, "L16", 44100, 1},
    StaticType{12, "QCELP", 8000, 1}, StaticType{13, "CN", 8000, 1},
    StaticType{14, "MPA", 90000, 1},  StaticType{15, "G728", 8000, 1},
    StaticType{16, "DVI4", 11025, 1}, StaticType{17, "DVI4", 22050, 1},
    StaticType{18, "G729", 8000, 1},  StaticType{25, "CelB", 90000, 1},
    StaticType{26, "JPEG", 90000, 1}, StaticType{28, "nv", 90000, 1},
    StaticType{31, "H261", 90000, 1}, StaticType{32, "MPV", 90000, 1},
    StaticType{33, "MP2T", 90000, 1}, StaticType{34, "H263", 90000, 1},
};

}  // namespace

bool is_rtp_proto(std::string_view proto) {
    return ends_with_icase(proto, "RTP/AVP") || ends_with_icase(proto, "RTP/AVPF") ||
           ends_with_icase(proto, "RTP/SAVP") || ends_with_icase(proto, "RTP/SAVPF");
}

bool is_secure_proto(std::string_view proto) {
    return ends_with_icase(proto, "RTP/SAVP") || ends_with_icase(proto, "RTP/SAVPF");
}

std::optional<RtpMap> static_payload_type(int payload_type) {
    for (const auto& t : kStaticTypes) {
        if (t.pt == payload_type) return RtpMap{t.encoding, t.clock_rate, t.channels};
    }
    return std::nullopt;
}

std::optional<RtpMap> find_rtpmap(const MediaDescription& media, int payload_type) {
    const auto it = media.rtpmaps.find(payload_type);
    if (it != media.rtpmaps.end()) return it->second;
    return static_payload_type(payload_type);
}

std::optional<int> payload_type_of(std::string_view format) {
    const auto value = text::parse_uint(format, 127);
    if (!value) return std::nullopt;
    return static_cast<int>(*value);
}

Direction effective_direction(const SessionDescription& session, const MediaDescription& media) {
    if (media.direction) return *media.direction;
    if (session.direction) return *session.direction;
    return Direction::sendrecv;
}

const Connection* effective_connection(const SessionDescription& session,
                                       const MediaDescription& media) {
    if (media.connection) return &*media.connection;
    if (session.connection) return &*session.connection;
    return nullptr;
}

}  // namespace sidebar::sdp
