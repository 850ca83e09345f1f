// negotiate_answer: each real phone's offer gets the expected codec, payload type, transport and
// direction; refusals carry the right warning code and a reason that says what was offered.
#include "common/sdp/offer_answer.hpp"

#include <catch2/catch.hpp>

#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_writer.hpp"
#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;
using Kind = sidebar::codec::Kind;

namespace {

SessionDescription offer(const std::string& name) {
    auto sd = parse(sdp_test::fixture("offers/" + name));
    REQUIRE(sd.ok());
    return std::move(sd).value();
}

Capabilities dual_stack() {
    Capabilities caps;
    caps.ipv4_address = "192.0.2.10";
    caps.ipv6_address = "2001:db8::10";
    caps.rtp_port = 20000;
    return caps;
}

struct Expected {
    std::string fixture;
    Kind kind;
    int payload_type;
    int clock_rate;
    std::optional<int> te_payload_type;
    std::size_t media_index;
    Direction direction;
};

}  // namespace

SCENARIO("each phone's offer negotiates to the codec we prefer among those it lists",
         "[sdp][offer_answer]") {
    const std::vector<Expected> table{
        {"baresip-1.0.0.sdp", Kind::opus, 96, 48000, 101, 0, Direction::sendrecv},
        {"linphone.sdp", Kind::opus, 96, 48000, 101, 0, Direction::sendrecv},
        {"polycom.sdp", Kind::g722, 9, 8000, 127, 0, Direction::sendrecv},
        {"cisco.sdp", Kind::pcmu, 0, 8000, 101, 0, Direction::sendrecv},
        {"yealink.sdp", Kind::g722, 9, 8000, 101, 0, Direction::sendrecv},
        {"hold-sendonly.sdp", Kind::g722, 9, 8000, 101, 0, Direction::recvonly},
        {"hold-rfc2543.sdp", Kind::pcmu, 0, 8000, 101, 0, Direction::recvonly},
        {"inactive.sdp", Kind::pcmu, 0, 8000, 101, 0, Direction::inactive},
        {"ipv6.sdp", Kind::g722, 9, 8000, 101, 0, Direction::sendrecv},
        {"rfc4317-2.1-audio-video.sdp", Kind::pcmu, 0, 8000, std::nullopt, 0, Direction::sendrecv},
        {"rfc4317-2.4-two-audio.sdp", Kind::pcmu, 0, 8000, std::nullopt, 0, Direction::sendrecv},
        {"video-audio.sdp", Kind::g722, 9, 8000, 101, 1, Direction::sendrecv},
        {"rfc4566-all-lines.sdp", Kind::pcmu, 0, 8000, std::nullopt, 0, Direction::sendonly},
    };
    for (const auto& e : table) {
        INFO(e.fixture);
        const SessionDescription o = offer(e.fixture);
        const auto n = negotiate_answer(o, dual_stack(), 3);
        REQUIRE(n.ok());
        CHECK(n.warning_code() == 0);
        CHECK(n->codec.kind == e.kind);
        CHECK(n->codec.payload_type == e.payload_type);
        CHECK(n->codec.local_payload_type == e.payload_type);
        CHECK(n->codec.clock_rate == e.clock_rate);
        CHECK(n->media_index == e.media_index);
        CHECK(n->direction == e.direction);
        CHECK(n->is_hold() == !sends(e.direction));
        if (e.te_payload_type) {
            REQUIRE(n->telephone_event);
            CHECK(n->telephone_event->payload_type == *e.te_payload_type);
        } else {
            CHECK_FALSE(n->telephone_event);
        }
        // The answer keeps every m= line, in order; only ours is live.
        const SessionDescription& a = n->answer;
        REQUIRE(a.media.size() == o.media.size());
        for (std::size_t i = 0; i < a.media.size(); ++i) {
            CHECK(a.media[i].media == o.media[i].media);
            CHECK(a.media[i].proto == o.media[i].proto);
            CHECK(a.media[i].port == (i == e.media_index ? 20000 : 0));
        }
        CHECK(a.media[e.media_index].formats.front() == std::to_string(e.payload_type));
        CHECK(a.media[e.media_index].direction == e.direction);
        CHECK(a.origin.session_version == 3);
        CHECK(a.timings == o.timings);
        // What we send is valid SDP that reads back the same.
        const auto reparsed = parse(write(a));
        REQUIRE(reparsed.ok());
        CHECK(*reparsed == a);
    }
}

