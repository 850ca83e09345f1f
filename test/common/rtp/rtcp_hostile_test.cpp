// Compound RTCP parsing of hostile input: every malformed length, count and padding is refused
// with a message naming the packet and the sizes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/rtp/rtcp_packet.hpp"
#include "test/common/rtp/fixtures.hpp"

using Catch::Contains;
using namespace sidebar::rtp;
using namespace sidebar::rtp::test;

namespace {

const Bytes kRr = rtcp_packet(201, 0, be32(0x1234));

std::string parse_error(const Bytes& bytes) {
    auto r = parse_rtcp(bytes);
    REQUIRE_FALSE(r.ok());
    return r.message();
}

}  // namespace

SCENARIO("compound framing errors are refused", "[rtcp][hostile]") {
    CHECK(parse_error({}) == "rtcp: empty packet");
    CHECK(parse_error(Bytes(65537, 0x80)) ==
          "rtcp: 65537-byte compound packet exceeds 65536 bytes");
    CHECK(parse_error({0x80, 0xC9, 0x00}) ==
          "rtcp: only 3 bytes left for packet 0's header in the 3-byte compound (a header "
          "needs 4)");
    CHECK(parse_error(concat({kRr, {0x80, 0xC9, 0x00}})) ==
          "rtcp: only 3 bytes left for packet 1's header in the 11-byte compound (a header "
          "needs 4)");

    Bytes v1 = kRr;
    v1[0] = 0x40;
    CHECK(parse_error(v1) == "rtcp: packet 0 (RR): version 1, expected 2");

    CHECK_THAT(parse_error(load_fixture("pcmu.rtp")),
               Contains("packet type 128 is outside RTCP's 192..223 (an RTP packet?)"));

    Bytes long_length = kRr;
    long_length[3] = 2;
    CHECK(parse_error(long_length) ==
          "rtcp: packet 0 (RR): length field says 12 bytes but only 8 remain of the 8-byte "
          "compound");
    Bytes huge_length = concat({kRr, kRr});
    huge_length[10] = 0xFF;
    huge_length[11] = 0xFF;
    CHECK(parse_error(huge_length) ==
          "rtcp: packet 1 (RR): length field says 262144 bytes but only 8 remain of the "
          "16-byte compound");
}

SCENARIO("report counts that do not fit the length are refused", "[rtcp][hostile]") {
    CHECK(parse_error(rtcp_packet(200, 0, be32(1))) ==
          "rtcp: packet 0 (SR): 8-byte packet is shorter than the 28-byte SR header");
    CHECK(parse_error(rtcp_packet(201, 0, {})) ==
          "rtcp: packet 0 (RR): 4-byte packet is shorter than the 8-byte RR header");

    const Bytes sender_info = concat({be32(1), be32(2), be32(3), be32(4), be32(5), be32(6)});
    const Bytes block = concat({be32(7), be32(0), be32(1), be32(2), be32(3), be32(4)});
    CHECK(parse_error(rtcp_packet(200, 2, concat({sender_info, block}))) ==
          "rtcp: packet 0 (SR): report count 2 needs 76 bytes but the packet has 52");
    CHECK(parse_error(rtcp_packet(201, 31, be32(1))) ==
          "rtcp: packet 0 (RR): report count 31 needs 752 bytes but the packet has 8");
    WHEN("extra words follow the blocks (a profile-specific extension)") {
        auto ok = parse_rtcp(rtcp_packet(201, 1, concat({be32(1), block, be32(0xEEEE)})));
        REQUIRE(ok.ok());
        CHECK(std::get<ReceiverReport>((*ok)[0]).reports.size() == 1);
    }
}

