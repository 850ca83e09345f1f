// RTCP writers and the compound builder.
#include "common/rtp/rtcp_build.hpp"

#include <algorithm>
#include <string>

#include "common/rtp/byte_io.hpp"

namespace sidebar::rtp {

namespace {

using detail::store_be16;
using detail::store_be24;
using detail::store_be32;
using detail::store_be64;

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kReportBlockSize = 24;
// The largest packet the 16-bit length field (in words, minus one) can describe.
constexpr std::size_t kMaxPacketSize = (std::size_t{0xFFFF} + 1) * 4;

Error too_small(const char* what, std::size_t needed, std::size_t available) {
    return make_error(std::string("rtcp: ") + what + " of " + std::to_string(needed) +
                      " bytes does not fit the " + std::to_string(available) + "-byte buffer");
}

Error too_many(const char* what, std::size_t count, std::size_t limit) {
    return make_error(std::string("rtcp: ") + std::to_string(count) + " " + what +
                      " exceed the limit of " + std::to_string(limit));
}

// Header for a packet of `size` bytes (a multiple of 4).
void write_header(uint8_t* p, bool padding, std::size_t count, uint8_t type, std::size_t size) {
    p[0] = static_cast<uint8_t>(0x80 | (padding ? 0x20 : 0) | count);
    p[1] = type;
    store_be16(p + 2, static_cast<uint16_t>(size / 4 - 1));
}

void write_report_block(uint8_t* p, const ReportBlock& block) {
    store_be32(p, block.ssrc);
    p[4] = block.fraction_lost;
    const int32_t lost = std::clamp<int32_t>(block.cumulative_lost, -0x800000, 0x7FFFFF);
    store_be24(p + 5, static_cast<uint32_t>(lost) & 0xFFFFFFu);
    store_be32(p + 8, block.highest_sequence);
    store_be32(p + 12, block.jitter);
    store_be32(p + 16, block.last_sr);
    store_be32(p + 20, block.delay_since_last_sr);
}

Result<std::size_t> write_report(const char* what, uint8_t type, uint32_t ssrc,
                                 const SenderInfo* info, const std::vector<ReportBlock>& blocks,
                                 std::span<uint8_t> out) {
    if (blocks.size() > kMaxReportBlocks) {
        return too_many("report blocks", blocks.size(), kMaxReportBlocks);
    }
    const std::size_t fixed = kHeaderSize + 4 + (info != nullptr ? 20 : 0);
    const std::size_t size = fixed + blocks.size() * kReportBlockSize;
    if (size > out.size()) return too_small(what, size, out.size());
    uint8_t* p = out.data();
    write_header(p, false, blocks.size(), type, size);
    store_be32(p + 4, ssrc);
    if (info != nullptr) {
        store_be64(p + 8, info->ntp_timestamp);
        store_be32(p + 16, info->rtp_timestamp);
        store_be32(p + 20, info->packet_count);
        store_be32(p + 24, info->octet_count);
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        write_report_block(p + fixed + i * kReportBlockSize, blocks[i]);
    }
    return size;
}

// Bytes a chunk takes: SSRC, items, the end octet, then zeros to a 32-bit boundary.
std::size_t chunk_size(const SdesChunk& chunk) {
    std::size_t n = 4;
    for (const auto& item : chunk.items)
        n += 2 + item.value.size();
    return (n + 1 + 3) & ~std::size_t{3};
}

Status check_chunk(const SdesChunk& chunk) {
    for (const auto& item : chunk.items) {
        if (item.type == 0) {
            return make_error("rtcp: SDES item type 0 is the end-of-items marker");
        }
        if (item.value.size() > kMaxSdesItemLength) {
            return make_error("rtcp: SDES item type " + std::to_string(item.type) + " of " +
                              std::to_string(item.value.size()) + " bytes exceeds 255");
        }
    }
    return Ok{};
}

}  // namespace

Result<std::size_t> write_sender_report(const SenderReport& sr, std::span<uint8_t> out) {
    return write_report("SR", static_cast<uint8_t>(RtcpType::sr), sr.ssrc, &sr.info, sr.reports,
                        out);
}

Result<std::size_t> write_receiver_report(const ReceiverReport& rr, std::span<uint8_t> out) {
    return write_report("RR", static_cast<uint8_t>(RtcpType::rr), rr.ssrc, nullptr, rr.reports,
                        out);
}

Result<std::size_t> write_sdes(const Sdes& sdes, std::span<uint8_t> out) {
    if (sdes.chunks.size() > kMaxSdesChunks) {
        return too_many("SDES chunks", sdes.chunks.size(), kMaxSdesChunks);
    }
    std::size_t size = kHeaderSize;
    for (const auto& chunk : sdes.chunks) {
        if (auto ok = check_chunk(chunk); !ok) return ok.error();
        size += chunk_size(chunk);
    }
    if (size > kMaxPacketSize) return too_many("SDES bytes", size, kMaxPacketSize);
    if (size > out.size()) return too_small("SDES", size, out.size());
    uint8_t* p = out.data();
    write_header(p, false, sdes.chunks.size(), static_cast<uint8_t>(RtcpType::sdes), size);
    std::size_t offset = kHeaderSize;
    for (const auto& chunk : sdes.chunks) {
        const std::size_t end = offset + chunk_size(chunk);
        store_be32(p + offset, chunk.ssrc);
        offset += 4;
        for (const auto& item : chunk.items) {
            p[offset] = item.type;
            p[offset + 1] = static_cast<uint8_t>(item.value.size());
            std::copy(item.value.begin(), item.value.end(), p + offset + 2);
            offset += 2 + item.value.size();
        }
        std::fill(p + offset, p + end, uint8_t{0});  // end octet and padding
        offset = end;
    }
    return size;
}

Result<std::size_t> write_bye(const Bye& bye, std::span<uint8_t> out) {
    if (bye.ssrcs.size() > kMaxByeSsrcs)
        return too_many("BYE SSRCs", bye.ssrcs.size(), kMaxByeSsrcs);
    if (bye.reason && bye.reason->size() > kMaxByeReasonLength) {
        return make_error("rtcp: BYE reason of " + std::to_string(bye.reason->size()) +
                          " bytes exceeds 255");
    }
    const std::size_t reason_bytes = bye.reason ? 1 + bye.reason->size() : 0;
    const std::size_t size =
        kHeaderSize + 4 * bye.ssrcs.size() + ((reason_bytes + 3) & ~std::size_t{3});
    if (size > out.size()) return too_small("BYE", size, out.size());
    uint8_t* p = out.data();
    write_header(p, false, bye.ssrcs.size(), static_cast<uint8_t>(RtcpType::bye), size);
    std::size_t offset = kHeaderSize;
    for (uint32_t ssrc : bye.ssrcs) {
        store_be32(p + offset, ssrc);
        offset += 4;
    }
    if (bye.reason) {
        p[offset] = static_cast<uint8_t>(bye.reason->size());
        std::copy(bye.reason->begin(), bye.reason->end(), p + offset + 1);
        std::fill(p + offset + reason_bytes, p + size, uint8_t{0});
    }
    return size;
}

Result<std::size_t> write_unknown(const UnknownRtcp& packet, std::span<uint8_t> out) {
    if (packet.count > 31) {
        return make_error("rtcp: count field " + std::to_string(packet.count) +
                          " does not fit in 5 bits");
    }
    if (packet.packet_type < 192 || packet.packet_type > 223) {
        return make_error("rtcp: packet type " + std::to_string(packet.packet_type) +
                          " is outside RTCP's 192..223");
    }
    const std::size_t padding = (4 - packet.body.size() % 4) % 4;
    const std::size_t size = kHeaderSize + packet.body.size() + padding;
    if (size > kMaxPacketSize) return too_many("packet bytes", size, kMaxPacketSize);
    if (size > out.size()) return too_small("packet", size, out.size());
    uint8_t* p = out.data();
    write_header(p, padding != 0, packet.count, packet.packet_type, size);
    std::copy(packet.body.begin(), packet.body.end(), p + kHeaderSize);
    if (padding != 0) {
        std::fill(p + size - padding, p + size - 1, uint8_t{0});
        p[size - 1] = static_cast<uint8_t>(padding);
    }
    return size;
}

Result<std::size_t> write_rtcp(const RtcpPacket& packet, std::span<uint8_t> out) {
    struct Writer {
        std::span<uint8_t> out;
        Result<std::size_t> operator()(const SenderReport& p) {
            return write_sender_report(p, out);
        }
        Result<std::size_t> operator()(const ReceiverReport& p) {
            return write_receiver_report(p, out);
        }
        Result<std::size_t> operator()(const Sdes& p) { return write_sdes(p, out); }
        Result<std::size_t> operator()(const Bye& p) { return write_bye(p, out); }
        Result<std::size_t> operator()(const UnknownRtcp& p) { return write_unknown(p, out); }
    };
    return std::visit(Writer{out}, packet);
}

Status CompoundBuilder::commit(Stage stage, const Result<std::size_t>& written) {
    if (!written) return written.error();
    size_ += *written;
    stage_ = stage;
    return Ok{};
}

Status CompoundBuilder::add_sender_report(const SenderReport& sr) {
    if (stage_ != Stage::empty) {
        return make_error("rtcp: an SR must be the first packet of a compound");
    }
    return commit(Stage::reports, write_sender_report(sr, out_.subspan(size_)));
}

Status CompoundBuilder::add_receiver_report(const ReceiverReport& rr) {
    if (stage_ != Stage::empty && stage_ != Stage::reports) {
        return make_error("rtcp: an RR must come before SDES and BYE");
    }
    return commit(Stage::reports, write_receiver_report(rr, out_.subspan(size_)));
}

Status CompoundBuilder::add_sdes(const Sdes& sdes) {
    if (stage_ != Stage::reports) {
        return make_error(stage_ == Stage::empty
                              ? "rtcp: SDES must follow an SR or RR"
                              : "rtcp: SDES must come once, after the reports and before BYE");
    }
    return commit(Stage::sdes, write_sdes(sdes, out_.subspan(size_)));
}

Status CompoundBuilder::add_cname(uint32_t ssrc, std::string_view cname) {
    Sdes sdes;
    sdes.chunks.push_back(
        SdesChunk{ssrc, {SdesItem{static_cast<uint8_t>(SdesItemType::cname), std::string(cname)}}});
    return add_sdes(sdes);
}

Status CompoundBuilder::add_bye(const Bye& bye) {
    if (stage_ != Stage::reports && stage_ != Stage::sdes) {
        return make_error(stage_ == Stage::empty ? "rtcp: BYE must follow an SR or RR"
                                                 : "rtcp: a compound holds one BYE");
    }
    return commit(Stage::bye, write_bye(bye, out_.subspan(size_)));
}

Result<std::size_t> CompoundBuilder::finish() const {
    if (stage_ == Stage::empty) return make_error("rtcp: a compound needs an SR or RR first");
    if (stage_ == Stage::reports) {
        return make_error("rtcp: a compound needs an SDES with a CNAME after its reports");
    }
    return size_;
}

}  // namespace sidebar::rtp
