// SDP writer: CRLF text in RFC 4566 order, and parse(write(x)) == x for every fixture.
#include "common/sdp/sdp_writer.hpp"

#include <catch2/catch.hpp>

#include "common/sdp/sdp_parser.hpp"
#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;

SCENARIO("every fixture survives parse -> write -> parse", "[sdp][writer]") {
    for (const std::string folder : {"offers", "answers"}) {
        for (const auto& path : sdp_test::fixtures_in(folder)) {
            INFO(path.string());
            const auto first = parse(sdp_test::read_text(path));
            REQUIRE(first.ok());
            const std::string text = write(*first);
            const auto second = parse(text);
            REQUIRE(second.ok());
            CHECK(*second == *first);
            // Writing is stable: the text of the re-parse is the same text.
            CHECK(write(*second) == text);
        }
    }
}

SCENARIO("the writer's text", "[sdp][writer]") {
    GIVEN("a description built in code") {
        SessionDescription sd;
        sd.origin = Origin{"sidebar", "42", 7, "IN", AddrType::ip6, "2001:db8::1"};
        sd.session_name = "talk";
        sd.connection = Connection{"IN", AddrType::ip6, "2001:db8::1"};
        sd.timings.push_back(Timing{});
        sd.attributes.push_back(Attribute{"tool", "test"});
        MediaDescription m;
        m.media = "audio";
        m.port = 20000;
        m.proto = "RTP/AVP";
        m.formats = {"96", "0", "101"};
        m.rtpmaps.emplace(101, RtpMap{"telephone-event", 8000, 1});
        m.rtpmaps.emplace(96, RtpMap{"opus", 48000, 2});
        m.rtpmaps.emplace(0, RtpMap{"PCMU", 8000, 1});
        m.fmtps.emplace(96, make_fmtp("useinbandfec=1"));
        m.fmtps.emplace(101, make_fmtp("0-15"));
        m.ptime = 20;
        m.rtcp = Rtcp{20001, Connection{"IN", AddrType::ip6, "2001:db8::1"}};
        m.rtcp_mux = true;
        m.attributes.push_back(Attribute{"label", "1"});
        m.direction = Direction::recvonly;
        sd.media.push_back(m);
        MediaDescription video;
        video.media = "video";
        video.port = 0;
        video.port_count = 2;
        video.proto = "RTP/AVP";
        video.formats = {"31"};
        sd.media.push_back(video);

        THEN("lines come in RFC order, rtpmap/fmtp follow the format order, ends are CRLF") {
            CHECK(write(sd) ==
                  "v=0\r\n"
                  "o=sidebar 42 7 IN IP6 2001:db8::1\r\n"
                  "s=talk\r\n"
                  "c=IN IP6 2001:db8::1\r\n"
                  "t=0 0\r\n"
                  "a=tool:test\r\n"
                  "m=audio 20000 RTP/AVP 96 0 101\r\n"
                  "a=rtpmap:96 opus/48000/2\r\n"
                  "a=fmtp:96 useinbandfec=1\r\n"
                  "a=rtpmap:0 PCMU/8000\r\n"
                  "a=rtpmap:101 telephone-event/8000\r\n"
                  "a=fmtp:101 0-15\r\n"
                  "a=ptime:20\r\n"
                  "a=rtcp:20001 IN IP6 2001:db8::1\r\n"
                  "a=rtcp-mux\r\n"
                  "a=label:1\r\n"
                  "a=recvonly\r\n"
                  "m=video 0/2 RTP/AVP 31\r\n");
        }
        THEN("it parses back to the same description") {
            const auto back = parse(write(sd));
            REQUIRE(back.ok());
            CHECK(*back == sd);
        }
    }
    GIVEN("maps for payload types the m= line does not list, and value-less attributes") {
        const auto sd = parse(sdp_test::minimal_offer(
            "a=rtpmap:97 iLBC/8000\r\na=fmtp:97 mode=30\r\na=flag\r\na=empty:\r\n"));
        REQUIRE(sd.ok());
        const std::string text = write(*sd);
        CHECK(text.find("a=rtpmap:97 iLBC/8000\r\na=fmtp:97 mode=30\r\n") != std::string::npos);
        CHECK(text.find("a=flag\r\na=empty:\r\n") != std::string::npos);
        CHECK(*parse(text) == *sd);
    }
}

SCENARIO("the one round trip that cannot hold: LF bodies at the size limit", "[sdp][writer]") {
    std::string text = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n";
    const std::string line = "a=x:" + std::string(200, 'y') + "\n";
    while (text.size() + line.size() <= kMaxSdpBytes)
        text += line;
    const auto first = parse(text);
    REQUIRE(first.ok());
    const std::string written = write(*first);
    CHECK(written.size() > kMaxSdpBytes);
    const auto second = parse(written);
    REQUIRE_FALSE(second.ok());
    CHECK(second.message().find("more than the 65536 allowed") != std::string::npos);
}
