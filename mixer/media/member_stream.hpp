// One member's media: its RTP/RTCP sockets, symmetric RTP with latching, the jitter buffer and
// decoder that turn its packets into 20 ms frames, RFC 4733 digits, and sending the encoded mix
// back. Lives on its room's media thread; every method is called there.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/dtmf/rfc4733_receiver.hpp"
#include "common/dtmf/rfc4733_sender.hpp"
#include "common/jitter/jitter_playout.hpp"
#include "common/rtp/receive_stats.hpp"
#include "common/sdp/offer_answer.hpp"
#include "mixer/media/port_allocator.hpp"
#include "mixer/media/rtcp_session.hpp"

namespace sidebar::mixer {

struct MemberStreamSettings {
    int jitter_min_ms = 20;
    int jitter_max_ms = 200;
    std::chrono::milliseconds inactivity_timeout{30000};
    std::string cname = "sidebar-mixer";
    // The address the member's SIP came from: a first packet from it (or from the SDP address)
    // may latch the stream when it comes from another port (NAT).
    std::string signalling_address;
};

struct MemberStreamStats {
    uint64_t packets_in = 0;
    uint64_t bytes_in = 0;
    uint64_t packets_out = 0;
    uint64_t bytes_out = 0;
    uint64_t dropped_foreign = 0;    // from an address that is not the member's
    uint64_t dropped_malformed = 0;  // not RTP/RTCP, or a bad payload
    uint64_t dropped_payload_type = 0;
    uint64_t rtcp_in = 0;
    uint64_t rtcp_out = 0;
    uint64_t digits = 0;
};

class MemberStream : public std::enable_shared_from_this<MemberStream> {
  public:
    static Result<std::shared_ptr<MemberStream>> create(BoundPorts ports,
                                                        const sdp::Negotiated& negotiated,
                                                        MemberStreamSettings settings);
    ~MemberStream();

    // Starts receiving. `now_us` is the steady clock in microseconds.
    void start(int64_t now_us);
    // Closes the sockets; pending receives end. Idempotent.
    void close();

    // A re-INVITE's outcome: codec change, hold/unhold, new remote address.
    Status update(const sdp::Negotiated& negotiated);

    // One 20 ms frame of the member's voice; false (and silence) when there is none.
    bool pull(int64_t now_us, std::span<int16_t, codec::kFrameSamples> out);
    // Sends one encoded frame of the member's mix (or only advances the clock on hold).
    void send(std::span<const uint8_t> payload, uint32_t timestamp_step, int64_t now_us);
    // Digits pressed since the last call (RFC 4733), in order.
    std::vector<char> take_digits(int64_t now_us);
    // Relays a digit to the peer as RFC 4733 events, in place of audio for its duration, from
    // the next send() on. False when the peer took no telephone-event or a digit is still going.
    bool send_digit(char digit, int duration_ms = 100);

    // No RTP or RTCP for the inactivity timeout while we expect the member to send.
    bool timed_out(int64_t now_us) const;

    codec::Kind codec() const { return negotiated_.codec.kind; }
    // Whether we send media to it at all (not inactive, not sendonly from its side).
    bool sends_media() const { return negotiated_.we_send(); }
    const sdp::Negotiated& negotiated() const { return negotiated_; }
    uint16_t local_port() const { return local_port_; }
    const MemberStreamStats& stats() const { return stats_; }
    jitter::JitterStats jitter_stats() const { return playout_->buffer().stats(); }
    std::optional<boost::asio::ip::udp::endpoint> remote() const { return remote_; }

  private:
    MemberStream(BoundPorts ports, MemberStreamSettings settings, uint32_t ssrc);
    Status configure(const sdp::Negotiated& negotiated);
    void wait_rtp();
    void wait_rtcp();
    void drain(boost::asio::ip::udp::socket& socket, bool rtcp_socket);
    bool accept_source(const boost::asio::ip::udp::endpoint& from, bool rtcp);
    void on_rtp(std::span<const uint8_t> datagram, int64_t now_us);
    void send_digit_packet(uint32_t timestamp, int64_t now_us);

    boost::asio::ip::udp::socket rtp_socket_;
    boost::asio::ip::udp::socket rtcp_socket_;
    uint16_t local_port_;
    MemberStreamSettings settings_;
    sdp::Negotiated negotiated_;
    bool closed_ = false;

    // Where the member's media comes from and goes to. Expected from SDP; replaced once by the
    // first packet's source (latching) when that source is the member's.
    std::optional<boost::asio::ip::udp::endpoint> remote_;
    std::optional<boost::asio::ip::udp::endpoint> remote_rtcp_;
    bool latched_ = false;

    std::unique_ptr<codec::Decoder> decoder_;
    std::optional<jitter::JitterPlayout> playout_;
    dtmf::Rfc4733Receiver digits_receiver_;
    std::optional<dtmf::Rfc4733Sender> digit_sender_;
    std::vector<dtmf::DigitEvent> digit_events_;
    std::vector<char> digits_;
    RtcpSession rtcp_;

    uint32_t ssrc_;
    uint16_t sequence_;
    uint32_t timestamp_;
    bool first_packet_ = true;
    int64_t last_received_us_ = 0;
    MemberStreamStats stats_;
};

}  // namespace sidebar::mixer
