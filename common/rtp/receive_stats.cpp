// RFC 3550 appendix A.1, A.3 and A.8, kept close to the RFC's code so it can be checked line by
// line against it; departures are commented.
#include "common/rtp/receive_stats.hpp"

#include <algorithm>
#include <limits>

#include "common/rtp/ntp_time.hpp"

namespace sidebar::rtp {

namespace {

constexpr uint32_t kSeqMod = 1u << 16;

}  // namespace

ReceiveStats::ReceiveStats(uint32_t ssrc, int min_sequential)
    : ssrc_(ssrc), min_sequential_(std::max(min_sequential, 1)) {
    // Before the first packet the source is on probation; on_packet() seeds it (A.1).
    probation_ = min_sequential_;
}

void ReceiveStats::init_sequence(uint16_t sequence) {
    base_seq_ = sequence;
    max_seq_ = sequence;
    bad_seq_ = kSeqMod + 1;  // so seq == bad_seq is false
    cycles_ = 0;
    received_ = 0;
    received_prior_ = 0;
    expected_prior_ = 0;
}

PacketVerdict ReceiveStats::update_sequence(uint16_t sequence) {
    const auto udelta = static_cast<uint16_t>(sequence - max_seq_);
    if (probation_ > 0) {
        // The RFC compares with max_seq + 1 in int arithmetic, which misses 65535 -> 0; compare
        // in 16 bits so probation works across the wrap.
        if (sequence == static_cast<uint16_t>(max_seq_ + 1)) {
            --probation_;
            max_seq_ = sequence;
            if (probation_ == 0) {
                init_sequence(sequence);
                ++received_;
                return PacketVerdict::accepted;
            }
        } else {
            probation_ = min_sequential_ - 1;
            max_seq_ = sequence;
        }
        return PacketVerdict::probation;
    }
    PacketVerdict verdict = PacketVerdict::accepted;
    if (udelta < kMaxDropout) {
        // In order, with a permissible gap.
        if (sequence < max_seq_) cycles_ += kSeqMod;
        max_seq_ = sequence;
        // A repeat of the highest packet is in-order to A.1, but a duplicate to the caller.
        if (udelta == 0) verdict = PacketVerdict::late;
    } else if (udelta <= kSeqMod - kMaxMisorder) {
        // A very large jump: two sequential packets mean the source restarted its numbering.
        if (sequence == bad_seq_) {
            init_sequence(sequence);
            verdict = PacketVerdict::restarted;
        } else {
            bad_seq_ = (uint32_t{sequence} + 1) & (kSeqMod - 1);
            return PacketVerdict::held;
        }
    } else {
        verdict = PacketVerdict::late;  // duplicate or reordered
    }
    ++received_;
    return verdict;
}

void ReceiveStats::update_jitter(uint32_t rtp_timestamp, uint32_t arrival) {
    const uint32_t transit = arrival - rtp_timestamp;
    if (!have_transit_) {
        have_transit_ = true;
        transit_ = transit;
        return;
    }
    // The difference of two transits, as a signed 32-bit distance (both wrap like timestamps).
    const auto d = static_cast<int32_t>(transit - transit_);
    transit_ = transit;
    const uint64_t magnitude =
        d < 0 ? uint64_t{0} - static_cast<uint64_t>(int64_t{d}) : static_cast<uint64_t>(d);
    // J += (|D| - J) / 16 in 1/16 units, rounded as in the RFC: J16 += |D| - ((J16 + 8) >> 4).
    jitter_q4_ = jitter_q4_ + magnitude - ((jitter_q4_ + 8) >> 4);
}

PacketVerdict ReceiveStats::on_packet(uint16_t sequence, uint32_t rtp_timestamp, uint32_t arrival) {
    if (!started_) {
        started_ = true;
        // First packet ever: A.1's init_seq() then max_seq = seq - 1, so it counts as "in
        // sequence" for probation.
        init_sequence(sequence);
        max_seq_ = static_cast<uint16_t>(sequence - 1);
    }
    const PacketVerdict verdict = update_sequence(sequence);
    // A restart is a new stream, maybe with a new timestamp base: its transit starts afresh
    // rather than counting the jump as jitter.
    if (verdict == PacketVerdict::restarted) have_transit_ = false;
    if (is_usable(verdict)) update_jitter(rtp_timestamp, arrival);
    return verdict;
}

void ReceiveStats::on_sender_report(uint64_t ntp_timestamp, uint32_t arrival_compact_ntp) {
    have_sr_ = true;
    last_sr_ = to_compact_ntp(ntp_timestamp);
    sr_arrival_ = arrival_compact_ntp;
}

int64_t ReceiveStats::expected() const {
    if (probation_ > 0) return 0;
    return int64_t{extended_highest_sequence()} - int64_t{base_seq_} + 1;
}

uint32_t ReceiveStats::jitter() const {
    return static_cast<uint32_t>(
        std::min<uint64_t>(jitter_q4_ >> 4, std::numeric_limits<uint32_t>::max()));
}

ReportBlock ReceiveStats::make_report_block(uint32_t now_compact_ntp) {
    ReportBlock block;
    block.ssrc = ssrc_;
    const int64_t expected_now = expected();
    block.cumulative_lost =
        static_cast<int32_t>(std::clamp<int64_t>(cumulative_lost(), -0x800000, 0x7FFFFF));
    block.highest_sequence = extended_highest_sequence();
    block.jitter = jitter();

    const int64_t expected_interval = expected_now - expected_prior_;
    const int64_t received_interval = int64_t{received_} - int64_t{received_prior_};
    const int64_t lost_interval = expected_interval - received_interval;
    expected_prior_ = expected_now;
    received_prior_ = received_;
    if (expected_interval > 0 && lost_interval > 0) {
        // The RFC's (lost << 8) / expected is 256 when nothing arrived, which wraps to 0 in the
        // 8-bit field; report 255 (all lost) instead.
        block.fraction_lost =
            static_cast<uint8_t>(std::min<int64_t>((lost_interval << 8) / expected_interval, 255));
    }
    if (have_sr_) {
        block.last_sr = last_sr_;
        block.delay_since_last_sr = now_compact_ntp - sr_arrival_;
    }
    return block;
}

void SendStats::on_packet_sent(std::size_t payload_size) {
    sent_ = true;
    ++packet_count_;
    octet_count_ += static_cast<uint32_t>(payload_size);
}

SenderInfo SendStats::make_sender_info(uint64_t ntp_timestamp, uint32_t rtp_timestamp) const {
    return SenderInfo{ntp_timestamp, rtp_timestamp, packet_count_, octet_count_};
}

}  // namespace sidebar::rtp
