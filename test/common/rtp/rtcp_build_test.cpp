// RTCP writers and CompoundBuilder: byte-exact against the fixtures, round trips through the
// parser, the RFC 3550 6.1 ordering rules, and every limit refused.
#include "common/rtp/rtcp_build.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "test/common/rtp/fixtures.hpp"

using Catch::Contains;
using namespace sidebar::rtp;
using namespace sidebar::rtp::test;

namespace {

SenderReport fixture_sr() {
    SenderReport sr;
    sr.ssrc = 0x5EED1234;
    sr.info = SenderInfo{0xE8F0A1B2C3D4E5F6ull, 0x0001E240, 1000, 160000};
    sr.reports.push_back(ReportBlock{0xCAFEBABE, 25, 12, 0x0001FFFF, 40, 0xA1B2C3D4, 0x18000});
    return sr;
}

ReceiverReport fixture_rr() {
    ReceiverReport rr;
    rr.ssrc = 0xCAFEBABE;
    rr.reports.push_back(ReportBlock{0x5EED1234, 0, -3, 0x00010005, 7, 0, 0});
    return rr;
}

Bytes finished(const CompoundBuilder& builder, const Bytes& buffer) {
    auto size = builder.finish();
    REQUIRE(size.ok());
    return Bytes(buffer.begin(), buffer.begin() + static_cast<long>(*size));
}

}  // namespace

SCENARIO("the builder reproduces the SR + SDES fixture byte for byte", "[rtcp][build]") {
    Bytes buffer(1500);
    CompoundBuilder builder(buffer);
    REQUIRE(builder.add_sender_report(fixture_sr()).ok());
    REQUIRE(builder.add_cname(0x5EED1234, "alice@203.0.113.5").ok());
    CHECK(finished(builder, buffer) == load_fixture("sr_sdes.rtcp"));
}

SCENARIO("the builder reproduces the RR + BYE fixture byte for byte", "[rtcp][build]") {
    Bytes buffer(1500);
    CompoundBuilder builder(buffer);
    REQUIRE(builder.add_receiver_report(fixture_rr()).ok());
    REQUIRE(builder.add_bye(Bye{{0xCAFEBABE}, "session ended"}).ok());
    CHECK(builder.size() == 56);
    CHECK(finished(builder, buffer) == load_fixture("rr_bye.rtcp"));
}

SCENARIO("every packet type round-trips through write_rtcp and parse_rtcp", "[rtcp][build]") {
    Sdes sdes;
    sdes.chunks.push_back(SdesChunk{1, {{1, "a@b"}, {2, "Alice"}, {8, std::string(255, 'p')}}});
    sdes.chunks.push_back(SdesChunk{2, {}});
    const std::vector<RtcpPacket> packets = {
        RtcpPacket(fixture_sr()),
        RtcpPacket(fixture_rr()),
        RtcpPacket(ReceiverReport{7, {}}),
        RtcpPacket(sdes),
        RtcpPacket(UnknownRtcp{206, 1, {0, 0, 0, 9, 0, 0, 0, 10}}),
        RtcpPacket(Bye{{1, 2, 3}, std::nullopt}),
        RtcpPacket(Bye{{}, std::string()}),
        RtcpPacket(UnknownRtcp{204, 31, {1, 2, 3, 4, 5}}),  // unaligned: padded, so last
    };
    Bytes buffer(4096);
    std::size_t size = 0;
    for (const auto& p : packets) {
        auto n = write_rtcp(p, std::span(buffer).subspan(size));
        REQUIRE(n.ok());
        CHECK(*n % 4 == 0);
        size += *n;
    }
    auto parsed = parse_rtcp(std::span(buffer).first(size));
    REQUIRE(parsed.ok());
    CHECK(*parsed == packets);
}

SCENARIO("each fuzz seed survives parse -> write -> parse unchanged", "[rtcp][build]") {
    const auto folder = std::filesystem::path(SIDEBAR_TEST_DATA) / "fuzz" / "fuzz_rtcp";
    int seeds = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        std::ifstream in(entry.path(), std::ios::binary);
        const Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        INFO(entry.path());
        auto first = parse_rtcp(bytes);
        REQUIRE(first.ok());
        Bytes buffer(bytes.size());
        std::size_t size = 0;
        for (const auto& p : *first) {
            auto n = write_rtcp(p, std::span(buffer).subspan(size));
            REQUIRE(n.ok());
            size += *n;
        }
        auto second = parse_rtcp(std::span(buffer).first(size));
        REQUIRE(second.ok());
        CHECK(*second == *first);
        ++seeds;
    }
    CHECK(seeds >= 5);
}

