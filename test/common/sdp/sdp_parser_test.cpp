// SDP parser: real phones' offers parse into the right fields; hostile input is refused with a
// message that names the line and the problem.
#include "common/sdp/sdp_parser.hpp"

#include <catch2/catch.hpp>

#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;
using sdp_test::fixture;
using sdp_test::lines;
using sdp_test::minimal_offer;

SCENARIO("every offer and answer fixture parses", "[sdp][parser]") {
    for (const std::string folder : {"offers", "answers"}) {
        for (const auto& path : sdp_test::fixtures_in(folder)) {
            INFO(path.string());
            const auto sd = parse(sdp_test::read_text(path));
            CHECK(sd.ok());
            if (!sd.ok()) {
                INFO(sd.message());
                continue;
            }
            CHECK_FALSE(sd->media.empty());
            CHECK_FALSE(sd->timings.empty());
        }
    }
}

SCENARIO("the baresip 1.0.0 offer captured on this machine parses into typed fields",
         "[sdp][parser]") {
    const auto sd = parse(fixture("offers/baresip-1.0.0.sdp"));
    REQUIRE(sd.ok());
    CHECK(sd->origin.username == "-");
    CHECK(sd->origin.session_id == "1424767930");
    CHECK(sd->origin.session_version == 1170744865u);
    CHECK(sd->origin.addr_type == AddrType::ip4);
    CHECK(sd->session_name == "-");
    REQUIRE(sd->connection);
    CHECK(sd->connection->address == "192.0.2.2");
    REQUIRE(sd->attributes.size() == 1);
    CHECK(sd->attributes[0] == Attribute{"tool", "baresip 1.0.0"});
    REQUIRE(sd->media.size() == 1);
    const MediaDescription& m = sd->media[0];
    CHECK(m.media == "audio");
    CHECK(m.port == 16016);
    CHECK(m.proto == "RTP/AVP");
    CHECK(m.formats == std::vector<std::string>{"0", "8", "9", "96", "101"});
    CHECK(m.rtpmaps.at(96) == RtpMap{"opus", 48000, 2});
    CHECK(m.rtpmaps.at(9) == RtpMap{"G722", 8000, 1});
    CHECK(m.fmtps.at(96).raw == "stereo=1;sprop-stereo=1");
    CHECK(m.fmtps.at(96).param("stereo") == "1");
    CHECK(m.fmtps.at(96).param("SPROP-STEREO") == "1");
    CHECK(m.fmtps.at(101).params.count("0-15") == 1);
    CHECK(m.ptime == 20);
    CHECK(m.direction == Direction::sendrecv);
    CHECK_FALSE(m.rtcp_mux);
    CHECK(m.attributes.size() == 4);  // label, rtcp-rsize, ssrc, minptime
    CHECK(m.attributes[1] == Attribute{"rtcp-rsize", std::nullopt});
}

SCENARIO("Linphone's offer keeps rtcp-fb and rtcp-xr and parses a=rtcp", "[sdp][parser]") {
    const auto sd = parse(fixture("offers/linphone.sdp"));
    REQUIRE(sd.ok());
    CHECK(sd->attributes.at(0).name == "rtcp-xr");
    const MediaDescription& m = sd->media.at(0);
    CHECK(m.formats.size() == 9);
    CHECK(m.rtpmaps.at(99) == RtpMap{"telephone-event", 16000, 1});
    CHECK(m.fmtps.at(18).param("annexb") == "yes");
    REQUIRE(m.rtcp);
    CHECK(m.rtcp->port == 7079);
    CHECK_FALSE(m.rtcp->connection);
    CHECK(m.attributes.at(0) == Attribute{"rtcp-fb", "* trr-int 1000"});
}

