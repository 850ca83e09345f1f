// RTCP reports for one member: what we send about its stream and ours, and what it tells us.
#include "mixer/media/rtcp_session.hpp"

#include <chrono>
#include <variant>

#include "common/rtp/ntp_time.hpp"
#include "common/rtp/rtcp_build.hpp"

namespace sidebar::mixer {
namespace {

constexpr int64_t kReportIntervalUs = 5'000'000;  // RFC 3550 6.2 minimum for one sender

uint32_t to_ms(uint32_t compact_ntp) {
    return static_cast<uint32_t>(uint64_t{compact_ntp} * 1000 / rtp::kCompactNtpPerSecond);
}

}  // namespace

RtcpSession::RtcpSession(uint32_t local_ssrc, std::string cname, int clock_rate)
    : local_ssrc_(local_ssrc),
      cname_(std::move(cname)),
      clock_rate_(clock_rate),
      random_(local_ssrc) {}

uint32_t RtcpSession::compact_ntp_now() const {
    return rtp::to_compact_ntp(rtp::ntp_from_system_clock(std::chrono::system_clock::now()));
}

rtp::PacketVerdict RtcpSession::on_rtp_received(uint32_t ssrc, uint16_t sequence,
                                                uint32_t timestamp, int64_t now_us) {
    if (!receive_ || receive_->ssrc() != ssrc) {
        // A new source (or the member's phone restarted its stream): statistics start over.
        // One in-sequence packet validates it: the address was already checked.
        receive_.emplace(ssrc, 1);
    }
    const auto arrival =
        static_cast<uint32_t>(now_us * static_cast<int64_t>(clock_rate_) / 1'000'000);
    return receive_->on_packet(sequence, timestamp, arrival);
}

void RtcpSession::on_rtp_sent(std::size_t payload_size, uint32_t rtp_timestamp, int64_t now_us) {
    send_.on_packet_sent(payload_size);
    last_rtp_timestamp_ = rtp_timestamp;
    last_rtp_sent_us_ = now_us;
}

bool RtcpSession::on_rtcp(std::span<const uint8_t> datagram, int64_t) {
    auto packets = rtp::parse_rtcp(datagram);
    if (!packets) return false;
    const uint32_t now = compact_ntp_now();
    for (const rtp::RtcpPacket& packet : *packets) {
        if (const auto* sr = std::get_if<rtp::SenderReport>(&packet)) {
            if (receive_ && sr->ssrc == receive_->ssrc()) {
                receive_->on_sender_report(sr->info.ntp_timestamp, now);
            }
            for (const auto& block : sr->reports) {
                if (block.ssrc != local_ssrc_) continue;
                if (auto rtt = rtp::round_trip_time(block, now)) rtt_ms_ = to_ms(*rtt);
            }
        } else if (const auto* rr = std::get_if<rtp::ReceiverReport>(&packet)) {
            for (const auto& block : rr->reports) {
                if (block.ssrc != local_ssrc_) continue;
                if (auto rtt = rtp::round_trip_time(block, now)) rtt_ms_ = to_ms(*rtt);
            }
        } else if (std::holds_alternative<rtp::Bye>(packet)) {
            received_bye_ = true;
        }
    }
    return true;
}

std::span<const uint8_t> RtcpSession::due(int64_t now_us) {
    if (next_report_us_ == 0) {
        // The first report goes out half an interval in (RFC 3550 6.2 "initial").
        next_report_us_ = now_us + kReportIntervalUs / 2;
        return {};
    }
    if (now_us < next_report_us_) return {};
    // Randomized in 0.5..1.5 of the interval so members' reports do not synchronize.
    std::uniform_int_distribution<int64_t> spread(kReportIntervalUs / 2, kReportIntervalUs * 3 / 2);
    next_report_us_ = now_us + spread(random_);

    const uint64_t ntp = rtp::ntp_from_system_clock(std::chrono::system_clock::now());
    const uint32_t compact = rtp::to_compact_ntp(ntp);
    rtp::CompoundBuilder builder(buffer_);
    std::vector<rtp::ReportBlock> blocks;
    if (receive_ && receive_->valid()) blocks.push_back(receive_->make_report_block(compact));
    Status added = Ok{};
    if (send_.has_sent()) {
        rtp::SenderReport sr;
        sr.ssrc = local_ssrc_;
        // The RTP timestamp of this instant: the last packet's, advanced by the time since.
        const int64_t elapsed_us = now_us - last_rtp_sent_us_;
        const auto rtp_now = static_cast<uint32_t>(
            last_rtp_timestamp_ + elapsed_us * static_cast<int64_t>(clock_rate_) / 1'000'000);
        sr.info = send_.make_sender_info(ntp, rtp_now);
        sr.reports = std::move(blocks);
        added = builder.add_sender_report(sr);
    } else {
        rtp::ReceiverReport rr;
        rr.ssrc = local_ssrc_;
        rr.reports = std::move(blocks);
        added = builder.add_receiver_report(rr);
    }
    if (!added || !builder.add_cname(local_ssrc_, cname_)) return {};
    auto size = builder.finish();
    if (!size) return {};
    return std::span<const uint8_t>(buffer_.data(), *size);
}

}  // namespace sidebar::mixer
