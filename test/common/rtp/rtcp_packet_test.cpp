// Compound RTCP parsing of good input: the SR+SDES and RR+BYE fixtures, SDES items, feedback and
// other types recorded as unknown, padding, the largest counts. Bad input: rtcp_hostile_test.cpp.
#include "common/rtp/rtcp_packet.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "test/common/rtp/fixtures.hpp"

using Catch::Contains;
using namespace sidebar::rtp;
using namespace sidebar::rtp::test;

namespace {

const Bytes kRr = rtcp_packet(201, 0, be32(0x1234));

}  // namespace

SCENARIO("an SR + SDES compound parses into its values", "[rtcp]") {
    auto packets = parse_rtcp(load_fixture("sr_sdes.rtcp"));
    REQUIRE(packets.ok());
    REQUIRE(packets->size() == 2);
    const auto* sr = std::get_if<SenderReport>(&(*packets)[0]);
    REQUIRE(sr != nullptr);
    CHECK(sr->ssrc == 0x5EED1234);
    CHECK(sr->info.ntp_timestamp == 0xE8F0A1B2C3D4E5F6ull);
    CHECK(sr->info.rtp_timestamp == 0x0001E240);
    CHECK(sr->info.packet_count == 1000);
    CHECK(sr->info.octet_count == 160000);
    REQUIRE(sr->reports.size() == 1);
    const ReportBlock& b = sr->reports[0];
    CHECK(b.ssrc == 0xCAFEBABE);
    CHECK(b.fraction_lost == 25);
    CHECK(b.cumulative_lost == 12);
    CHECK(b.highest_sequence == 0x0001FFFF);
    CHECK(b.jitter == 40);
    CHECK(b.last_sr == 0xA1B2C3D4);
    CHECK(b.delay_since_last_sr == 0x00018000);

    const auto* sdes = std::get_if<Sdes>(&(*packets)[1]);
    REQUIRE(sdes != nullptr);
    REQUIRE(sdes->chunks.size() == 1);
    CHECK(sdes->chunks[0].ssrc == 0x5EED1234);
    CHECK(sdes->chunks[0].cname() == "alice@203.0.113.5");
}

SCENARIO("an RR + BYE-with-reason compound parses, negative loss included", "[rtcp]") {
    auto packets = parse_rtcp(load_fixture("rr_bye.rtcp"));
    REQUIRE(packets.ok());
    REQUIRE(packets->size() == 2);
    const auto* rr = std::get_if<ReceiverReport>(&(*packets)[0]);
    REQUIRE(rr != nullptr);
    CHECK(rr->ssrc == 0xCAFEBABE);
    REQUIRE(rr->reports.size() == 1);
    CHECK(rr->reports[0].ssrc == 0x5EED1234);
    CHECK(rr->reports[0].cumulative_lost == -3);  // duplicates outnumbered losses
    CHECK(rr->reports[0].highest_sequence == 0x00010005);
    CHECK(rr->reports[0].jitter == 7);
    const auto* bye = std::get_if<Bye>(&(*packets)[1]);
    REQUIRE(bye != nullptr);
    CHECK(bye->ssrcs == std::vector<uint32_t>{0xCAFEBABE});
    CHECK(bye->reason == "session ended");
}

SCENARIO("SDES chunks carry several items, with and without CNAME", "[rtcp]") {
    const Bytes chunk1 = concat({be32(5), {1, 3, 'b', 'o', 'b', 2, 3, 'B', 'o', 'b', 0, 0}});
    const Bytes chunk2 = concat({be32(6), {0, 0, 0, 0}});
    auto packets = parse_rtcp(concat({kRr, rtcp_packet(202, 2, concat({chunk1, chunk2}))}));
    REQUIRE(packets.ok());
    const auto& sdes = std::get<Sdes>((*packets)[1]);
    REQUIRE(sdes.chunks.size() == 2);
    REQUIRE(sdes.chunks[0].items.size() == 2);
    CHECK(sdes.chunks[0].items[1].type == static_cast<uint8_t>(SdesItemType::name));
    CHECK(sdes.chunks[0].items[1].value == "Bob");
    CHECK(sdes.chunks[0].cname() == "bob");
    CHECK(sdes.chunks[1].ssrc == 6);
    CHECK(sdes.chunks[1].items.empty());
    CHECK_FALSE(sdes.chunks[1].cname().has_value());
}

SCENARIO("APP, feedback and XR packets are recorded with their type", "[rtcp]") {
    const Bytes app = rtcp_packet(204, 3, concat({be32(9), {'n', 'a', 'm', 'e', 1, 2, 3, 4}}));
    const Bytes pli = rtcp_packet(206, 1, concat({be32(9), be32(10)}));
    const Bytes xr = rtcp_packet(207, 0, concat({be32(9), {4, 0, 0, 2}, be32(1), be32(2)}));
    auto packets = parse_rtcp(concat({kRr, app, pli, xr}));
    REQUIRE(packets.ok());
    REQUIRE(packets->size() == 4);
    const auto& a = std::get<UnknownRtcp>((*packets)[1]);
    CHECK(a.packet_type == 204);
    CHECK(a.count == 3);
    CHECK(a.body.size() == 12);
    CHECK(a.body[4] == 'n');
    const auto& p = std::get<UnknownRtcp>((*packets)[2]);
    CHECK(p.packet_type == static_cast<uint8_t>(RtcpType::psfb));
    CHECK(p.count == 1);  // FMT 1 = PLI
    CHECK(p.body == concat({be32(9), be32(10)}));
    CHECK(std::get<UnknownRtcp>((*packets)[3]).packet_type == 207);

    WHEN("a feedback packet comes alone (RFC 5506 reduced-size RTCP)") {
        auto lone = parse_rtcp(rtcp_packet(205, 1, concat({be32(9), be32(10), {0, 100, 0, 5}})));
        REQUIRE(lone.ok());
        REQUIRE(lone->size() == 1);
        CHECK(std::get<UnknownRtcp>((*lone)[0]).packet_type == 205);
    }
}

SCENARIO("padding on the last packet is removed", "[rtcp]") {
    auto packets = parse_rtcp(concat({kRr, rtcp_packet(203, 1, be32(4), 8)}));
    REQUIRE(packets.ok());
    const auto& bye = std::get<Bye>((*packets)[1]);
    CHECK(bye.ssrcs == std::vector<uint32_t>{4});
    CHECK_FALSE(bye.reason.has_value());  // padding is not mistaken for a reason
}

SCENARIO("the largest counts parse", "[rtcp]") {
    Bytes blocks;
    for (uint32_t i = 0; i < 31; ++i) {
        const Bytes block = concat({be32(i), {0, 0, 0, 1}, be32(2), be32(3), be32(4), be32(5)});
        blocks.insert(blocks.end(), block.begin(), block.end());
    }
    Bytes chunks;
    for (uint32_t i = 0; i < 31; ++i) {
        const Bytes chunk = concat({be32(i), {1, 1, 'a', 0}});
        chunks.insert(chunks.end(), chunk.begin(), chunk.end());
    }
    auto packets = parse_rtcp(
        concat({rtcp_packet(201, 31, concat({be32(1), blocks})), rtcp_packet(202, 31, chunks)}));
    REQUIRE(packets.ok());
    CHECK(std::get<ReceiverReport>((*packets)[0]).reports.size() == 31);
    CHECK(std::get<ReceiverReport>((*packets)[0]).reports[30].ssrc == 30);
    CHECK(std::get<Sdes>((*packets)[1]).chunks.size() == 31);
}
