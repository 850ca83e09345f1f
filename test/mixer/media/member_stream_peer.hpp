// What the member-stream tests share: the member's phone as real loopback UDP sockets, an RTP
// tone source, SDP negotiated from real offer text, and running the io_context in the test
// thread on a 20 ms steady_timer with absolute deadlines (bounded, never sleeping).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/audio/tone.hpp"
#include "common/codec/codec.hpp"
#include "common/rtp/rtp_packet.hpp"
#include "common/sdp/offer_answer.hpp"
#include "mixer/media/member_stream.hpp"
#include "mixer/media/port_allocator.hpp"

namespace mixer_test {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using std::chrono::milliseconds;

inline constexpr uint8_t kOpusPayloadType = 111;
inline constexpr uint8_t kEventPayloadType = 101;

// The steady clock in microseconds, as MemberStream takes it.
int64_t now_us();

// The first of kTestPorts ports for this test process, away from the services' defaults and
// different per process, so parallel test runs rarely meet.
inline constexpr int kTestPorts = 400;
uint16_t test_port_base();

// An offer from the member: one audio line at 127.0.0.1:`rtp_port` with RTCP at `rtcp_port`
// (a=rtcp), the codec `kind` (PCMU as 0, opus as 111) and telephone-event as 101.
std::string offer_text(uint16_t rtp_port, uint16_t rtcp_port, sidebar::codec::Kind kind,
                       const std::string& direction = "sendrecv",
                       const std::string& address = "127.0.0.1");

// Our answer to `offer` (common/sdp's negotiate_answer with PCMU and opus); fails the test when
// the negotiation fails.
sidebar::sdp::Negotiated negotiate(const std::string& offer);

// One UDP socket bound on `address`, any port.
udp::socket bound_socket(asio::io_context& io, const std::string& address = "127.0.0.1");

// Every datagram waiting on `socket`, without blocking.
std::vector<std::vector<uint8_t>> drain(udp::socket& socket);

// The member's phone: its RTP and RTCP sockets.
struct Peer {
    explicit Peer(asio::io_context& io, const std::string& address = "127.0.0.1");
    uint16_t rtp_port() const { return rtp.local_endpoint().port(); }
    uint16_t rtcp_port() const { return rtcp.local_endpoint().port(); }
    std::string offer(sidebar::codec::Kind kind, const std::string& direction = "sendrecv") const {
        return offer_text(rtp_port(), rtcp_port(), kind, direction);
    }

    udp::socket rtp;
    udp::socket rtcp;
};

// RTP packets of a steady tone, encoded as `kind`, one 20 ms frame each.
class ToneRtp {
  public:
    ToneRtp(sidebar::codec::Kind kind, uint8_t payload_type, double hz, double level_dbfs,
            uint32_t ssrc = 0x11223344);
    std::vector<uint8_t> next();
    uint16_t next_sequence() const { return header_.sequence; }
    uint32_t ssrc() const { return header_.ssrc; }

  private:
    std::unique_ptr<sidebar::codec::Encoder> encoder_;
    sidebar::audio::ToneGenerator tone_;
    sidebar::rtp::RtpHeader header_;
};

// An RTP packet with `header` and `payload`.
std::vector<uint8_t> rtp_packet(const sidebar::rtp::RtpHeader& header,
                                std::span<const uint8_t> payload);

// Calls tick(i) every 20 ms (absolute deadlines: next += 20 ms) for at most `count` ticks, or
// until it returns false, running `io` in this thread meanwhile. Returns the ticks run.
int run_ticks(asio::io_context& io, int count, const std::function<bool(int)>& tick);

// Runs `io` until `done()` holds or `timeout` passes; returns done().
bool run_until(asio::io_context& io, const std::function<bool()>& done,
               milliseconds timeout = milliseconds(1000));

// A started stream on a fresh port pair.
std::shared_ptr<sidebar::mixer::MemberStream> start_stream(
    asio::io_context& io, const sidebar::sdp::Negotiated& negotiated,
    sidebar::mixer::MemberStreamSettings settings = {});

// Where the stream listens.
udp::endpoint stream_rtp(const sidebar::mixer::MemberStream& stream);
udp::endpoint stream_rtcp(const sidebar::mixer::MemberStream& stream);

// The level of `hz` in the audio, in dBFS.
double level_of(const std::vector<int16_t>& samples, double hz);

}  // namespace mixer_test
