// RTCP for one member (RFC 3550 section 6): statistics about the member's stream, ours about
// what we send, an SR (or RR while we have sent nothing) with SDES CNAME about every 5 s, and
// reading what the member reports. Media thread only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "common/rtp/receive_stats.hpp"
#include "common/rtp/rtcp_packet.hpp"

namespace sidebar::mixer {

class RtcpSession {
  public:
    RtcpSession(uint32_t local_ssrc, std::string cname, int clock_rate);

    void set_clock_rate(int clock_rate) { clock_rate_ = clock_rate; }
    // The member's RTP packet: A.1 validation and A.8 jitter. The verdict says whether to use it.
    rtp::PacketVerdict on_rtp_received(uint32_t ssrc, uint16_t sequence, uint32_t timestamp,
                                       int64_t now_us);
    void on_rtp_sent(std::size_t payload_size, uint32_t rtp_timestamp, int64_t now_us);
    // A compound RTCP packet from the member. False when it does not parse.
    bool on_rtcp(std::span<const uint8_t> datagram, int64_t now_us);

    // The compound packet to send now, when one is due; empty otherwise.
    std::span<const uint8_t> due(int64_t now_us);

    bool received_bye() const { return received_bye_; }
    std::optional<uint32_t> round_trip_ms() const { return rtt_ms_; }
    const rtp::ReceiveStats* receive_stats() const { return receive_ ? &*receive_ : nullptr; }

  private:
    uint32_t compact_ntp_now() const;

    uint32_t local_ssrc_;
    std::string cname_;
    int clock_rate_;
    std::optional<rtp::ReceiveStats> receive_;
    rtp::SendStats send_;
    uint32_t last_rtp_timestamp_ = 0;
    int64_t last_rtp_sent_us_ = 0;
    int64_t next_report_us_ = 0;
    bool received_bye_ = false;
    std::optional<uint32_t> rtt_ms_;
    std::minstd_rand random_;
    std::array<uint8_t, 512> buffer_{};
};

}  // namespace sidebar::mixer
