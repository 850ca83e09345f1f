// SDP offer/answer (RFC 3264) for one audio stream. We negotiate ourselves (sofia-sip's media
// negotiation is off, DESIGN.md 5.5) and the offer comes from a remote peer, so everything here
// is bounded and refusals carry what the SIP layer needs for "488 Not Acceptable Here" with a
// Warning header (RFC 3261 20.43): a code and a short reason.
//
// Rules (negotiate_answer):
// - The first audio m= line that is live (port != 0), plain RTP (RTP/AVP or RTP/AVPF) and has a
//   codec in common is accepted; every other m= line (video, a second audio, SRTP, ...) is
//   rejected with port 0, keeping the m= count and order (RFC 3264 6).
// - The codec is chosen by OUR preference (Capabilities::codecs order) among those the offer
//   lists, not by the offer's order: the offerer accepts any codec it listed, and we pick the one
//   we serve best. The answer lists that codec alone (plus telephone-event), so the far end
//   never switches codec mid-call, and uses the offerer's payload type numbers.
// - Direction is the RFC 3264 6.1 complement, limited by our own Capabilities::direction. An
//   old RFC 2543 hold (c=IN IP4 0.0.0.0) counts as the offerer not receiving: we must not send.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/sdp/session_description.hpp"
#include "common/util/result.hpp"

namespace sidebar::sdp {

// What our side offers and accepts. Comes from configuration; validate() it at start-up.
struct Capabilities {
    // Our preference, best first; any of PCMU, PCMA, G722, opus (opus/48000/2). Wideband comes
    // first by default: the product mixes at 16 kHz, and the IVR's speech recognition loses
    // much of its accuracy on narrowband audio (shared/TESTING.md).
    std::vector<codec::Kind> codecs{codec::Kind::opus, codec::Kind::g722, codec::Kind::pcmu,
                                    codec::Kind::pcma};
    bool telephone_event = true;  // RFC 4733 telephone-event (events 0-15)
    // Our media addresses; the answer uses the family of the offer's c=. At least one is set.
    std::string ipv4_address = "127.0.0.1";
    std::string ipv6_address;
    uint16_t rtp_port = 20000;  // RTCP on rtp_port + 1 unless rtcp-mux is agreed
    int ptime = 20;             // ms, the packetization we send (and ask for in a=ptime)
    Direction direction = Direction::sendrecv;  // at most what we do (a recorder: recvonly)
    bool rtcp_mux = false;                      // accept/offer RFC 5761 a=rtcp-mux
    bool opus_fec = true;                       // we decode Opus in-band FEC (useinbandfec=1)
    int opus_max_playback_rate = 16000;         // we play at 16 kHz (DESIGN.md 4)
    std::string origin_username = "sidebar";
    std::string session_id = "1";  // o= sess-id: digits, the same for the whole dialog
    std::string session_name = "sidebar";
};

// Checks a configuration: known codecs, no duplicates, IP literals, ports and ptime in range.
Status validate(const Capabilities& caps);

// The remote's Opus fmtp (RFC 7587 7), with the RFC's defaults where it says nothing.
struct OpusParams {
    bool useinbandfec = false;
    bool usedtx = false;
    bool stereo = false;        // the remote prefers to receive stereo
    bool sprop_stereo = false;  // the remote will likely send stereo
    int maxplaybackrate = 48000;
    int sprop_maxcapturerate = 48000;
    std::optional<int> maxaveragebitrate;

    bool operator==(const OpusParams&) const = default;
};

struct ChosenCodec {
    codec::Kind kind = codec::Kind::pcmu;
    int payload_type = 0;        // in the remote's SDP: put it in the RTP we send
    int local_payload_type = 0;  // in our SDP: expect it in the RTP we receive
    int clock_rate = 8000;       // RTP clock (8000 for G.722, 48000 for Opus)
    int channels = 1;
    std::string fmtp;  // the remote's a=fmtp text for this payload type, if any
    OpusParams opus;   // parsed from `fmtp` when kind is opus
};

struct TelephoneEvent {
    int payload_type = 101;        // in the remote's SDP
    int local_payload_type = 101;  // in ours
    int clock_rate = 8000;
    std::string events = "0-15";  // the remote's fmtp event list ("0-15" when it sends none)
};

struct Negotiated {
    // The answer of this exchange: the one we built (negotiate_answer) or the one we received
    // (process_answer).
    SessionDescription answer;
    std::size_t media_index = 0;  // which m= line carries the audio
    ChosenCodec codec;
    std::optional<TelephoneEvent> telephone_event;

    AddrType remote_addr_type = AddrType::ip4;
    std::string remote_address;  // IP literal of the remote's RTP
    uint16_t remote_rtp_port = 0;
    std::string remote_rtcp_address;
    uint16_t remote_rtcp_port = 0;  // a=rtcp, else RTP port + 1, RTP port under rtcp-mux; 0 = none
    bool rtcp_mux = false;
    std::optional<int> remote_ptime;  // ms
    std::optional<int> remote_maxptime;

    Direction direction = Direction::sendrecv;  // ours: whether we send and/or receive
    bool remote_zero_address = false;           // c= was 0.0.0.0 (RFC 2543 hold)

    bool we_send() const { return sends(direction); }
    bool we_receive() const { return receives(direction); }
    // The far end does not want our audio (sendonly/inactive offer, or c=0.0.0.0).
    bool is_hold() const { return !sends(direction); }
};

// RFC 3261 20.43 warning codes a failed negotiation carries.
inline constexpr int kWarnIncompatibleNetworkAddress = 301;
inline constexpr int kWarnIncompatibleTransport = 302;
inline constexpr int kWarnMediaTypeNotAvailable = 304;
inline constexpr int kWarnIncompatibleMediaFormat = 305;
inline constexpr int kWarnMiscellaneous = 399;
// The RFC's text for a code ("Incompatible media format").
std::string_view warning_text(int code);

// A Result<Negotiated> whose failure also carries a warning code. The reason (message()) is
// short printable ASCII without '"' or '\', so it can go into the Warning header's quoted text.
class [[nodiscard]] NegotiationResult : public Result<Negotiated> {
  public:
    NegotiationResult(Negotiated negotiated)  // NOLINT(google-explicit-constructor)
        : Result<Negotiated>(std::move(negotiated)) {}
    NegotiationResult(int warning_code, std::string reason)
        : Result<Negotiated>(make_error(std::move(reason))), warning_code_(warning_code) {}

    int warning_code() const { return warning_code_; }  // 0 on success
    const std::string& reason() const { return message(); }

  private:
    int warning_code_ = 0;
};

// Answers a remote offer. `session_version` goes into the answer's o= (bump it on every SDP we
// send in the dialog, RFC 3264 8).
NegotiationResult negotiate_answer(const SessionDescription& offer, const Capabilities& caps,
                                   uint64_t session_version = 1);

// Our own offer (re-INVITE, 3PCC): one audio m= line with every codec of `caps` in preference
// order (PCMU 0, PCMA 8, G722 9, opus 96) and telephone-event/8000 as 101.
Result<SessionDescription> make_offer(const Capabilities& caps, uint64_t session_version);

// Checks the answer to an offer we sent: same m= lines, our audio accepted, and a codec we
// offered. The codec used is the answer's first one that we offered.
NegotiationResult process_answer(const SessionDescription& our_offer,
                                 const SessionDescription& answer);

}  // namespace sidebar::sdp
