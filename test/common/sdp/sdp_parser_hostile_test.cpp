// SDP parser against hostile input: every limit and every malformed field is refused, and the
// message says which line and what was wrong.
#include <catch2/catch.hpp>
#include <string>

#include "common/sdp/sdp_parser.hpp"
#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;
using sdp_test::lines;
using sdp_test::minimal_offer;

namespace {

// Refused, with a message that starts "sdp:" and contains `fragment`.
void check_refused(const std::string& text, const std::string& fragment) {
    const auto sd = parse(text);
    INFO("expected: " << fragment);
    REQUIRE_FALSE(sd.ok());
    INFO("got: " << sd.message());
    CHECK(sd.message().rfind("sdp: ", 0) == 0);
    CHECK(sd.message().find(fragment) != std::string::npos);
}

std::string session_with(const std::string& line) {
    return lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", line, "t=0 0"}) +
           "m=audio 4000 RTP/AVP 0\r\n";
}

}  // namespace

SCENARIO("the refused fixtures say why", "[sdp][parser][hostile]") {
    using sdp_test::fixture;
    check_refused(fixture("refused/rfc4317-host-names.sdp"),
                  "line 4: c= address 'host.atlanta.example.com' is not a valid IPv4 address "
                  "(host names are not supported)");
    check_refused(fixture("refused/rfc4566-multicast.sdp"), "multicast TTL");
    check_refused(fixture("refused/absurd-port.sdp"),
                  "line 6: m= port '99999' is out of range 0..65535");
    check_refused(fixture("refused/missing-connection.sdp"),
                  "m= line 1 (audio, port 4000) has no c= line at media or session level");
}

SCENARIO("size limits", "[sdp][parser][hostile]") {
    check_refused("", "the body is empty");
    check_refused("\r\n\n  \r\n", "there is no v= line");
    WHEN("10,000 lines arrive") {
        std::string text = minimal_offer();
        for (int i = 0; i < 10000; ++i)
            text += "a=x\r\n";
        REQUIRE(text.size() < kMaxSdpBytes);
        check_refused(text, "more than 1000 lines");
    }
    WHEN("the body is over 64 KiB") {
        std::string text = minimal_offer();
        while (text.size() <= kMaxSdpBytes)
            text += "a=padding:" + std::string(1000, 'x') + "\r\n";
        check_refused(text, "more than the 65536 allowed");
    }
    WHEN("one line is over 2048 bytes") {
        check_refused(minimal_offer("a=long:" + std::string(3000, 'x') + "\r\n"),
                      "line 8: the line is 3007 bytes long, more than the 2048 allowed");
    }
    WHEN("there are 33 m= lines") {
        std::string text = minimal_offer();
        for (int i = 0; i < 32; ++i)
            text += "m=video 0 RTP/AVP 31\r\n";
        check_refused(text, "more than 32 m= lines");
    }
    WHEN("an m= line lists 65 formats") {
        std::string m = "m=audio 4000 RTP/AVP";
        for (int i = 0; i < 65; ++i)
            m += " " + std::to_string(i);
        check_refused(minimal_offer(m + "\r\n"), "65 formats, more than the 64 allowed");
    }
    WHEN("32 m= lines and 64 formats, the most allowed") {
        std::string text = minimal_offer();
        std::string m = "m=audio 4000 RTP/AVP";
        for (int i = 0; i < 64; ++i)
            m += " " + std::to_string(i);
        for (int i = 0; i < 31; ++i)
            text += m + "\r\n";
        const auto sd = parse(text);
        REQUIRE(sd.ok());
        CHECK(sd->media.size() == 32);
    }
}

SCENARIO("bytes that are not SDP text", "[sdp][parser][hostile]") {
    check_refused(minimal_offer(std::string("a=x:a\0b\r\n", 9)), "line 8: NUL byte at offset");
    check_refused(minimal_offer("a=x:\x01\r\n"), "line 8: control character 0x01");
    check_refused(minimal_offer("a=x:\x7f\r\n"), "control character 0x7f");
    check_refused(minimal_offer("a=x:\xff\r\n"), "line 8: invalid UTF-8 at offset");
    check_refused(minimal_offer("a=x:\xc0\x80\r\n"), "invalid UTF-8");          // overlong NUL
    check_refused(minimal_offer("a=x:\xed\xa0\x80\r\n"), "invalid UTF-8");      // surrogate
    check_refused(minimal_offer("a=x:\xf4\x90\x80\x80\r\n"), "invalid UTF-8");  // > U+10FFFF
    check_refused(minimal_offer() + "a=x:\xe2\x98", "invalid UTF-8");           // cut at the end
    check_refused(minimal_offer("a=x:1\r2\r\n"), "line 8: a CR that does not end the line");
    check_refused(minimal_offer(" a=x\r\n"), "starts with white space");
    check_refused("\x89PNG\r\n\x1a\n", "invalid UTF-8");
}

