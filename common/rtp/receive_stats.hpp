// Per-source reception statistics of RFC 3550 appendix A: source validation and sequence
// tracking (A.1), loss (A.3) and interarrival jitter (A.8), turned into the report blocks of
// our RR/SR; and the sender-side counts an SR carries.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/rtp/rtcp_packet.hpp"

namespace sidebar::rtp {

// RFC 3550 A.1's constants: packets in sequence before a source is valid, the largest forward
// jump taken as loss, and the largest backward step taken as reordering.
inline constexpr int kMinSequential = 2;
inline constexpr uint16_t kMaxDropout = 3000;
inline constexpr uint16_t kMaxMisorder = 100;

// What ReceiveStats made of a packet, and so whether the caller should use it.
enum class PacketVerdict {
    probation,  // source not yet validated: drop (A.1 holds packets until MIN_SEQUENTIAL)
    accepted,   // in order (gaps allowed): use
    late,       // reordered or duplicate, within MAX_MISORDER: use if still wanted
    held,       // a jump too big for loss or reordering: drop; the next in sequence restarts
    restarted,  // second packet in sequence after a jump: the source restarted; use
};

inline bool is_usable(PacketVerdict v) {
    return v == PacketVerdict::accepted || v == PacketVerdict::late ||
           v == PacketVerdict::restarted;
}

class ReceiveStats {
  public:
    // `min_sequential` of 1 accepts a source on its first packet; values below 1 count as 1.
    explicit ReceiveStats(uint32_t ssrc, int min_sequential = kMinSequential);

    // One RTP packet of this source. `arrival` is the local arrival time converted to the
    // source's RTP clock (e.g. 8000 per second for PCMU); only differences matter, so any
    // origin does, and it may wrap like an RTP timestamp.
    PacketVerdict on_packet(uint16_t sequence, uint32_t rtp_timestamp, uint32_t arrival);

    // An SR from this source arrived (its NTP timestamp; our clock in compact NTP), for the LSR
    // and DLSR of the next report block.
    void on_sender_report(uint64_t ntp_timestamp, uint32_t arrival_compact_ntp);

    // The report block about this source at `now_compact_ntp`. Starts a new interval: the next
    // block's fraction lost counts from here (A.3).
    ReportBlock make_report_block(uint32_t now_compact_ntp);

    uint32_t ssrc() const { return ssrc_; }
    bool valid() const { return probation_ == 0; }
    // Packets counted since validation or restart, duplicates included (A.3).
    uint32_t received() const { return received_; }
    // Extended highest sequence number received: cycles << 16 | highest.
    uint32_t extended_highest_sequence() const { return cycles_ + max_seq_; }
    int64_t expected() const;
    // expected - received, unclamped; negative when duplicates outnumber losses.
    int64_t cumulative_lost() const { return expected() - int64_t{received_}; }
    // Interarrival jitter in RTP timestamp units.
    uint32_t jitter() const;

  private:
    void init_sequence(uint16_t sequence);
    PacketVerdict update_sequence(uint16_t sequence);
    void update_jitter(uint32_t rtp_timestamp, uint32_t arrival);

    uint32_t ssrc_;
    int min_sequential_;
    // A.1 state.
    bool started_ = false;
    uint16_t max_seq_ = 0;
    uint32_t cycles_ = 0;  // wraps counted in units of 65536
    uint32_t base_seq_ = 0;
    uint32_t bad_seq_ = 0;
    int probation_ = 0;
    uint32_t received_ = 0;
    // A.3 interval state.
    int64_t expected_prior_ = 0;
    uint32_t received_prior_ = 0;
    // A.8 state: jitter in 1/16 timestamp units, as in the RFC's integer version.
    bool have_transit_ = false;
    uint32_t transit_ = 0;
    uint64_t jitter_q4_ = 0;
    // Last SR from this source.
    bool have_sr_ = false;
    uint32_t last_sr_ = 0;
    uint32_t sr_arrival_ = 0;
};

// What we sent on one SSRC, for our SR's sender info (RFC 3550 6.4.1). The counts wrap at
// 2^32 as the RFC's fields do; a new SSRC needs a new SendStats.
class SendStats {
  public:
    // One RTP packet sent, with `payload_size` payload octets (header and padding excluded).
    void on_packet_sent(std::size_t payload_size);

    bool has_sent() const { return sent_; }
    uint32_t packet_count() const { return packet_count_; }
    uint32_t octet_count() const { return octet_count_; }
    // `ntp_timestamp` and `rtp_timestamp` are the same instant on the two clocks.
    SenderInfo make_sender_info(uint64_t ntp_timestamp, uint32_t rtp_timestamp) const;

  private:
    uint32_t packet_count_ = 0;
    uint32_t octet_count_ = 0;
    bool sent_ = false;
};

}  // namespace sidebar::rtp
