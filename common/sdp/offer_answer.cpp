// negotiate_answer: answers a remote offer (RFC 3264 6). Walks the offer's m= lines, accepts the
// first live plain-RTP audio line with a codec in common and rejects every other line with port
// 0; when nothing is accepted, the most specific refusal becomes the reason and warning code.
#include "common/sdp/offer_answer.hpp"

#include <algorithm>

#include "common/sdp/negotiation_detail.hpp"
#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp {

std::string_view warning_text(int code) {
    switch (code) {
        case kWarnIncompatibleNetworkAddress:
            return "Incompatible network address formats";
        case kWarnIncompatibleTransport:
            return "Incompatible transport protocol";
        case kWarnMediaTypeNotAvailable:
            return "Media type not available";
        case kWarnIncompatibleMediaFormat:
            return "Incompatible media format";
        default:
            return "Miscellaneous warning";
    }
}

namespace {

// Why no m= line was accepted. A later, more specific reason replaces an earlier one: a codec
// mismatch on a usable line says more than an SRTP-only line beside it.
struct Refusal {
    enum Rank { none, disabled, transport, address, codec };
    Rank rank = none;
    int code = 0;
    std::string reason;

    void note(Rank r, int warning_code, std::string text) {
        if (r <= rank) return;
        rank = r;
        code = warning_code;
        reason = std::move(text);
    }
};

struct Accepted {
    Negotiated negotiated;
    MediaDescription media;
};

MediaDescription rejected(const MediaDescription& offered) {
    MediaDescription m;
    m.media = offered.media;
    m.port = 0;
    m.proto = offered.proto;
    m.formats = offered.formats;
    return m;
}

std::optional<detail::Match> choose_codec(const MediaDescription& m, const Capabilities& caps) {
    for (auto kind : caps.codecs) {
        if (auto match = detail::find_codec(m, kind)) return match;
    }
    return std::nullopt;
}

std::optional<TelephoneEvent> choose_telephone_event(const MediaDescription& m,
                                                     const Capabilities& caps, int clock_rate) {
    if (!caps.telephone_event) return std::nullopt;
    const auto match = detail::find_telephone_event(m, clock_rate);
    if (!match) return std::nullopt;
    const auto fmtp = m.fmtps.find(match->payload_type);
    const std::string events = fmtp != m.fmtps.end() ? fmtp->second.raw : "0-15";
    if ((detail::parse_events(events) & detail::parse_events("0-15")).none()) return std::nullopt;
    return TelephoneEvent{match->payload_type, match->payload_type, match->map.clock_rate, events};
}

MediaDescription answer_media(const MediaDescription& offered, const Capabilities& caps,
                              const Negotiated& n, const RtpMap& codec_map) {
    MediaDescription m;
    m.media = offered.media;
    m.port = caps.rtp_port;
    m.proto = offered.proto;
    m.formats.push_back(std::to_string(n.codec.payload_type));
    m.rtpmaps.emplace(n.codec.payload_type, codec_map);
    if (n.codec.kind == codec::Kind::opus) {
        m.fmtps.emplace(n.codec.payload_type, make_fmtp(detail::our_opus_fmtp(caps)));
    }
    if (const auto& te = n.telephone_event) {
        m.formats.push_back(std::to_string(te->payload_type));
        m.rtpmaps.emplace(te->payload_type, RtpMap{"telephone-event", te->clock_rate, 1});
        const auto ours = detail::parse_events(te->events) & detail::parse_events("0-15");
        m.fmtps.emplace(te->payload_type, make_fmtp(detail::format_events(ours)));
    }
    m.ptime = caps.ptime;
    m.rtcp_mux = n.rtcp_mux;
    m.direction = n.direction;
    return m;
}

// The offered audio line's address if we can take it at all (live, plain RTP, an address
// family we have); otherwise notes why not and returns null.
const Connection* usable_connection(const SessionDescription& offer, const MediaDescription& m,
                                    const Capabilities& caps, Refusal& refusal) {
    if (m.port == 0) {
        refusal.note(Refusal::disabled, kWarnMediaTypeNotAvailable,
                     "the offered audio stream is disabled (port 0)");
        return nullptr;
    }
    if (is_secure_proto(m.proto)) {
        refusal.note(Refusal::transport, kWarnIncompatibleTransport,
                     "audio is offered only as " + detail::clip(m.proto) +
                         " (SRTP), which we do not support yet; we need RTP/AVP");
        return nullptr;
    }
    if (!text::iequals(m.proto, "RTP/AVP") && !text::iequals(m.proto, "RTP/AVPF")) {
        refusal.note(Refusal::transport, kWarnIncompatibleTransport,
                     "audio is offered over " + detail::clip(m.proto) + "; we need RTP/AVP");
        return nullptr;
    }
    const Connection* connection = effective_connection(offer, m);
    if (!connection) {
        refusal.note(Refusal::address, kWarnIncompatibleNetworkAddress,
                     "the offered audio stream has no c= address");
        return nullptr;
    }
    if (detail::our_address(caps, connection->addr_type).empty()) {
        const char* family = connection->addr_type == AddrType::ip6 ? "IPv6" : "IPv4";
        refusal.note(Refusal::address, kWarnIncompatibleNetworkAddress,
                     std::string("the offered audio is ") + family + " and we have no " + family +
                         " media address");
        return nullptr;
    }
    return connection;
}

std::optional<Accepted> try_accept(const SessionDescription& offer, const MediaDescription& m,
                                   const Capabilities& caps, Refusal& refusal) {
    const Connection* connection = usable_connection(offer, m, caps, refusal);
    if (!connection) return std::nullopt;
    const auto codec = choose_codec(m, caps);
    if (!codec) {
        refusal.note(Refusal::codec, kWarnIncompatibleMediaFormat,
                     "no common audio codec: offered " + detail::describe_formats(m, true) +
                         "; we support " + detail::describe_codecs(caps.codecs));
        return std::nullopt;
    }
    Accepted a;
    Negotiated& n = a.negotiated;
    n.codec.kind = *detail::kind_of(codec->map);
    n.codec.payload_type = n.codec.local_payload_type = codec->payload_type;
    n.codec.clock_rate = codec->map.clock_rate;
    n.codec.channels = codec->map.channels;
    const auto fmtp = m.fmtps.find(codec->payload_type);
    if (fmtp != m.fmtps.end()) n.codec.fmtp = fmtp->second.raw;
    if (n.codec.kind == codec::Kind::opus) {
        n.codec.opus = detail::opus_params(fmtp != m.fmtps.end() ? &fmtp->second : nullptr);
    }
    n.telephone_event = choose_telephone_event(m, caps, n.codec.clock_rate);
    detail::fill_remote(n, *connection, m, caps.rtcp_mux && m.rtcp_mux);
    const Direction theirs =
        detail::remote_direction(effective_direction(offer, m), n.remote_zero_address);
    n.direction = detail::agree(caps.direction, theirs);
    a.media = answer_media(m, caps, n, codec->map);
    return a;
}

std::string media_types(const SessionDescription& offer) {
    std::vector<std::string> seen;
    std::string out;
    for (const auto& m : offer.media) {
        const std::string name = detail::clip(m.media);
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
        if (seen.size() == detail::kMaxNamesInReason) return out + ", ...";
        seen.push_back(name);
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

}  // namespace

NegotiationResult negotiate_answer(const SessionDescription& offer, const Capabilities& caps,
                                   uint64_t session_version) {
    if (auto s = validate(caps); !s) {
        return {kWarnMiscellaneous, "our media configuration is invalid: " + s.message()};
    }
    Refusal refusal;
    std::optional<Negotiated> chosen;
    std::vector<MediaDescription> media;
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        const MediaDescription& m = offer.media[i];
        if (!chosen && text::iequals(m.media, "audio")) {
            if (auto accepted = try_accept(offer, m, caps, refusal)) {
                chosen = std::move(accepted->negotiated);
                chosen->media_index = i;
                media.push_back(std::move(accepted->media));
                continue;
            }
        }
        media.push_back(rejected(m));
    }
    if (!chosen) {
        if (refusal.rank != Refusal::none) return {refusal.code, refusal.reason};
        if (offer.media.empty()) return {kWarnMediaTypeNotAvailable, "the offer has no m= lines"};
        return {kWarnMediaTypeNotAvailable,
                "no audio stream in the offer (it has " + media_types(offer) + ")"};
    }
    chosen->answer = detail::our_session(caps, chosen->remote_addr_type, session_version);
    chosen->answer.timings = offer.timings.empty() ? chosen->answer.timings : offer.timings;
    chosen->answer.media = std::move(media);
    return std::move(*chosen);
}

}  // namespace sidebar::sdp