SCENARIO("the less common lines are kept", "[sdp][parser]") {
    GIVEN("RFC 4566's example with i= u= e= p= b= r= z= k=") {
        const auto sd = parse(fixture("offers/rfc4566-all-lines.sdp"));
        REQUIRE(sd.ok());
        CHECK(sd->information == "A Seminar on the session description protocol");
        CHECK(sd->uri == "http://www.example.com/seminars/sdp.pdf");
        CHECK(sd->emails == std::vector<std::string>{"j.doe@example.com (Jane Doe)"});
        CHECK(sd->phones == std::vector<std::string>{"+1 617 555-6011"});
        CHECK(sd->bandwidths == std::vector<Bandwidth>{{"CT", 128}});
        REQUIRE(sd->timings.size() == 1);
        CHECK(sd->timings[0].start == 2873397496u);
        CHECK(sd->timings[0].repeats == std::vector<std::string>{"7d 1h 0 25h"});
        CHECK(sd->time_zones == "2882844526 -1h 2898848070 0");
        CHECK(sd->encryption_key == "prompt");
        CHECK(sd->direction == Direction::recvonly);
        CHECK(sd->media.at(0).information == "the audio");
        CHECK(sd->media.at(0).bandwidths == std::vector<Bandwidth>{{"AS", 64}});
        CHECK(sd->media.at(1).rtpmaps.at(99).encoding == "h263-1998");
    }
    GIVEN("the IPv6 offer with a=rtcp naming an address") {
        const auto sd = parse(fixture("offers/ipv6.sdp"));
        REQUIRE(sd.ok());
        CHECK(sd->origin.addr_type == AddrType::ip6);
        CHECK(sd->connection->addr_type == AddrType::ip6);
        REQUIRE(sd->media[0].rtcp->connection);
        CHECK(sd->media[0].rtcp->connection->address == "2001:db8:85a3::8a2e:370:7334");
    }
    GIVEN("T.38's non-RTP formats") {
        const auto sd = parse(fixture("offers/t38-only.sdp"));
        REQUIRE(sd.ok());
        CHECK(sd->media[0].formats == std::vector<std::string>{"t38"});
        CHECK(sd->media[0].attributes.size() == 6);
    }
}

SCENARIO("tolerated variations", "[sdp][parser]") {
    WHEN("lines end in bare LF, have trailing spaces, and blank lines sit between them") {
        const auto sd = parse(
            "v=0\no=- 1 1 IN IP4 10.0.0.1  \n\ns=-\nc=IN  IP4   10.0.0.1\nt=0 0\n"
            "m=audio  4000  RTP/AVP  0\r\na=ptime:20.0\n\n");
        REQUIRE(sd.ok());
        CHECK(sd->connection->address == "10.0.0.1");
        CHECK(sd->media[0].ptime == 20);
    }
    WHEN("the last line has no line end and numbers have leading zeros") {
        const auto sd =
            parse(lines({"v=0", "o=- 1 1 in ip4 10.0.0.1", "s=", "t=0 0", "c=IN IP4 10.0.0.1"}) +
                  "m=audio 04000/1 RTP/AVP 000 08\r\na=rtpmap:08 PCMA/08000/1");
        REQUIRE(sd.ok());
        CHECK(sd->origin.net_type == "IN");
        CHECK(sd->origin.addr_type == AddrType::ip4);
        CHECK(sd->session_name.empty());
        CHECK(sd->media[0].port == 4000);
        CHECK(sd->media[0].formats == std::vector<std::string>{"0", "8"});
        CHECK(sd->media[0].rtpmaps.at(8) == RtpMap{"PCMA", 8000, 1});
    }
    WHEN("text fields carry UTF-8") {
        const auto sd = parse(
            lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=Caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x93\x9e",
                   "c=IN IP4 10.0.0.1", "t=0 0", "m=audio 4000 RTP/AVP 0"}));
        REQUIRE(sd.ok());
        CHECK(sd->session_name == "Caf\xc3\xa9 \xe2\x98\x95 \xf0\x9f\x93\x9e");
    }
    WHEN("a disabled m= line has no c= anywhere") {
        const auto sd = parse(
            lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=video 0 RTP/AVP 31"}));
        CHECK(sd.ok());
    }
    WHEN("the same direction is repeated, and a=fmtp has no parameters") {
        const auto sd = parse(minimal_offer("a=sendonly\r\na=sendonly\r\na=fmtp:101\r\n"));
        REQUIRE(sd.ok());
        CHECK(sd->media[0].direction == Direction::sendonly);
        CHECK(sd->media[0].fmtps.at(101).raw.empty());
    }
}