SCENARIO("the answer to baresip, line by line", "[sdp][offer_answer]") {
    const auto n = negotiate_answer(offer("baresip-1.0.0.sdp"), dual_stack(), 1);
    REQUIRE(n.ok());
    CHECK(write(n->answer) ==
          "v=0\r\n"
          "o=sidebar 1 1 IN IP4 192.0.2.10\r\n"
          "s=sidebar\r\n"
          "c=IN IP4 192.0.2.10\r\n"
          "t=0 0\r\n"
          "m=audio 20000 RTP/AVP 96 101\r\n"
          "a=rtpmap:96 opus/48000/2\r\n"
          "a=fmtp:96 maxplaybackrate=16000;sprop-maxcapturerate=16000;useinbandfec=1\r\n"
          "a=rtpmap:101 telephone-event/8000\r\n"
          "a=fmtp:101 0-15\r\n"
          "a=ptime:20\r\n"
          "a=sendrecv\r\n");
    CHECK(n->remote_address == "192.0.2.2");
    CHECK(n->remote_rtp_port == 16016);
    CHECK(n->remote_rtcp_port == 16017);
    CHECK(n->remote_rtcp_address == "192.0.2.2");
    CHECK(n->remote_ptime == 20);
    CHECK_FALSE(n->rtcp_mux);
    CHECK(n->codec.channels == 2);
    CHECK(n->codec.fmtp == "stereo=1;sprop-stereo=1");
    CHECK(n->codec.opus.stereo);
    CHECK(n->codec.opus.sprop_stereo);
    CHECK_FALSE(n->codec.opus.useinbandfec);
    CHECK(n->codec.opus.maxplaybackrate == 48000);
    CHECK(n->telephone_event->clock_rate == 8000);
    CHECK(n->telephone_event->events == "0-15");
}

SCENARIO("transport details of the remote end", "[sdp][offer_answer]") {
    WHEN("Linphone names its RTCP port and offers telephone-event at three rates") {
        const auto n = negotiate_answer(offer("linphone.sdp"), dual_stack());
        REQUIRE(n.ok());
        CHECK(n->remote_rtcp_port == 7079);
        CHECK(n->codec.opus.useinbandfec);
        // The event clock that matches Opus's RTP clock wins over 8000.
        CHECK(n->telephone_event->clock_rate == 48000);
        CHECK(n->telephone_event->payload_type == 101);
    }
    WHEN("the offer is IPv6 with a=rtcp naming its address") {
        const auto n = negotiate_answer(offer("ipv6.sdp"), dual_stack());
        REQUIRE(n.ok());
        CHECK(n->remote_addr_type == AddrType::ip6);
        CHECK(n->remote_address == "2001:db8:85a3::8a2e:370:7334");
        CHECK(n->remote_rtcp_port == 40001);
        CHECK(n->answer.connection->addr_type == AddrType::ip6);
        CHECK(n->answer.connection->address == "2001:db8::10");
        CHECK(n->answer.origin.addr_type == AddrType::ip6);
    }
    WHEN("both sides do rtcp-mux") {
        Capabilities caps = dual_stack();
        caps.rtcp_mux = true;
        const auto muxed = sdp_test::minimal_offer("a=rtcp-mux\r\n");
        const auto n = negotiate_answer(*parse(muxed), caps);
        REQUIRE(n.ok());
        CHECK(n->rtcp_mux);
        CHECK(n->remote_rtcp_port == 4000);
        CHECK(n->answer.media[0].rtcp_mux);
        caps.rtcp_mux = false;
        const auto plain = negotiate_answer(*parse(muxed), caps);
        REQUIRE(plain.ok());
        CHECK_FALSE(plain->rtcp_mux);
        CHECK(plain->remote_rtcp_port == 4001);
        CHECK_FALSE(plain->answer.media[0].rtcp_mux);
    }
    WHEN("the RTP port is 65535 and there is no a=rtcp") {
        auto o = *parse(sdp_test::minimal_offer());
        o.media[0].port = 65535;
        const auto n = negotiate_answer(o, dual_stack());
        REQUIRE(n.ok());
        CHECK(n->remote_rtcp_port == 0);
    }
}

