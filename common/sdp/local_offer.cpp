// Our side of an exchange we start (re-INVITE, third-party call control): checking our
// Capabilities, building our offer, and checking the answer to it (RFC 3264 7 and 8).
#include "common/sdp/negotiation_detail.hpp"
#include "common/sdp/offer_answer.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp {

namespace {

bool is_printable_line(std::string_view s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return false;
    }
    return !s.empty() && text::trim(s) == s;
}

Status validate_addresses(const Capabilities& caps) {
    if (caps.ipv4_address.empty() && caps.ipv6_address.empty()) {
        return make_error("sdp capabilities: neither ipv4_address nor ipv6_address is set");
    }
    if (!caps.ipv4_address.empty() && !text::is_ip_literal(AddrType::ip4, caps.ipv4_address)) {
        return make_error("sdp capabilities: ipv4_address " + text::quoted(caps.ipv4_address) +
                          " is not an IPv4 address");
    }
    if (!caps.ipv6_address.empty() && !text::is_ip_literal(AddrType::ip6, caps.ipv6_address)) {
        return make_error("sdp capabilities: ipv6_address " + text::quoted(caps.ipv6_address) +
                          " is not an IPv6 address");
    }
    return Ok{};
}

}  // namespace

Status validate(const Capabilities& caps) {
    if (caps.codecs.empty()) return make_error("sdp capabilities: codecs is empty");
    for (std::size_t i = 0; i < caps.codecs.size(); ++i) {
        if (detail::encoding_name(caps.codecs[i]) == "?") {
            return make_error("sdp capabilities: codecs[" + std::to_string(i) +
                              "] is not a known codec");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (caps.codecs[j] == caps.codecs[i]) {
                return make_error("sdp capabilities: codec " +
                                  std::string(detail::encoding_name(caps.codecs[i])) +
                                  " is listed twice");
            }
        }
    }
    if (auto s = validate_addresses(caps); !s) return s;
    if (caps.rtp_port == 0 || caps.rtp_port == 65535) {
        return make_error("sdp capabilities: rtp_port " + std::to_string(caps.rtp_port) +
                          " is out of range 1..65534");
    }
    if (caps.ptime < 10 || caps.ptime > 120 || caps.ptime % 10 != 0) {
        return make_error("sdp capabilities: ptime " + std::to_string(caps.ptime) +
                          " is not a multiple of 10 ms in 10..120");
    }
    const int rate = caps.opus_max_playback_rate;
    if (rate != 8000 && rate != 12000 && rate != 16000 && rate != 24000 && rate != 48000) {
        return make_error("sdp capabilities: opus_max_playback_rate " + std::to_string(rate) +
                          " is not one of 8000, 12000, 16000, 24000, 48000");
    }
    if (caps.origin_username.empty() || caps.origin_username.find(' ') != std::string::npos ||
        !is_printable_line(caps.origin_username)) {
        return make_error("sdp capabilities: origin_username " +
                          text::quoted(caps.origin_username) + " must be one printable word");
    }
    if (caps.session_id.empty() || caps.session_id.size() > 32 ||
        caps.session_id.find_first_not_of("0123456789") != std::string::npos) {
        return make_error("sdp capabilities: session_id " + text::quoted(caps.session_id) +
                          " must be 1 to 32 digits");
    }
    if (!is_printable_line(caps.session_name)) {
        return make_error("sdp capabilities: session_name " + text::quoted(caps.session_name) +
                          " must be non-empty printable text");
    }
    return Ok{};
}

Result<SessionDescription> make_offer(const Capabilities& caps, uint64_t session_version) {
    if (auto s = validate(caps); !s) return s.error();
    const AddrType family = caps.ipv4_address.empty() ? AddrType::ip6 : AddrType::ip4;
    SessionDescription sd = detail::our_session(caps, family, session_version);
    MediaDescription m;
    m.media = "audio";
    m.port = caps.rtp_port;
    m.proto = "RTP/AVP";
    for (auto kind : caps.codecs) {
        const int pt = detail::static_payload_type_of(kind).value_or(detail::kOpusPayloadType);
        m.formats.push_back(std::to_string(pt));
        m.rtpmaps.emplace(pt, detail::canonical_rtpmap(kind));
        if (kind == codec::Kind::opus) m.fmtps.emplace(pt, make_fmtp(detail::our_opus_fmtp(caps)));
    }
    if (caps.telephone_event) {
        const int pt = detail::kTelephoneEventPayloadType;
        m.formats.push_back(std::to_string(pt));
        m.rtpmaps.emplace(pt, RtpMap{"telephone-event", 8000, 1});
        m.fmtps.emplace(pt, make_fmtp("0-15"));
    }
    m.ptime = caps.ptime;
    m.rtcp_mux = caps.rtcp_mux;
    m.direction = caps.direction;
    sd.media.push_back(std::move(m));
    return sd;
}

