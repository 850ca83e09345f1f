// Our side of an exchange: Capabilities validation, make_offer, and process_answer on the
// answers real peers (and RFC 4317) give.
#include <catch2/catch.hpp>

#include "common/sdp/offer_answer.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_writer.hpp"
#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;
using Kind = sidebar::codec::Kind;

namespace {

SessionDescription parsed(const std::string& text) {
    auto sd = parse(text);
    INFO(text);
    REQUIRE(sd.ok());
    return std::move(sd).value();
}

// An answer to make_offer's default offer from a peer that lists `m_line` and its attributes.
SessionDescription answer_with(const std::string& m_and_attributes,
                               const std::string& address = "10.9.9.9") {
    return parsed(sdp_test::lines({"v=0", "o=peer 5 5 IN IP4 " + address, "s=-",
                                   "c=IN IP4 " + address, "t=0 0"}) +
                  m_and_attributes);
}

}  // namespace

SCENARIO("capabilities are checked with the key that is wrong", "[sdp][capabilities]") {
    CHECK(validate(Capabilities{}).ok());
    const auto refused = [](auto change, const std::string& fragment) {
        Capabilities caps;
        change(caps);
        const auto s = validate(caps);
        INFO(fragment);
        REQUIRE_FALSE(s.ok());
        CHECK(s.message().find(fragment) != std::string::npos);
    };
    refused([](Capabilities& c) { c.codecs.clear(); }, "codecs is empty");
    refused(
        [](Capabilities& c) {
            c.codecs = {Kind::pcmu, Kind::pcmu};
        },
        "codec PCMU is listed twice");
    refused([](Capabilities& c) { c.codecs = {static_cast<Kind>(42)}; },
            "codecs[0] is not a known codec");
    refused([](Capabilities& c) { c.ipv4_address = "localhost"; },
            "ipv4_address 'localhost' is not an IPv4 address");
    refused([](Capabilities& c) { c.ipv6_address = "10.0.0.1"; }, "ipv6_address '10.0.0.1'");
    refused([](Capabilities& c) { c.ipv4_address.clear(); }, "neither ipv4_address nor");
    refused([](Capabilities& c) { c.rtp_port = 0; }, "rtp_port 0 is out of range 1..65534");
    refused([](Capabilities& c) { c.rtp_port = 65535; }, "rtp_port 65535");
    refused([](Capabilities& c) { c.ptime = 25; }, "ptime 25 is not a multiple of 10 ms");
    refused([](Capabilities& c) { c.ptime = 0; }, "ptime 0");
    refused([](Capabilities& c) { c.opus_max_playback_rate = 44100; },
            "opus_max_playback_rate 44100");
    refused([](Capabilities& c) { c.origin_username = "two words"; }, "origin_username");
    refused([](Capabilities& c) { c.session_id = "abc"; }, "session_id 'abc' must be 1 to 32");
    refused([](Capabilities& c) { c.session_name = "bad\r\nname"; }, "session_name");
    refused([](Capabilities& c) { c.session_name.clear(); }, "session_name");
}

SCENARIO("our offer", "[sdp][make_offer]") {
    Capabilities caps;
    caps.ipv4_address = "192.0.2.10";
    caps.rtp_port = 30000;
    caps.session_id = "7";
    WHEN("the capabilities are the defaults") {
        const auto o = make_offer(caps, 2);
        REQUIRE(o.ok());
        CHECK(write(*o) ==
              "v=0\r\n"
              "o=sidebar 7 2 IN IP4 192.0.2.10\r\n"
              "s=sidebar\r\n"
              "c=IN IP4 192.0.2.10\r\n"
              "t=0 0\r\n"
              "m=audio 30000 RTP/AVP 96 9 0 8 101\r\n"
              "a=rtpmap:96 opus/48000/2\r\n"
              "a=fmtp:96 maxplaybackrate=16000;sprop-maxcapturerate=16000;useinbandfec=1\r\n"
              "a=rtpmap:9 G722/8000\r\n"
              "a=rtpmap:0 PCMU/8000\r\n"
              "a=rtpmap:8 PCMA/8000\r\n"
              "a=rtpmap:101 telephone-event/8000\r\n"
              "a=fmtp:101 0-15\r\n"
              "a=ptime:20\r\n"
              "a=sendrecv\r\n");
        CHECK(*parse(write(*o)) == *o);
    }
    WHEN("IPv6 only, inactive (a sidebar's controlling leg), rtcp-mux, no FEC, no events") {
        caps.ipv4_address.clear();
        caps.ipv6_address = "2001:db8::10";
        caps.direction = Direction::inactive;
        caps.rtcp_mux = true;
        caps.opus_fec = false;
        caps.telephone_event = false;
        caps.codecs = {Kind::opus, Kind::pcma};
        const auto o = make_offer(caps, 1);
        REQUIRE(o.ok());
        CHECK(o->connection->addr_type == AddrType::ip6);
        const MediaDescription& m = o->media.at(0);
        CHECK(m.formats == std::vector<std::string>{"96", "8"});
        CHECK(m.fmtps.at(96).raw == "maxplaybackrate=16000;sprop-maxcapturerate=16000");
        CHECK(m.direction == Direction::inactive);
        CHECK(m.rtcp_mux);
    }
    WHEN("the capabilities are broken") {
        caps.rtp_port = 0;
        const auto o = make_offer(caps, 1);
        REQUIRE_FALSE(o.ok());
        CHECK(o.message() == "sdp capabilities: rtp_port 0 is out of range 1..65534");
    }
}