SCENARIO("codec choice", "[sdp][offer_answer]") {
    WHEN("we prefer PCMA and the offer lists PCMU first") {
        Capabilities caps = dual_stack();
        caps.codecs = {Kind::pcma, Kind::pcmu};
        const auto n = negotiate_answer(offer("yealink.sdp"), caps);
        REQUIRE(n.ok());
        CHECK(n->codec.kind == Kind::pcma);
        CHECK(n->codec.payload_type == 8);
    }
    WHEN("the offer numbers opus 111, as browsers do, and spells PCMU in lower case") {
        const auto o = parse(sdp_test::lines(
            {"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
             "m=audio 4000 RTP/AVP 111 0", "a=rtpmap:111 OPUS/48000/2", "a=rtpmap:0 pcmu/8000"}));
        Capabilities caps = dual_stack();
        const auto n = negotiate_answer(*o, caps);
        REQUIRE(n.ok());
        CHECK(n->codec.payload_type == 111);
        CHECK(n->answer.media[0].formats == std::vector<std::string>{"111"});
        CHECK(n->answer.media[0].rtpmaps.at(111).clock_rate == 48000);
        caps.codecs = {Kind::pcmu};
        CHECK(negotiate_answer(*o, caps)->codec.kind == Kind::pcmu);
    }
    WHEN("the proto is spelled in lower case") {
        const auto o =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1",
                                   "t=0 0", "m=audio 4000 rtp/avp 8"}));
        const auto n = negotiate_answer(*o, dual_stack());
        REQUIRE(n.ok());
        CHECK(n->codec.kind == Kind::pcma);
        CHECK(n->answer.media[0].proto == "rtp/avp");
    }
    WHEN("a dynamic payload type redefines a static one") {
        const auto o = parse(sdp_test::minimal_offer("a=rtpmap:0 G729/8000\r\n"));
        const auto n = negotiate_answer(*o, dual_stack());
        CHECK_FALSE(n.ok());
        CHECK(n.warning_code() == kWarnIncompatibleMediaFormat);
        CHECK(n.reason() ==
              "no common audio codec: offered G729; we support opus, G722, PCMU, PCMA");
    }
    WHEN("the offer has nothing but telephone-event and comfort noise, or unmapped types") {
        const auto o =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1",
                                   "t=0 0", "m=audio 4000 RTP/AVP 101 13"}) +
                  "a=rtpmap:101 telephone-event/8000\r\n");
        CHECK(negotiate_answer(*o, dual_stack()).reason() ==
              "no common audio codec: offered no audio codec; we support opus, G722, PCMU, PCMA");
        const auto unmapped =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1",
                                   "t=0 0", "m=audio 4000 RTP/AVP 96 2"}));
        CHECK(negotiate_answer(*unmapped, dual_stack()).reason() ==
              "no common audio codec: offered pt 96 (no rtpmap), pt 2 (no rtpmap); we support "
              "opus, G722, PCMU, PCMA");
    }
    WHEN("G.722 is offered at its sampling rate instead of its RTP clock") {
        const auto o =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1",
                                   "t=0 0", "m=audio 4000 RTP/AVP 9", "a=rtpmap:9 G722/16000"}));
        const auto n = negotiate_answer(*o, dual_stack());
        REQUIRE_FALSE(n.ok());
        CHECK(n.reason() ==
              "no common audio codec: offered G722/16000; we support opus, G722, PCMU, PCMA");
    }
    WHEN("telephone-event is off in our capabilities") {
        Capabilities caps = dual_stack();
        caps.telephone_event = false;
        const auto n = negotiate_answer(offer("cisco.sdp"), caps);
        REQUIRE(n.ok());
        CHECK_FALSE(n->telephone_event);
        CHECK(n->answer.media[0].formats == std::vector<std::string>{"0"});
    }
    WHEN("the offer's events go beyond 0-15 or miss them") {
        const auto o = parse(sdp_test::minimal_offer("a=fmtp:101 0-16,32\r\n"));
        const auto n = negotiate_answer(*o, dual_stack());
        REQUIRE(n.ok());
        CHECK(n->telephone_event->events == "0-16,32");
        CHECK(n->answer.media[0].fmtps.at(101).raw == "0-15");
        const auto flash_only = parse(sdp_test::minimal_offer("a=fmtp:101 16\r\n"));
        CHECK_FALSE(negotiate_answer(*flash_only, dual_stack())->telephone_event);
    }
}

