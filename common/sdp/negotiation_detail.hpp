// Pieces negotiate_answer, make_offer and process_answer share: codec identification from
// rtpmap, Opus and telephone-event fmtp handling, direction agreement, the remote transport,
// and our SDP's session part. Internal to the sdp module.
#pragma once

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/sdp/offer_answer.hpp"

namespace sidebar::sdp::detail {

inline constexpr int kOpusPayloadType = 96;
inline constexpr int kTelephoneEventPayloadType = 101;
inline constexpr std::size_t kMaxNamesInReason = 8;

std::string_view encoding_name(codec::Kind kind);  // "PCMU", "PCMA", "G722", "opus"
// The rtpmap a codec has in SDP (G722/8000, opus/48000/2).
RtpMap canonical_rtpmap(codec::Kind kind);
std::optional<int> static_payload_type_of(codec::Kind kind);  // 0, 8, 9; none for opus
// Which of our codecs an rtpmap names: encoding case-insensitive, exact clock rate; opus may
// say 1 or 2 channels (RFC 7587 says 2, a few phones say 1).
std::optional<codec::Kind> kind_of(const RtpMap& map);
bool is_telephone_event(const RtpMap& map);

struct Match {
    int payload_type = 0;
    RtpMap map;
};
// The first format of `media` that is `kind`.
std::optional<Match> find_codec(const MediaDescription& media, codec::Kind kind);
// The first telephone-event format, preferring `clock_rate`, else 8000.
std::optional<Match> find_telephone_event(const MediaDescription& media, int clock_rate);

OpusParams opus_params(const Fmtp* fmtp);
std::string our_opus_fmtp(const Capabilities& caps);
// RFC 4733 event lists ("0-15,66"): malformed items are skipped, events above 255 ignored.
std::bitset<256> parse_events(std::string_view list);
std::string format_events(const std::bitset<256>& events);

// Hostile names cut to `max` bytes ("...") before they go into a reason.
std::string clip(std::string_view name, std::size_t max = 32);
// "G729, iLBC, pt 96 (no rtpmap)": what an m= line offers, for a refusal's reason; with
// `codecs_only`, without telephone-event and comfort noise.
std::string describe_formats(const MediaDescription& media, bool codecs_only);
std::string describe_codecs(const std::vector<codec::Kind>& kinds);

// c= 0.0.0.0 (or ::): the RFC 2543 way of saying "do not send to me".
bool is_zero_address(const Connection& connection);
// What the far end does, counting a zero address as "does not receive".
Direction remote_direction(Direction declared, bool zero_address);
// What we do: we send if we want to and they receive, and receive if we want to and they send.
Direction agree(Direction ours, Direction theirs);

// Remote address, ports (RTP, RTCP per a=rtcp / +1 / mux) and ptime from the remote m= line.
void fill_remote(Negotiated& out, const Connection& connection, const MediaDescription& remote,
                 bool rtcp_mux);

// v=, o=, s=, c=, t= of an SDP of ours, in the given address family.
SessionDescription our_session(const Capabilities& caps, AddrType family, uint64_t version);
const std::string& our_address(const Capabilities& caps, AddrType family);

}  // namespace sidebar::sdp::detail