SCENARIO("the builder keeps RFC 3550's order", "[rtcp][build][hostile]") {
    Bytes buffer(1500);
    GIVEN("an empty builder") {
        CompoundBuilder b(buffer);
        CHECK(b.add_cname(1, "x").message() == "rtcp: SDES must follow an SR or RR");
        CHECK(b.add_bye(Bye{{1}, std::nullopt}).message() == "rtcp: BYE must follow an SR or RR");
        CHECK(b.finish().message() == "rtcp: a compound needs an SR or RR first");
        CHECK(b.size() == 0);
    }
    GIVEN("a builder holding a report") {
        CompoundBuilder b(buffer);
        REQUIRE(b.add_receiver_report(fixture_rr()).ok());
        CHECK(b.add_sender_report(fixture_sr()).message() ==
              "rtcp: an SR must be the first packet of a compound");
        CHECK(b.finish().message() ==
              "rtcp: a compound needs an SDES with a CNAME after its reports");
        THEN("more RRs may follow, for over 31 sources") {
            REQUIRE(b.add_receiver_report(ReceiverReport{0xCAFEBABE, {}}).ok());
            REQUIRE(b.add_cname(0xCAFEBABE, "c").ok());
            CHECK(b.add_cname(0xCAFEBABE, "c").message() ==
                  "rtcp: SDES must come once, after the reports and before BYE");
            CHECK(b.add_receiver_report(fixture_rr()).message() ==
                  "rtcp: an RR must come before SDES and BYE");
            REQUIRE(b.add_bye(Bye{{0xCAFEBABE}, std::nullopt}).ok());
            CHECK(b.add_bye(Bye{{0xCAFEBABE}, std::nullopt}).message() ==
                  "rtcp: a compound holds one BYE");
            auto parsed = parse_rtcp(finished(b, buffer));
            REQUIRE(parsed.ok());
            CHECK(parsed->size() == 4);
        }
    }
    GIVEN("a buffer too small for the next packet") {
        Bytes small(48);
        CompoundBuilder b(small);
        REQUIRE(b.add_receiver_report(fixture_rr()).ok());  // 32 bytes
        CHECK(b.add_cname(1, "alice@example.com").message() ==
              "rtcp: SDES of 28 bytes does not fit the 16-byte buffer");
        CHECK(b.size() == 32);  // a failed add leaves the compound as it was
        REQUIRE(b.add_cname(1, "ab").ok());
        CHECK(b.finish().ok());
    }
}

SCENARIO("writers refuse lists over their limits and short buffers", "[rtcp][build][hostile]") {
    Bytes buffer(65536 * 4 + 16);
    ReceiverReport rr{1, std::vector<ReportBlock>(32)};
    CHECK(write_receiver_report(rr, buffer).message() ==
          "rtcp: 32 report blocks exceed the limit of 31");
    SenderReport sr{1, {}, std::vector<ReportBlock>(32)};
    CHECK(write_sender_report(sr, buffer).message() ==
          "rtcp: 32 report blocks exceed the limit of 31");
    CHECK(write_sdes(Sdes{std::vector<SdesChunk>(32)}, buffer).message() ==
          "rtcp: 32 SDES chunks exceed the limit of 31");
    CHECK(write_sdes(Sdes{{SdesChunk{1, {{1, std::string(256, 'x')}}}}}, buffer).message() ==
          "rtcp: SDES item type 1 of 256 bytes exceeds 255");
    CHECK(write_sdes(Sdes{{SdesChunk{1, {{0, "x"}}}}}, buffer).message() ==
          "rtcp: SDES item type 0 is the end-of-items marker");
    CHECK(write_bye(Bye{std::vector<uint32_t>(32), std::nullopt}, buffer).message() ==
          "rtcp: 32 BYE SSRCs exceed the limit of 31");
    CHECK(write_bye(Bye{{1}, std::string(256, 'r')}, buffer).message() ==
          "rtcp: BYE reason of 256 bytes exceeds 255");
    CHECK(write_unknown(UnknownRtcp{204, 32, {}}, buffer).message() ==
          "rtcp: count field 32 does not fit in 5 bits");
    CHECK(write_unknown(UnknownRtcp{72, 0, {}}, buffer).message() ==
          "rtcp: packet type 72 is outside RTCP's 192..223");
    CHECK_THAT(write_unknown(UnknownRtcp{204, 0, Bytes(65536 * 4)}, buffer).message(),
               Contains("262148 packet bytes exceed the limit of 262144"));

    WHEN("the buffer is short by any amount") {
        const SenderReport full = fixture_sr();
        const std::size_t needed = 52;
        REQUIRE(*write_sender_report(full, buffer) == needed);
        for (std::size_t n = 0; n < needed; ++n) {
            auto r = write_sender_report(full, std::span(buffer).first(n));
            REQUIRE_FALSE(r.ok());
            CHECK(r.message() ==
                  "rtcp: SR of 52 bytes does not fit the " + std::to_string(n) + "-byte buffer");
        }
        CHECK_FALSE(write_bye(Bye{{1}, "bye"}, std::span(buffer).first(11)).ok());
        CHECK(write_bye(Bye{{1}, "bye"}, std::span(buffer).first(12)).ok());
    }
}

SCENARIO("cumulative loss outside 24 bits is clamped, not wrapped", "[rtcp][build]") {
    Bytes buffer(64);
    ReceiverReport rr{1, {ReportBlock{}, ReportBlock{}}};
    rr.reports[0].cumulative_lost = 10'000'000;
    rr.reports[1].cumulative_lost = -10'000'000;
    auto n = write_receiver_report(rr, buffer);
    REQUIRE(n.ok());
    auto parsed = parse_rtcp(std::span(buffer).first(*n));
    REQUIRE(parsed.ok());
    const auto& back = std::get<ReceiverReport>((*parsed)[0]);
    CHECK(back.reports[0].cumulative_lost == 0x7FFFFF);
    CHECK(back.reports[1].cumulative_lost == -0x800000);
}