SCENARIO("line order and required lines", "[sdp][parser][hostile]") {
    check_refused("o=- 1 1 IN IP4 10.0.0.1\r\nv=0\r\n", "line 1: the first line must be v=");
    check_refused("v=1\r\n", "line 1: v='1' is not version 0");
    check_refused("v=0\r\nv=0\r\n", "line 2: v= appears twice");
    check_refused("hello world\r\n", "line 1: 'hello world' is not <letter>=<value>");
    check_refused("V=0\r\n", "is not <letter>=<value>");
    check_refused(lines({"v=0", "s=-", "t=0 0"}), "there is no o= line");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "t=0 0"}), "there is no s= line");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-"}), "there is no t= line");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "o=- 1 1 IN IP4 10.0.0.1"}),
                  "line 3: o= appears twice");
    check_refused(session_with("x=unknown"), "line 4: unknown line type 'x='");
    check_refused(minimal_offer("t=0 0\r\n"), "line 8: 't=' is not allowed after the first m=");
    check_refused(minimal_offer("c=IN IP4 10.0.0.1\r\nc=IN IP4 10.0.0.2\r\n"),
                  "line 9: c= appears twice");
    check_refused(session_with("r=7d 1h 0 25h"), "r= comes before any t= line");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 4000 RTP/AVP 0",
                         "m=audio 4002 RTP/AVP 8", "c=IN IP4 10.0.0.1"}),
                  "m= line 1 (audio, port 4000) has no c= line");
}

SCENARIO("malformed o=, c=, b= and t= lines", "[sdp][parser][hostile]") {
    const auto with_origin = [](const std::string& o) {
        return lines({"v=0", o, "s=-", "c=IN IP4 10.0.0.1", "t=0 0"});
    };
    check_refused(with_origin("o=- 1 1 IN IP4"), "o= needs 6 fields");
    check_refused(with_origin("o=- 12ab 1 IN IP4 10.0.0.1"),
                  "o= session id '12ab' is not a number");
    check_refused(with_origin("o=- 1 -1 IN IP4 10.0.0.1"), "o= session version '-1'");
    check_refused(with_origin("o=- 1 99999999999999999999 IN IP4 10.0.0.1"),
                  "is not a 64-bit number");
    check_refused(with_origin("o=- 1 1 ATM NSAP 47.0005"), "o= network type 'ATM' is not IN");
    check_refused(with_origin("o=- 1 1 IN IP5 10.0.0.1"), "o= address type 'IP5'");
    check_refused(session_with("c=IN IP4 999.1.1.1"), "c= address '999.1.1.1' is not a valid IPv4");
    check_refused(session_with("c=IN IP4 10.0.0"), "is not a valid IPv4");
    check_refused(session_with("c=IN IP4 2001:db8::1"), "is not a valid IPv4");
    check_refused(session_with("c=IN IP6 2001:db8:::1"), "is not a valid IPv6");
    check_refused(session_with("c=IN IP6 10.0.0.1"), "is not a valid IPv6");
    check_refused(session_with("c=IN IP4 " + std::string(200, '1')), "is not a valid IPv4");
    check_refused(session_with("c=IN IP4"), "c= needs 3 fields");
    check_refused(session_with("c=IN IP4 10.0.0.1 extra"), "c= needs 3 fields");
    check_refused(session_with("c=ATM E164 123"), "c= network type 'ATM' is not IN");
    check_refused(session_with("b=AS"), "is not <type>:<bandwidth>");
    check_refused(session_with("b=AS:lots"), "b= bandwidth 'lots' is not a number");
    check_refused(session_with("b=AS:-1"), "b= bandwidth '-1'");
    check_refused(session_with("b=:64"), "b= type '' is not a token");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=now later"}),
                  "t= times 'now later' are not two decimal numbers");
    check_refused(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0"}), "t= needs 2 fields");
}

SCENARIO("malformed m= lines", "[sdp][parser][hostile]") {
    const auto with_m = [](const std::string& m) {
        return lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0", m});
    };
    check_refused(with_m("m=audio 4000 RTP/AVP"), "m= needs <media> <port> <proto> and at least");
    check_refused(with_m("m=audio 65536 RTP/AVP 0"), "m= port '65536' is out of range 0..65535");
    check_refused(with_m("m=audio -1 RTP/AVP 0"), "m= port '-1' is out of range");
    check_refused(with_m("m=audio +4000 RTP/AVP 0"), "m= port '+4000'");
    check_refused(with_m("m=audio four RTP/AVP 0"), "m= port 'four'");
    check_refused(with_m("m=audio 99999999999999999999999 RTP/AVP 0"), "is out of range");
    check_refused(with_m("m=audio 4000/0 RTP/AVP 0"), "m= port count '0' is out of range 1..16");
    check_refused(with_m("m=audio 4000/65536 RTP/AVP 0"), "m= port count '65536'");
    check_refused(with_m("m=audio 4000/ RTP/AVP 0"), "m= port count ''");
    check_refused(with_m("m=audio 4000 RTP//AVP 0"), "m= proto 'RTP//AVP' is not valid");
    check_refused(with_m("m=audio 4000 RTP/AVP 128"),
                  "m= payload type '128' is not a number in 0..127");
    check_refused(with_m("m=audio 4000 RTP/AVP 0 PCMU"), "m= payload type 'PCMU'");
    check_refused(with_m("m=audio 4000 RTP/AVP -1"), "m= payload type '-1'");
    check_refused(with_m("m=aud:io 4000 RTP/AVP 0"), "m= media 'aud:io' is not a token");
    check_refused(with_m("m=image 4000 udptl t38;x"), "m= format 't38;x' is not a token");
}

