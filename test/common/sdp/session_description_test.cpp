// The lookups over the SDP value types: static payload types, rtpmap precedence, fmtp splitting,
// proto families and the session-level fallbacks.
#include "common/sdp/session_description.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::sdp;

SCENARIO("static payload types are known without a=rtpmap", "[sdp]") {
    CHECK(static_payload_type(0) == RtpMap{"PCMU", 8000, 1});
    CHECK(static_payload_type(8) == RtpMap{"PCMA", 8000, 1});
    // G.722 samples at 16 kHz but its RTP clock is 8000 (RFC 3551 4.5.2).
    CHECK(static_payload_type(9) == RtpMap{"G722", 8000, 1});
    CHECK(static_payload_type(18) == RtpMap{"G729", 8000, 1});
    CHECK_FALSE(static_payload_type(2));
    CHECK_FALSE(static_payload_type(96));
    CHECK_FALSE(static_payload_type(-1));

    MediaDescription m;
    m.rtpmaps.emplace(96, RtpMap{"opus", 48000, 2});
    m.rtpmaps.emplace(8, RtpMap{"G726-32", 8000, 1});
    CHECK(find_rtpmap(m, 96) == RtpMap{"opus", 48000, 2});
    CHECK(find_rtpmap(m, 0) == RtpMap{"PCMU", 8000, 1});
    CHECK(find_rtpmap(m, 8)->encoding == "G726-32");  // a=rtpmap wins over the static table
    CHECK_FALSE(find_rtpmap(m, 97));
}

SCENARIO("payload type strings", "[sdp]") {
    CHECK(payload_type_of("0") == 0);
    CHECK(payload_type_of("127") == 127);
    CHECK_FALSE(payload_type_of("128"));
    CHECK_FALSE(payload_type_of("t38"));
    CHECK_FALSE(payload_type_of(""));
    CHECK_FALSE(payload_type_of("-1"));
}

SCENARIO("fmtp parameters", "[sdp]") {
    const Fmtp f = make_fmtp(" Mode=30 ; annexb=no;;flag; =x; mode=20 ");
    CHECK(f.raw == " Mode=30 ; annexb=no;;flag; =x; mode=20 ");
    CHECK(f.param("mode") == "30");  // first of duplicates, keys case-insensitive
    CHECK(f.param("MODE") == "30");
    CHECK(f.param("annexb") == "no");
    CHECK(f.param("flag") == "");
    CHECK_FALSE(f.param("x"));
    CHECK(f.params.size() == 3);
    CHECK(make_fmtp("0-15").params.count("0-15") == 1);
    CHECK(make_fmtp("").params.empty());
}

SCENARIO("proto families", "[sdp]") {
    for (const char* p : {"RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF",
                          "TCP/RTP/AVP", "rtp/avp"}) {
        CHECK(is_rtp_proto(p));
    }
    for (const char* p : {"udptl", "TCP/MSRP", "UDP/BFCP", "RTP", ""})
        CHECK_FALSE(is_rtp_proto(p));
    CHECK(is_secure_proto("RTP/SAVP"));
    CHECK(is_secure_proto("UDP/TLS/RTP/SAVPF"));
    CHECK_FALSE(is_secure_proto("RTP/AVP"));
    CHECK_FALSE(is_secure_proto("RTP/AVPF"));
}

SCENARIO("media-level values override the session's", "[sdp]") {
    SessionDescription sd;
    MediaDescription m;
    CHECK(effective_direction(sd, m) == Direction::sendrecv);
    CHECK(effective_connection(sd, m) == nullptr);
    sd.direction = Direction::inactive;
    sd.connection = Connection{"IN", AddrType::ip4, "10.0.0.1"};
    CHECK(effective_direction(sd, m) == Direction::inactive);
    CHECK(effective_connection(sd, m)->address == "10.0.0.1");
    m.direction = Direction::sendonly;
    m.connection = Connection{"IN", AddrType::ip6, "::1"};
    CHECK(effective_direction(sd, m) == Direction::sendonly);
    CHECK(effective_connection(sd, m)->address == "::1");
    CHECK(to_string(AddrType::ip6) == "IP6");
}
