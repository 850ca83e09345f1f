// a= lines: the attributes the media path needs become typed fields (rtpmap, fmtp, ptime,
// maxptime, the direction flags, rtcp, rtcp-mux); any other attribute is kept as name/value.
// A malformed known attribute is an error rather than being dropped, so a negotiation never
// silently runs on half-understood SDP.
#include <string>

#include "common/sdp/sdp_fields.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp::fields {

using text::quoted;

namespace {

Status no_value(std::string_view name, std::optional<std::string_view> value) {
    if (value) return make_error("a=" + std::string(name) + " takes no value");
    return Ok{};
}

Status set_direction(std::optional<Direction>& slot, Direction d) {
    if (slot && *slot != d) {
        return make_error("a=" + std::string(to_string(d)) +
                          " conflicts with an earlier a=" + std::string(to_string(*slot)));
    }
    slot = d;
    return Ok{};
}

Result<int> payload_type_field(std::string_view attr, std::string_view field) {
    const auto pt = text::parse_uint(field, 127);
    if (!pt) {
        return make_error("a=" + std::string(attr) + " payload type " + quoted(field) +
                          " is not a number in 0..127");
    }
    return static_cast<int>(*pt);
}

// <pt> <encoding>/<clock rate>[/<channels>]
Status apply_rtpmap(MediaDescription& media, std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() != 2) return make_error("a=rtpmap " + quoted(value) + " is not <pt> <codec>");
    const auto pt = payload_type_field("rtpmap", f[0]);
    if (!pt) return pt.error();
    std::string_view rest = f[1];
    const std::size_t slash1 = rest.find('/');
    if (slash1 == std::string_view::npos) {
        return make_error("a=rtpmap " + quoted(value) + " has no clock rate");
    }
    RtpMap map;
    const std::string_view encoding = rest.substr(0, slash1);
    if (!text::is_token(encoding)) {
        return make_error("a=rtpmap encoding " + quoted(encoding) + " is not a token");
    }
    map.encoding = std::string(encoding);
    rest.remove_prefix(slash1 + 1);
    const std::size_t slash2 = rest.find('/');
    const auto rate = text::parse_uint(rest.substr(0, slash2), kMaxClockRate);
    if (!rate || *rate == 0) {
        return make_error("a=rtpmap clock rate " + quoted(rest.substr(0, slash2)) +
                          " is out of range 1.." + std::to_string(kMaxClockRate));
    }
    map.clock_rate = static_cast<int>(*rate);
    if (slash2 != std::string_view::npos) {
        const auto channels = text::parse_uint(rest.substr(slash2 + 1), kMaxChannels);
        if (!channels || *channels == 0) {
            return make_error("a=rtpmap channels " + quoted(rest.substr(slash2 + 1)) +
                              " is out of range 1.." + std::to_string(kMaxChannels));
        }
        map.channels = static_cast<int>(*channels);
    }
    if (!media.rtpmaps.emplace(*pt, std::move(map)).second) {
        return make_error("a=rtpmap for payload type " + std::to_string(*pt) + " appears twice");
    }
    return Ok{};
}

// <format> <parameters>. Formats that are not payload types (non-RTP protos) stay generic.
Status apply_fmtp(MediaDescription& media, std::string_view value) {
    const std::size_t space = value.find(' ');
    const std::string_view format = value.substr(0, space);
    const std::string_view params =
        space == std::string_view::npos ? std::string_view() : text::trim(value.substr(space));
    if (!is_rtp_proto(media.proto)) {
        media.attributes.push_back(Attribute{"fmtp", std::string(value)});
        return Ok{};
    }
    const auto pt = payload_type_field("fmtp", format);
    if (!pt) return pt.error();
    if (!media.fmtps.emplace(*pt, make_fmtp(params)).second) {
        return make_error("a=fmtp for payload type " + std::to_string(*pt) + " appears twice");
    }
    return Ok{};
}

// Milliseconds; "20" and "20.0" are both seen, fractions are dropped.
Status apply_ptime(std::optional<int>& slot, std::string_view name, std::string_view value) {
    const std::size_t dot = value.find('.');
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : value.substr(dot + 1);
    const auto ms = text::parse_uint(value.substr(0, dot), kMaxPtimeMs);
    if (!ms || *ms == 0 || fraction.find_first_not_of("0123456789") != std::string_view::npos) {
        return make_error("a=" + std::string(name) + " " + quoted(value) +
                          " is not a number of milliseconds in 1.." + std::to_string(kMaxPtimeMs));
    }
    if (slot) return make_error("a=" + std::string(name) + " appears twice");
    slot = static_cast<int>(*ms);
    return Ok{};
}

// <port> [IN IP4 <address>] (RFC 3605)
Status apply_rtcp(MediaDescription& media, std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() != 1 && f.size() != 4) {
        return make_error("a=rtcp " + quoted(value) + " is not <port> [IN IP4 <address>]");
    }
    const auto port = text::parse_uint(f[0], 65535);
    if (!port) return make_error("a=rtcp port " + quoted(f[0]) + " is out of range 0..65535");
    Rtcp rtcp;
    rtcp.port = static_cast<uint16_t>(*port);
    if (f.size() == 4) {
        const std::string rest =
            std::string(f[1]) + " " + std::string(f[2]) + " " + std::string(f[3]);
        auto connection = parse_connection(rest);
        if (!connection) return make_error("a=rtcp: " + connection.message());
        rtcp.connection = std::move(*connection);
    }
    if (media.rtcp) return make_error("a=rtcp appears twice");
    media.rtcp = std::move(rtcp);
    return Ok{};
}

}  // namespace

Status apply_session_attribute(SessionDescription& session, std::string_view name,
                               std::optional<std::string_view> value) {
    if (const auto d = direction_from_string(name)) {
        if (auto s = no_value(name, value); !s) return s;
        return set_direction(session.direction, *d);
    }
    session.attributes.push_back(
        Attribute{std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
    return Ok{};
}

Status apply_media_attribute(MediaDescription& media, std::string_view name,
                             std::optional<std::string_view> value) {
    if (const auto d = direction_from_string(name)) {
        if (auto s = no_value(name, value); !s) return s;
        return set_direction(media.direction, *d);
    }
    if (name == "rtcp-mux") {
        if (auto s = no_value(name, value); !s) return s;
        media.rtcp_mux = true;
        return Ok{};
    }
    const bool typed = name == "rtpmap" || name == "fmtp" || name == "ptime" ||
                       name == "maxptime" || name == "rtcp";
    if (typed && !value) return make_error("a=" + std::string(name) + " needs a value");
    if (name == "rtpmap") return apply_rtpmap(media, *value);
    if (name == "fmtp") return apply_fmtp(media, *value);
    if (name == "ptime") return apply_ptime(media.ptime, name, *value);
    if (name == "maxptime") return apply_ptime(media.maxptime, name, *value);
    if (name == "rtcp") return apply_rtcp(media, *value);
    media.attributes.push_back(
        Attribute{std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
    return Ok{};
}

}  // namespace sidebar::sdp::fields
