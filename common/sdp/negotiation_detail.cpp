// Shared pieces of offer/answer: codec identification, fmtp handling for Opus and
// telephone-event, direction agreement, the remote transport, our session lines.
#include "common/sdp/negotiation_detail.hpp"

#include <algorithm>

#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp::detail {

std::string_view encoding_name(codec::Kind kind) {
    switch (kind) {
        case codec::Kind::pcmu:
            return "PCMU";
        case codec::Kind::pcma:
            return "PCMA";
        case codec::Kind::g722:
            return "G722";
        case codec::Kind::opus:
            return "opus";
    }
    return "?";
}

RtpMap canonical_rtpmap(codec::Kind kind) {
    if (kind == codec::Kind::opus) return RtpMap{"opus", 48000, 2};
    return RtpMap{std::string(encoding_name(kind)), 8000, 1};
}

std::optional<int> static_payload_type_of(codec::Kind kind) {
    switch (kind) {
        case codec::Kind::pcmu:
            return 0;
        case codec::Kind::pcma:
            return 8;
        case codec::Kind::g722:
            return 9;
        case codec::Kind::opus:
            break;
    }
    return std::nullopt;
}

std::optional<codec::Kind> kind_of(const RtpMap& map) {
    for (auto kind : {codec::Kind::pcmu, codec::Kind::pcma, codec::Kind::g722, codec::Kind::opus}) {
        const RtpMap want = canonical_rtpmap(kind);
        if (!text::iequals(map.encoding, want.encoding) || map.clock_rate != want.clock_rate) {
            continue;
        }
        if (map.channels == want.channels || (kind == codec::Kind::opus && map.channels == 1)) {
            return kind;
        }
    }
    return std::nullopt;
}

bool is_telephone_event(const RtpMap& map) {
    return text::iequals(map.encoding, "telephone-event");
}

std::optional<Match> find_codec(const MediaDescription& media, codec::Kind kind) {
    for (const auto& format : media.formats) {
        const auto pt = payload_type_of(format);
        if (!pt) continue;
        const auto map = find_rtpmap(media, *pt);
        if (map && kind_of(*map) == kind) return Match{*pt, *map};
    }
    return std::nullopt;
}

std::optional<Match> find_telephone_event(const MediaDescription& media, int clock_rate) {
    std::optional<Match> at_8000;
    for (const auto& format : media.formats) {
        const auto pt = payload_type_of(format);
        if (!pt) continue;
        const auto map = find_rtpmap(media, *pt);
        if (!map || !is_telephone_event(*map)) continue;
        if (map->clock_rate == clock_rate) return Match{*pt, *map};
        if (map->clock_rate == 8000 && !at_8000) at_8000 = Match{*pt, *map};
    }
    return at_8000;
}

namespace {

bool flag(const Fmtp& fmtp, std::string_view key) {
    const auto value = fmtp.param(key);
    return value && *value == "1";
}

std::optional<int> number(const Fmtp& fmtp, std::string_view key, int lo, int hi) {
    const auto value = fmtp.param(key);
    if (!value) return std::nullopt;
    const auto n = text::parse_uint(*value, static_cast<uint64_t>(hi));
    if (!n || *n < static_cast<uint64_t>(lo)) return std::nullopt;
    return static_cast<int>(*n);
}

}  // namespace

OpusParams opus_params(const Fmtp* fmtp) {
    OpusParams p;
    if (!fmtp) return p;
    // Out-of-range or non-numeric values fall back to the RFC 7587 defaults.
    p.useinbandfec = flag(*fmtp, "useinbandfec");
    p.usedtx = flag(*fmtp, "usedtx");
    p.stereo = flag(*fmtp, "stereo");
    p.sprop_stereo = flag(*fmtp, "sprop-stereo");
    p.maxplaybackrate = number(*fmtp, "maxplaybackrate", 8000, 48000).value_or(48000);
    p.sprop_maxcapturerate = number(*fmtp, "sprop-maxcapturerate", 8000, 48000).value_or(48000);
    p.maxaveragebitrate = number(*fmtp, "maxaveragebitrate", 6000, 510000);
    return p;
}

std::string our_opus_fmtp(const Capabilities& caps) {
    std::string out = "maxplaybackrate=" + std::to_string(caps.opus_max_playback_rate) +
                      ";sprop-maxcapturerate=" + std::to_string(caps.opus_max_playback_rate);
    if (caps.opus_fec) out += ";useinbandfec=1";
    return out;
}