SCENARIO("offers we refuse, with the warning code and a reason", "[sdp][offer_answer]") {
    struct Refused {
        std::string fixture;
        int code;
        std::string reason;
    };
    const std::vector<Refused> table{
        {"g729-only.sdp", 305,
         "no common audio codec: offered G729, iLBC; we support opus, G722, PCMU, PCMA"},
        {"srtp-only.sdp", 302,
         "audio is offered only as RTP/SAVP (SRTP), which we do not support yet; we need "
         "RTP/AVP"},
        {"webrtc.sdp", 302,
         "audio is offered only as UDP/TLS/RTP/SAVPF (SRTP), which we do not support yet; we "
         "need RTP/AVP"},
        {"t38-only.sdp", 304, "no audio stream in the offer (it has image)"},
    };
    for (const auto& r : table) {
        INFO(r.fixture);
        const auto n = negotiate_answer(offer(r.fixture), dual_stack());
        REQUIRE_FALSE(n.ok());
        CHECK(n.warning_code() == r.code);
        CHECK(n.reason() == r.reason);
    }
    CHECK(warning_text(305) == "Incompatible media format");
    CHECK(warning_text(304) == "Media type not available");

    WHEN("the offer's audio is IPv6 and we have only IPv4, or the other way round") {
        Capabilities v4 = dual_stack();
        v4.ipv6_address.clear();
        const auto n = negotiate_answer(offer("ipv6.sdp"), v4);
        REQUIRE_FALSE(n.ok());
        CHECK(n.warning_code() == kWarnIncompatibleNetworkAddress);
        CHECK(n.reason() == "the offered audio is IPv6 and we have no IPv6 media address");
        Capabilities v6 = dual_stack();
        v6.ipv4_address.clear();
        CHECK(negotiate_answer(offer("cisco.sdp"), v6).warning_code() == 301);
    }
    WHEN("the only audio stream is disabled, or there are no m= lines") {
        const auto disabled = parse(sdp_test::lines(
            {"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 0 RTP/AVP 0"}));
        const auto n = negotiate_answer(*disabled, dual_stack());
        CHECK(n.warning_code() == 304);
        CHECK(n.reason() == "the offered audio stream is disabled (port 0)");
        const auto none =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0"}));
        CHECK(negotiate_answer(*none, dual_stack()).reason() == "the offer has no m= lines");
    }
    WHEN("audio comes over a transport we do not do") {
        const auto o =
            parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1",
                                   "t=0 0", "m=audio 4000 TCP/RTP/AVP 0"}));
        const auto n = negotiate_answer(*o, dual_stack());
        CHECK(n.warning_code() == 302);
        CHECK(n.reason() == "audio is offered over TCP/RTP/AVP; we need RTP/AVP");
    }
    WHEN("our own configuration is broken") {
        Capabilities caps = dual_stack();
        caps.codecs.clear();
        const auto n = negotiate_answer(offer("cisco.sdp"), caps);
        CHECK(n.warning_code() == kWarnMiscellaneous);
        CHECK(n.reason() ==
              "our media configuration is invalid: sdp capabilities: codecs is empty");
    }
}

SCENARIO("a codec mismatch outranks an SRTP line beside it; best-effort SRTP falls back",
         "[sdp][offer_answer]") {
    const std::string head =
        sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0"});
    WHEN("the plain line has no codec of ours") {
        const auto o =
            parse(head + sdp_test::lines({"m=audio 4000 RTP/SAVP 0", "m=audio 4002 RTP/AVP 18"}));
        CHECK(negotiate_answer(*o, dual_stack()).warning_code() == 305);
    }
    WHEN("an SRTP line comes first and a plain one after (SDES best effort)") {
        const auto o =
            parse(head + sdp_test::lines({"m=audio 4000 RTP/SAVP 0", "m=audio 4002 RTP/AVP 0"}));
        const auto n = negotiate_answer(*o, dual_stack());
        REQUIRE(n.ok());
        CHECK(n->media_index == 1);
        CHECK(n->remote_rtp_port == 4002);
        CHECK(n->answer.media[0].port == 0);
        CHECK(n->answer.media[1].port == 20000);
    }
}

SCENARIO("reasons stay short, printable and safe to quote even for hostile offers",
         "[sdp][offer_answer][hostile]") {
    std::string m = "m=audio 4000 RTP/AVP";
    std::string maps;
    for (int pt = 64; pt < 128; ++pt) {
        m += " " + std::to_string(pt);
        maps += "a=rtpmap:" + std::to_string(pt) + " " + std::string(200, char('a' + pt % 26)) +
                "/8000\r\n";
    }
    const auto o = parse(sdp_test::lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-",
                                          "c=IN IP4 10.0.0.1", "t=0 0", m}) +
                         maps);
    REQUIRE(o.ok());
    const auto n = negotiate_answer(*o, dual_stack());
    REQUIRE_FALSE(n.ok());
    CHECK(n.warning_code() == 305);
    CHECK(n.reason().size() < 500);
    CHECK(n.reason().find(", ...;") != std::string::npos);
    for (char c : n.reason()) {
        CHECK((c >= 0x20 && c < 0x7f && c != '"' && c != '\\'));
    }
}