SCENARIO("malformed attributes", "[sdp][parser][hostile]") {
    const auto attr = [](const std::string& a) { return minimal_offer(a + "\r\n"); };
    check_refused(attr("a=rtpmap:0"), "a=rtpmap '0' is not <pt> <codec>");
    check_refused(attr("a=rtpmap:200 PCMU/8000"), "a=rtpmap payload type '200' is not a number");
    check_refused(attr("a=rtpmap:x PCMU/8000"), "a=rtpmap payload type 'x'");
    check_refused(attr("a=rtpmap:0 PCMU"), "a=rtpmap '0 PCMU' has no clock rate");
    check_refused(attr("a=rtpmap:0 PCMU/0"), "a=rtpmap clock rate '0' is out of range 1..1000000");
    check_refused(attr("a=rtpmap:0 PCMU/5000000"), "clock rate '5000000' is out of range");
    check_refused(attr("a=rtpmap:0 PCMU/eight"), "clock rate 'eight'");
    check_refused(attr("a=rtpmap:0 PCMU/8000/0"), "a=rtpmap channels '0' is out of range 1..64");
    check_refused(attr("a=rtpmap:0 PCMU/8000/1000"), "channels '1000'");
    check_refused(attr("a=rtpmap:0 PC\"MU/8000"), "a=rtpmap encoding 'PC\"MU' is not a token");
    check_refused(attr("a=rtpmap:101 telephone-event/8000"),
                  "a=rtpmap for payload type 101 appears twice");
    check_refused(attr("a=fmtp:300 x=1"), "a=fmtp payload type '300'");
    check_refused(attr("a=fmtp:0 x=1\r\na=fmtp:0 y=2"), "a=fmtp for payload type 0 appears twice");
    check_refused(attr("a=ptime:0"), "a=ptime '0' is not a number of milliseconds in 1..1000");
    check_refused(attr("a=ptime:abc"), "a=ptime 'abc'");
    check_refused(attr("a=ptime:20ms"), "a=ptime '20ms'");
    check_refused(attr("a=ptime:5000"), "a=ptime '5000'");
    check_refused(attr("a=maxptime:-20"), "a=maxptime '-20'");
    check_refused(attr("a=ptime:20\r\na=ptime:30"), "a=ptime appears twice");
    check_refused(attr("a=ptime"), "a=ptime needs a value");
    check_refused(attr("a=rtcp:70000"), "a=rtcp port '70000' is out of range");
    check_refused(attr("a=rtcp:4001 IN IP4"), "a=rtcp '4001 IN IP4' is not <port>");
    check_refused(attr("a=rtcp:4001 IN IP4 not-an-ip"), "a=rtcp: c= address 'not-an-ip'");
    check_refused(attr("a=rtcp:4001\r\na=rtcp:4003"), "a=rtcp appears twice");
    check_refused(attr("a=sendonly\r\na=recvonly"),
                  "a=recvonly conflicts with an earlier a=sendonly");
    check_refused(attr("a=sendrecv:yes"), "a=sendrecv takes no value");
    check_refused(attr("a=rtcp-mux:1"), "a=rtcp-mux takes no value");
    check_refused(attr("a="), "attribute name '' is invalid");
    check_refused(attr("a=bad name:1"), "attribute name 'bad name' is invalid");
    check_refused(
        lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "a=inactive", "a=sendrecv"}),
        "line 6: a=sendrecv conflicts");
}

SCENARIO("error messages quote hostile text harmlessly", "[sdp][parser][hostile]") {
    const auto sd = parse(lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0",
                                 "c=IN IP4 \xc3\xa9vil'\\" + std::string(100, 'x')}));
    REQUIRE_FALSE(sd.ok());
    for (char c : sd.message()) {
        CHECK((c >= 0x20 && c < 0x7f));
    }
    CHECK(sd.message().find("\\xc3\\xa9vil\\x27\\x5c") != std::string::npos);
    CHECK(sd.message().find("...") != std::string::npos);
    CHECK(sd.message().size() < 200);
}