std::bitset<256> parse_events(std::string_view list) {
    std::bitset<256> events;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = text::trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        const std::size_t dash = item.find('-');
        const auto lo = text::parse_uint(item.substr(0, dash), 255);
        const auto hi =
            dash == std::string_view::npos ? lo : text::parse_uint(item.substr(dash + 1), 255);
        if (!lo || !hi || *lo > *hi) continue;
        for (uint64_t e = *lo; e <= *hi; ++e)
            events.set(e);
    }
    return events;
}

std::string format_events(const std::bitset<256>& events) {
    std::string out;
    for (std::size_t e = 0; e < events.size();) {
        if (!events.test(e)) {
            ++e;
            continue;
        }
        std::size_t end = e;
        while (end + 1 < events.size() && events.test(end + 1))
            ++end;
        if (!out.empty()) out += ',';
        out += std::to_string(e);
        if (end > e) out += "-" + std::to_string(end);
        e = end + 1;
    }
    return out;
}

std::string clip(std::string_view name, std::size_t max) {
    if (name.size() <= max) return std::string(name);
    return std::string(name.substr(0, max)) + "...";
}

namespace {

bool is_our_encoding(std::string_view encoding) {
    for (auto kind : {codec::Kind::pcmu, codec::Kind::pcma, codec::Kind::g722, codec::Kind::opus}) {
        if (text::iequals(encoding, encoding_name(kind))) return true;
    }
    return false;
}

}  // namespace

std::string describe_formats(const MediaDescription& media, bool codecs_only) {
    std::vector<std::string> names;
    bool more = false;
    for (const auto& format : media.formats) {
        const auto pt = payload_type_of(format);
        std::string name;
        if (!pt) {
            name = clip(format);
        } else if (const auto map = find_rtpmap(media, *pt)) {
            if (codecs_only && (is_telephone_event(*map) || text::iequals(map->encoding, "CN"))) {
                continue;
            }
            name = clip(map->encoding);
            // A name of ours at another rate ("G722/16000") says why it did not match.
            if (!kind_of(*map) && is_our_encoding(map->encoding)) {
                name += "/" + std::to_string(map->clock_rate);
                if (map->channels != 1) name += "/" + std::to_string(map->channels);
            }
        } else {
            name = "pt " + std::to_string(*pt) + " (no rtpmap)";
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) continue;
        if (names.size() == kMaxNamesInReason) {
            more = true;
            break;
        }
        names.push_back(std::move(name));
    }
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    if (more) out += ", ...";
    return out.empty() ? "no audio codec" : out;
}

std::string describe_codecs(const std::vector<codec::Kind>& kinds) {
    std::string out;
    for (auto k : kinds)
        out += (out.empty() ? "" : ", ") + std::string(encoding_name(k));
    return out;
}

bool is_zero_address(const Connection& connection) {
    return connection.address == "0.0.0.0" || connection.address == "::";
}

Direction remote_direction(Direction declared, bool zero_address) {
    if (!zero_address) return declared;
    return sends(declared) ? Direction::sendonly : Direction::inactive;
}

Direction agree(Direction ours, Direction theirs) {
    const bool send = sends(ours) && receives(theirs);
    const bool recv = receives(ours) && sends(theirs);
    if (send && recv) return Direction::sendrecv;
    if (send) return Direction::sendonly;
    if (recv) return Direction::recvonly;
    return Direction::inactive;
}

void fill_remote(Negotiated& out, const Connection& connection, const MediaDescription& remote,
                 bool rtcp_mux) {
    out.remote_addr_type = connection.addr_type;
    out.remote_address = connection.address;
    out.remote_rtp_port = remote.port;
    out.remote_zero_address = is_zero_address(connection);
    out.rtcp_mux = rtcp_mux;
    out.remote_rtcp_address = connection.address;
    if (rtcp_mux) {
        out.remote_rtcp_port = remote.port;
    } else if (remote.rtcp) {
        out.remote_rtcp_port = remote.rtcp->port;
        if (remote.rtcp->connection) out.remote_rtcp_address = remote.rtcp->connection->address;
    } else {
        out.remote_rtcp_port = remote.port < 65535 ? static_cast<uint16_t>(remote.port + 1) : 0;
    }
    out.remote_ptime = remote.ptime;
    out.remote_maxptime = remote.maxptime;
}

const std::string& our_address(const Capabilities& caps, AddrType family) {
    return family == AddrType::ip4 ? caps.ipv4_address : caps.ipv6_address;
}

SessionDescription our_session(const Capabilities& caps, AddrType family, uint64_t version) {
    SessionDescription sd;
    sd.origin = Origin{caps.origin_username,     caps.session_id, version, "IN", family,
                       our_address(caps, family)};
    sd.session_name = caps.session_name;
    sd.connection = Connection{"IN", family, our_address(caps, family)};
    sd.timings.push_back(Timing{});
    return sd;
}

}  // namespace sidebar::sdp::detail