namespace {

std::optional<TelephoneEvent> agreed_telephone_event(const MediaDescription& ours,
                                                     const MediaDescription& theirs,
                                                     int clock_rate) {
    const auto remote = detail::find_telephone_event(theirs, clock_rate);
    if (!remote) return std::nullopt;
    const auto local = detail::find_telephone_event(ours, remote->map.clock_rate);
    if (!local || local->map.clock_rate != remote->map.clock_rate) return std::nullopt;
    const auto fmtp = theirs.fmtps.find(remote->payload_type);
    return TelephoneEvent{remote->payload_type, local->payload_type, remote->map.clock_rate,
                          fmtp != theirs.fmtps.end() ? fmtp->second.raw : "0-15"};
}

NegotiationResult accept_answer(const SessionDescription& our_offer, const MediaDescription& ours,
                                const SessionDescription& answer, const MediaDescription& theirs,
                                std::size_t index) {
    if (theirs.proto != ours.proto) {
        return {kWarnIncompatibleTransport, "the answer changed the audio proto from " +
                                                detail::clip(ours.proto) + " to " +
                                                detail::clip(theirs.proto)};
    }
    const Connection* connection = effective_connection(answer, theirs);
    if (!connection) {
        return {kWarnIncompatibleNetworkAddress, "the answer's audio stream has no c= address"};
    }
    Negotiated n;
    for (const auto& format : theirs.formats) {
        const auto pt = payload_type_of(format);
        const auto map = pt ? find_rtpmap(theirs, *pt) : std::nullopt;
        const auto kind = map ? detail::kind_of(*map) : std::nullopt;
        const auto local = kind ? detail::find_codec(ours, *kind) : std::nullopt;
        if (!local) continue;
        n.codec.kind = *kind;
        n.codec.payload_type = *pt;
        n.codec.local_payload_type = local->payload_type;
        n.codec.clock_rate = map->clock_rate;
        n.codec.channels = map->channels;
        const auto fmtp = theirs.fmtps.find(*pt);
        if (fmtp != theirs.fmtps.end()) n.codec.fmtp = fmtp->second.raw;
        if (*kind == codec::Kind::opus) {
            n.codec.opus =
                detail::opus_params(fmtp != theirs.fmtps.end() ? &fmtp->second : nullptr);
        }
        n.telephone_event = agreed_telephone_event(ours, theirs, n.codec.clock_rate);
        detail::fill_remote(n, *connection, theirs, ours.rtcp_mux && theirs.rtcp_mux);
        const Direction remote =
            detail::remote_direction(effective_direction(answer, theirs), n.remote_zero_address);
        n.direction = detail::agree(effective_direction(our_offer, ours), remote);
        n.answer = answer;
        n.media_index = index;
        return n;
    }
    return {kWarnIncompatibleMediaFormat, "the answer has no codec we offered: it lists " +
                                              detail::describe_formats(theirs, false) +
                                              "; we offered " +
                                              detail::describe_formats(ours, false)};
}

}  // namespace

NegotiationResult process_answer(const SessionDescription& our_offer,
                                 const SessionDescription& answer) {
    if (answer.media.size() != our_offer.media.size()) {
        return {kWarnMiscellaneous, "the answer has " + std::to_string(answer.media.size()) +
                                        " m= lines, our offer had " +
                                        std::to_string(our_offer.media.size())};
    }
    bool offered_audio = false;
    for (std::size_t i = 0; i < our_offer.media.size(); ++i) {
        const MediaDescription& ours = our_offer.media[i];
        const MediaDescription& theirs = answer.media[i];
        if (!text::iequals(ours.media, theirs.media)) {
            return {kWarnMediaTypeNotAvailable,
                    "m= line " + std::to_string(i + 1) + " is " + detail::clip(theirs.media) +
                        " in the answer but " + detail::clip(ours.media) + " in our offer"};
        }
        if (!text::iequals(ours.media, "audio") || ours.port == 0) continue;
        offered_audio = true;
        if (theirs.port == 0) continue;
        return accept_answer(our_offer, ours, answer, theirs, i);
    }
    if (!offered_audio) return {kWarnMediaTypeNotAvailable, "our offer has no live audio stream"};
    return {kWarnMediaTypeNotAvailable, "the answer rejected our audio stream (port 0)"};
}

}  // namespace sidebar::sdp
