// RTP packet parsing and serialization: real-looking fixtures, round trips, every malformed
// length, and the RTP/RTCP demultiplexing rule.
#include "common/rtp/rtp_packet.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "test/common/rtp/fixtures.hpp"

using Catch::Contains;
using namespace sidebar::rtp;
using sidebar::rtp::test::load_fixture;

namespace {

std::vector<uint8_t> reserialize(const RtpPacket& packet) {
    std::vector<uint8_t> out(serialized_size(packet.header, packet.payload.size()));
    auto written = serialize(packet.header, packet.payload, out);
    REQUIRE(written.ok());
    CHECK(*written == out.size());
    return out;
}

// A valid 12-byte header, PCMU, seq 1, ts 160, SSRC 0x01020304.
std::vector<uint8_t> minimal_header() {
    return {0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0x01, 0x02, 0x03, 0x04};
}

}  // namespace

SCENARIO("a 172-byte PCMU packet parses into its fields", "[rtp]") {
    const auto bytes = load_fixture("pcmu.rtp");
    REQUIRE(bytes.size() == 172);
    auto packet = parse_rtp(bytes);
    REQUIRE(packet.ok());
    const RtpHeader& h = packet->header;
    CHECK(h.marker);
    CHECK(h.payload_type == 0);
    CHECK(h.sequence == 0x1234);
    CHECK(h.timestamp == 0x0001E240);
    CHECK(h.ssrc == 0x5EED1234);
    CHECK(h.csrc_count == 0);
    CHECK_FALSE(h.extension.has_value());
    CHECK(h.padding == 0);
    CHECK(packet->header_size == 12);
    CHECK(packet->size == 172);
    REQUIRE(packet->payload.size() == 160);
    // A view, not a copy: the payload points into the caller's buffer.
    CHECK(packet->payload.data() == bytes.data() + 12);
    CHECK(packet->payload[0] == 0xFF);  // mu-law of the sine's first zero sample
    THEN("serializing it gives back the same bytes") {
        CHECK(reserialize(*packet) == bytes);
    }
}

SCENARIO("a packet with 2 CSRCs and an RFC 8285 one-byte extension parses", "[rtp]") {
    const auto bytes = load_fixture("csrc_ext.rtp");
    auto packet = parse_rtp(bytes);
    REQUIRE(packet.ok());
    const RtpHeader& h = packet->header;
    CHECK_FALSE(h.marker);
    CHECK(h.payload_type == 111);
    CHECK(h.sequence == 65535);
    CHECK(h.timestamp == 0xFFFFFC40);
    CHECK(h.ssrc == 0xCAFEBABE);
    REQUIRE(h.csrc_count == 2);
    CHECK(h.csrc_list().size() == 2);
    CHECK(h.csrc_list()[0] == 0x11111111);
    CHECK(h.csrc_list()[1] == 0x22222222);
    REQUIRE(h.extension.has_value());
    CHECK(h.extension->profile == 0xBEDE);
    REQUIRE(h.extension->data.size() == 8);
    CHECK(h.extension->data[0] == 0x10);
    CHECK(h.extension->data[1] == 0xB2);
    CHECK(packet->header_size == 12 + 8 + 4 + 8);
    REQUIRE(packet->payload.size() == 40);
    CHECK(packet->payload[0] == 0x40);
    CHECK(packet->payload[39] == 0x67);
    CHECK(reserialize(*packet) == bytes);
}

SCENARIO("padding is reported and excluded from the payload", "[rtp]") {
    const auto bytes = load_fixture("padding.rtp");
    auto packet = parse_rtp(bytes);
    REQUIRE(packet.ok());
    CHECK(packet->header.padding == 4);
    CHECK(packet->header.sequence == 7);
    CHECK(packet->header.timestamp == 1120);
    CHECK(packet->payload.size() == 20);
    CHECK(packet->size == 36);
    CHECK(reserialize(*packet) == bytes);

    WHEN("the padding covers the whole payload") {
        auto all_padding = minimal_header();
        all_padding[0] |= 0x20;
        all_padding.insert(all_padding.end(), {0, 0, 0, 4});
        auto p = parse_rtp(all_padding);
        REQUIRE(p.ok());
        CHECK(p->payload.empty());
        CHECK(p->header.padding == 4);
    }
}