SCENARIO("answers to our offer", "[sdp][process_answer]") {
    Capabilities caps;
    caps.rtcp_mux = true;
    const SessionDescription offer = *make_offer(caps, 1);

    WHEN("the peer is another instance of us with other preferences") {
        Capabilities peer;
        peer.ipv4_address = "10.1.1.1";
        peer.rtp_port = 40000;
        peer.rtcp_mux = true;
        peer.codecs = {Kind::pcma, Kind::g722};
        const auto answered = negotiate_answer(offer, peer, 9);
        REQUIRE(answered.ok());
        const auto n = process_answer(offer, parsed(write(answered->answer)));
        REQUIRE(n.ok());
        CHECK(n->codec.kind == Kind::pcma);
        CHECK(n->codec.payload_type == 8);
        CHECK(n->telephone_event->payload_type == 101);
        CHECK(n->remote_address == "10.1.1.1");
        CHECK(n->remote_rtp_port == 40000);
        CHECK(n->rtcp_mux);
        CHECK(n->remote_rtcp_port == 40000);
        CHECK(n->direction == Direction::sendrecv);
        CHECK(n->answer.origin.session_version == 9);
    }
    WHEN("the answer renumbers opus and lists a codec we did not offer first") {
        const auto n = process_answer(
            offer, answer_with(sdp_test::lines(
                       {"m=audio 5000 RTP/AVP 18 111 102", "a=rtpmap:111 opus/48000/2",
                        "a=fmtp:111 useinbandfec=1;maxplaybackrate=16000",
                        "a=rtpmap:102 telephone-event/8000", "a=ptime:40", "a=recvonly"})));
        REQUIRE(n.ok());
        CHECK(n->codec.kind == Kind::opus);
        CHECK(n->codec.payload_type == 111);       // what we send
        CHECK(n->codec.local_payload_type == 96);  // what we receive
        CHECK(n->codec.opus.useinbandfec);
        CHECK(n->codec.opus.maxplaybackrate == 16000);
        CHECK(n->telephone_event->payload_type == 102);
        CHECK(n->telephone_event->local_payload_type == 101);
        CHECK(n->remote_ptime == 40);
        CHECK(n->direction == Direction::sendonly);
        CHECK_FALSE(n->rtcp_mux);
        CHECK(n->remote_rtcp_port == 5001);
    }
    WHEN("the answer puts us on hold the old way") {
        const auto n = process_answer(offer, answer_with("m=audio 5000 RTP/AVP 0\r\n", "0.0.0.0"));
        REQUIRE(n.ok());
        CHECK(n->direction == Direction::recvonly);
        CHECK(n->is_hold());
    }
    WHEN("the answer is wrong") {
        const auto check = [&](const SessionDescription& answer, int code,
                               const std::string& reason) {
            const auto n = process_answer(offer, answer);
            REQUIRE_FALSE(n.ok());
            CHECK(n.warning_code() == code);
            CHECK(n.reason() == reason);
        };
        check(answer_with("m=audio 5000 RTP/AVP 18\r\n"), 305,
              "the answer has no codec we offered: it lists G729; we offered opus, G722, PCMU, "
              "PCMA, telephone-event");
        check(answer_with("m=audio 5000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n"), 305,
              "the answer has no codec we offered: it lists telephone-event; we offered opus, "
              "G722, PCMU, PCMA, telephone-event");
        check(answer_with("m=audio 0 RTP/AVP 0\r\n"), 304,
              "the answer rejected our audio stream (port 0)");
        check(answer_with("m=audio 5000 RTP/SAVP 0\r\n"), 302,
              "the answer changed the audio proto from RTP/AVP to RTP/SAVP");
        check(answer_with("m=video 5000 RTP/AVP 31\r\n"), 304,
              "m= line 1 is video in the answer but audio in our offer");
        check(answer_with("m=audio 5000 RTP/AVP 0\r\nm=video 0 RTP/AVP 31\r\n"), 399,
              "the answer has 2 m= lines, our offer had 1");
        check(answer_with(""), 399, "the answer has 0 m= lines, our offer had 1");
    }
}

SCENARIO("RFC 4317 2.1: our audio and video offer, answered with PCMU and MPV",
         "[sdp][process_answer]") {
    const auto offer = parsed(sdp_test::fixture("offers/rfc4317-2.1-audio-video.sdp"));
    const auto answer = parsed(sdp_test::fixture("answers/rfc4317-2.1-audio-video.sdp"));
    const auto n = process_answer(offer, answer);
    REQUIRE(n.ok());
    CHECK(n->codec.kind == Kind::pcmu);
    CHECK(n->codec.payload_type == 0);
    CHECK(n->media_index == 0);
    CHECK(n->remote_address == "192.0.2.201");
    CHECK(n->remote_rtp_port == 49174);
    CHECK(n->remote_rtcp_port == 49175);
    CHECK_FALSE(n->telephone_event);
}
