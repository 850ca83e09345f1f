// Writing RTCP: one writer per packet type into a caller buffer, and CompoundBuilder, which
// keeps the RFC 3550 6.1 order (SR or RR first, then SDES, BYE last) so what it produces is a
// valid compound packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/rtp/rtcp_packet.hpp"
#include "common/util/result.hpp"

namespace sidebar::rtp {

// Each writer puts one packet at the start of `out` and returns its size; an error when `out`
// is too small or a list is over its limit (31 report blocks, chunks or SSRCs; 255-byte SDES
// values and BYE reasons; SDES item type 0, which is the end marker). Cumulative loss outside
// the signed 24-bit range is clamped.
Result<std::size_t> write_sender_report(const SenderReport& sr, std::span<uint8_t> out);
Result<std::size_t> write_receiver_report(const ReceiverReport& rr, std::span<uint8_t> out);
Result<std::size_t> write_sdes(const Sdes& sdes, std::span<uint8_t> out);
Result<std::size_t> write_bye(const Bye& bye, std::span<uint8_t> out);
// Writes the header and body unchanged; a body that is not whole words gets RTCP padding, so
// such a packet may only end a compound.
Result<std::size_t> write_unknown(const UnknownRtcp& packet, std::span<uint8_t> out);
// Dispatches on the variant.
Result<std::size_t> write_rtcp(const RtcpPacket& packet, std::span<uint8_t> out);

class CompoundBuilder {
  public:
    // The builder writes into `out`, which must outlive it.
    explicit CompoundBuilder(std::span<uint8_t> out) : out_(out) {}

    // The first packet must be an SR or RR; further RRs may follow it (for over 31 sources).
    Status add_sender_report(const SenderReport& sr);
    Status add_receiver_report(const ReceiverReport& rr);
    // SDES follows the reports. add_cname() is the usual one-chunk, one-item form.
    Status add_sdes(const Sdes& sdes);
    Status add_cname(uint32_t ssrc, std::string_view cname);
    // BYE comes last; nothing may be added after it.
    Status add_bye(const Bye& bye);

    std::size_t size() const { return size_; }
    // The compound's size, once it is complete: a report first, and an SDES unless it is
    // a goodbye (RR + BYE is how RFC 3550 6.3.7 leaves a session).
    Result<std::size_t> finish() const;

  private:
    enum class Stage { empty, reports, sdes, bye };
    // Records a packet a writer put at out_[size_..], moving the builder to `stage`.
    Status commit(Stage stage, const Result<std::size_t>& written);

    std::span<uint8_t> out_;
    std::size_t size_ = 0;
    Stage stage_ = Stage::empty;
};

}  // namespace sidebar::rtp