SCENARIO("a built header round-trips through serialize and parse", "[rtp]") {
    const std::vector<uint8_t> ext_words = {0x10, 0xAA, 0x00, 0x00, 0x21, 0x01, 0x02, 0x00};
    const std::vector<uint8_t> payload = {1, 2, 3, 4, 5};
    RtpHeader h;
    h.marker = true;
    h.payload_type = 127;
    h.sequence = 65000;
    h.timestamp = 0xDEADBEEF;
    h.ssrc = 42;
    h.csrc_count = 15;
    for (uint32_t i = 0; i < 15; ++i)
        h.csrcs[i] = 1000 + i;
    h.extension = HeaderExtension{0xBEDE, ext_words};
    h.padding = 3;
    std::vector<uint8_t> out(200);
    auto n = serialize(h, payload, out);
    REQUIRE(n.ok());
    CHECK(*n == 12 + 60 + 4 + 8 + 5 + 3);
    CHECK(*n == serialized_size(h, payload.size()));
    out.resize(*n);
    CHECK(out.back() == 3);
    auto p = parse_rtp(out);
    REQUIRE(p.ok());
    CHECK(p->header.marker);
    CHECK(p->header.payload_type == 127);
    CHECK(p->header.sequence == 65000);
    CHECK(p->header.timestamp == 0xDEADBEEF);
    CHECK(p->header.ssrc == 42);
    CHECK(p->header.csrcs == h.csrcs);
    CHECK(p->header.csrc_count == 15);
    REQUIRE(p->header.extension.has_value());
    CHECK(p->header.extension->profile == 0xBEDE);
    CHECK(std::vector<uint8_t>(p->header.extension->data.begin(),
                               p->header.extension->data.end()) == ext_words);
    CHECK(std::vector<uint8_t>(p->payload.begin(), p->payload.end()) == payload);
    CHECK(p->header.padding == 3);
}

SCENARIO("malformed RTP packets are refused with the reason and sizes", "[rtp][hostile]") {
    GIVEN("nothing at all") {
        auto r = parse_rtp({});
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("0-byte packet is shorter than the 12-byte header"));
    }
    GIVEN("every truncation of the fixed header") {
        const auto full = minimal_header();
        for (std::size_t n = 0; n < 12; ++n) {
            std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<long>(n));
            auto r = parse_rtp(cut);
            REQUIRE_FALSE(r.ok());
            CHECK_THAT(r.message(), Contains(std::to_string(n) + "-byte packet is shorter"));
        }
    }
    GIVEN("versions 0, 1 and 3") {
        for (uint8_t v : {0, 1, 3}) {
            auto bytes = minimal_header();
            bytes[0] = static_cast<uint8_t>((v << 6) | (bytes[0] & 0x3F));
            auto r = parse_rtp(bytes);
            REQUIRE_FALSE(r.ok());
            CHECK_THAT(r.message(), Contains("version " + std::to_string(v) + ", expected 2"));
        }
    }
    GIVEN("a CSRC count of 15 in a 20-byte packet") {
        auto bytes = minimal_header();
        bytes[0] |= 0x0F;
        bytes.resize(20);
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() == "rtp: CSRC count 15 runs past the 20-byte packet (needs 72)");
    }
    GIVEN("an extension bit with no room for the extension header") {
        auto bytes = minimal_header();
        bytes[0] |= 0x10;
        bytes.insert(bytes.end(), {0xBE, 0xDE, 0x00});
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() ==
              "rtp: header extension header at offset 12 runs past the 15-byte packet");
    }
    GIVEN("an extension length past the end") {
        auto bytes = minimal_header();
        bytes[0] |= 0x10;
        bytes.insert(bytes.end(), {0xBE, 0xDE, 0x00, 0x03, 0x10, 0x01, 0x00, 0x00});
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() ==
              "rtp: header extension of 3 words runs past the 20-byte packet (needs 28)");
    }
    GIVEN("an extension of 65535 words in a short packet") {
        auto bytes = minimal_header();
        bytes[0] |= 0x10;
        bytes.insert(bytes.end(), {0xBE, 0xDE, 0xFF, 0xFF});
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("65535 words runs past the 16-byte packet"));
    }
    GIVEN("a padding bit with a count of 0") {
        auto bytes = minimal_header();
        bytes[0] |= 0x20;
        bytes.insert(bytes.end(), {0xAA, 0xBB, 0x00});
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() == "rtp: padding bit set but the padding count is 0");
    }
    GIVEN("a padding count reaching back into the header") {
        auto bytes = minimal_header();
        bytes[0] |= 0x20;
        bytes.insert(bytes.end(), {0xAA, 0xBB, 0x04});
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() ==
              "rtp: padding count 4 runs past the payload start (15-byte packet, 12-byte "
              "header)");
    }
    GIVEN("a padding bit on a bare header, whose last octet is part of the SSRC") {
        auto bytes = minimal_header();
        bytes[0] |= 0x20;
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("padding count 4 runs past the payload start"));
    }
    GIVEN("padding that would eat the CSRCs and extension") {
        auto bytes = load_fixture("csrc_ext.rtp");
        bytes[0] |= 0x20;
        bytes.back() = 41;  // 40 payload bytes are all it may cover
        auto r = parse_rtp(bytes);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("padding count 41 runs past the payload start"));
        bytes.back() = 40;
        CHECK(parse_rtp(bytes).ok());
    }
}