SCENARIO("SDES items and chunks past their packet are refused", "[rtcp][sdes][hostile]") {
    CHECK(parse_error(concat({kRr, rtcp_packet(202, 1, concat({be32(5), {1, 10, 'a', 'b'}}))})) ==
          "rtcp: packet 1 (SDES): SDES chunk 0 item type 1 of 10 bytes at offset 8 runs past "
          "the 12-byte packet");
    CHECK(parse_error(rtcp_packet(202, 1, concat({be32(5), {1, 2, 'a', 'b'}}))) ==
          "rtcp: packet 0 (SDES): SDES chunk 0 (SSRC 0x00000005) has no end-of-items octet "
          "before the packet ends");
    CHECK(parse_error(rtcp_packet(202, 3, concat({be32(5), {0, 0, 0, 0}}))) ==
          "rtcp: packet 0 (SDES): SDES chunk 1 of 3 starts past the 12-byte packet");
    CHECK(parse_error(rtcp_packet(202, 1, concat({be32(5), {0, 0, 0, 0}, be32(0)}))) ==
          "rtcp: packet 0 (SDES): 4 bytes follow its 1 chunks");
    // Padding leaves 7 content bytes; the chunk's 32-bit boundary is at 8.
    CHECK(parse_error(rtcp_packet(202, 1, concat({be32(5), {1, 0, 0}}), 5)) ==
          "rtcp: packet 0 (SDES): SDES chunk 0 (SSRC 0x00000005) needs 12 bytes to its 32-bit "
          "boundary but the packet has 11");
    // An item header whose length octet is cut off by the end.
    CHECK(parse_error(rtcp_packet(202, 1, concat({be32(5), {0xAB}}), 3)) ==
          "rtcp: packet 0 (SDES): SDES chunk 0 item type 171 at offset 8 has no length octet "
          "before the packet ends");
}

SCENARIO("BYE counts and reasons past their packet are refused", "[rtcp][bye][hostile]") {
    CHECK(parse_error(rtcp_packet(203, 2, be32(1))) ==
          "rtcp: packet 0 (BYE): source count 2 needs 12 bytes but the packet has 8");
    CHECK(parse_error(concat({kRr, rtcp_packet(203, 1, concat({be32(1), {20, 'a', 'b', 'c'}}))})) ==
          "rtcp: packet 1 (BYE): reason of 20 bytes runs past the 12-byte packet");
}

SCENARIO("padding is allowed only on the last packet, with a sane count", "[rtcp][hostile]") {
    CHECK(parse_error(concat({rtcp_packet(201, 0, be32(1), 4), kRr})) ==
          "rtcp: packet 0 (RR): padding bit set but only the last packet may be padded");
    Bytes zero = rtcp_packet(201, 0, be32(0x100));
    zero[0] |= 0x20;
    CHECK(parse_error(zero) == "rtcp: packet 0 (RR): padding bit set but the padding count is 0");
    Bytes big = kRr;
    big[0] |= 0x20;  // the SSRC's last octet 0x34 becomes the count
    CHECK(parse_error(big) ==
          "rtcp: packet 0 (RR): padding count 52 exceeds the 4 bytes after the header");
    Bytes empty = {0xA0, 0xCC, 0x00, 0x00};  // padded APP with no body
    CHECK(parse_error(empty) == "rtcp: packet 0 (APP): padding bit set but the padding count is 0");
    CHECK(parse_error(rtcp_packet(201, 0, {}, 4)) ==
          "rtcp: packet 0 (RR): 4-byte packet is shorter than the 8-byte RR header");
}

SCENARIO("every prefix of a fixture parses only at a packet boundary", "[rtcp][hostile]") {
    struct Case {
        const char* name;
        std::vector<std::size_t> boundaries;
    };
    for (const auto& c : {Case{"sr_sdes.rtcp", {52, 80}}, Case{"rr_bye.rtcp", {32, 56}}}) {
        const auto bytes = load_fixture(c.name);
        REQUIRE(bytes.size() == c.boundaries.back());
        for (std::size_t n = 0; n <= bytes.size(); ++n) {
            INFO(c.name << " cut to " << n);
            auto r = parse_rtcp(std::span(bytes).first(n));
            const bool at_boundary =
                std::find(c.boundaries.begin(), c.boundaries.end(), n) != c.boundaries.end();
            CHECK(r.ok() == at_boundary);
            if (!r.ok()) CHECK_THAT(r.message(), Contains("rtcp: "));
        }
    }
}