SCENARIO("every prefix of the fixtures parses or fails cleanly", "[rtp][hostile]") {
    for (const char* name : {"pcmu.rtp", "csrc_ext.rtp", "padding.rtp"}) {
        const auto bytes = load_fixture(name);
        for (std::size_t n = 0; n <= bytes.size(); ++n) {
            std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
            auto r = parse_rtp(cut);
            INFO(name << " cut to " << n);
            if (r.ok()) {
                CHECK(r->header_size + r->payload.size() + r->header.padding == n);
            } else {
                CHECK_THAT(r.message(), Contains("rtp: "));
            }
        }
    }
    // csrc_ext.rtp needs its 32 header bytes; anything shorter must be refused.
    const auto ext = load_fixture("csrc_ext.rtp");
    CHECK_FALSE(parse_rtp(std::span(ext).first(31)).ok());
    CHECK(parse_rtp(std::span(ext).first(32)).ok());
}

SCENARIO("serialize refuses what it cannot encode or fit", "[rtp][hostile]") {
    const std::vector<uint8_t> payload(160, 0xFF);
    RtpHeader h;
    h.ssrc = 1;
    std::vector<uint8_t> out(172);
    REQUIRE(serialize(h, payload, out).ok());

    WHEN("the buffer is one byte short") {
        auto r = serialize(h, payload, std::span(out).first(171));
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() == "rtp: 172-byte packet does not fit the 171-byte buffer");
    }
    WHEN("the buffer is empty") {
        CHECK_FALSE(serialize(h, {}, std::span<uint8_t>()).ok());
    }
    WHEN("the payload type needs 8 bits") {
        h.payload_type = 128;
        auto r = serialize(h, payload, out);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("payload type 128"));
    }
    WHEN("there are 16 CSRCs") {
        h.csrc_count = 16;
        auto r = serialize(h, {}, out);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("CSRC count 16"));
    }
    WHEN("the extension is not whole words") {
        const std::vector<uint8_t> odd = {1, 2, 3};
        h.extension = HeaderExtension{0xBEDE, odd};
        auto r = serialize(h, {}, out);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("3 bytes is not a whole number of 32-bit words"));
    }
    WHEN("the extension is over 65535 words") {
        const std::vector<uint8_t> huge(4 * 65536);
        h.extension = HeaderExtension{0xBEDE, huge};
        auto r = serialize(h, {}, out);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("65536 words exceeds the 16-bit length field"));
    }
}

SCENARIO("RTCP is told from RTP on a shared socket by RFC 5761's rule", "[rtp][demux]") {
    CHECK_FALSE(looks_like_rtcp(load_fixture("pcmu.rtp")));      // PT 0 with marker
    CHECK_FALSE(looks_like_rtcp(load_fixture("csrc_ext.rtp")));  // PT 111
    CHECK(looks_like_rtcp(load_fixture("sr_sdes.rtcp")));        // SR, 200
    CHECK(looks_like_rtcp(load_fixture("rr_bye.rtcp")));         // RR, 201
    std::vector<uint8_t> bytes = {0x80, 0, 0, 1};
    for (unsigned second = 0; second < 256; ++second) {
        bytes[1] = static_cast<uint8_t>(second);
        const unsigned pt = second & 0x7F;
        INFO("second octet " << second);
        CHECK(looks_like_rtcp(bytes) == (pt >= 64 && pt <= 95));
    }
    bytes[1] = 200;
    CHECK_FALSE(looks_like_rtcp(std::span(bytes).first(3)));  // too short to be anything
    bytes[0] = 0x40;                                          // version 1
    CHECK_FALSE(looks_like_rtcp(bytes));
    CHECK_FALSE(looks_like_rtcp({}));
}
