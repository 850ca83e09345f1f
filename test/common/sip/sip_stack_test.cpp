// The SIP thread with real sofia-sip on loopback: requests sent as raw UDP datagrams, events
// seen by the listener, answers given from another thread.
#include "common/sip/sip_stack.hpp"
#include "test/common/sip/sip_test_peer.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

using namespace sidebar::sip::test;
using sidebar::sip::EventKind;

TEST_CASE("a call through the SIP thread: INVITE answered from another thread, then BYE", "[sip]") {
    Recorder recorder;
    const sidebar::sip::StackConfig config = test_stack_config();
    auto stack = sidebar::sip::Stack::start(config, recorder);
    REQUIRE(stack);

    UdpPeer peer;
    SECTION("OPTIONS is answered by the stack") {
        peer.send(config.port, request("OPTIONS", config.port, peer.port, "opt1", 1));
        CHECK(peer.receive("SIP/2.0 200").size() > 0);
    }
    SECTION("INVITE, 200 with our Contact and body, ACK, BYE") {
        const std::string sdp =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
        peer.send(config.port, request("INVITE", config.port, peer.port, "call1", 1,
                                       "X-Join-Token: v1.abc\r\n", sdp));
        auto invite = recorder.wait_for(EventKind::incoming_invite);
        REQUIRE(invite);
        CHECK(invite->new_handle);
        CHECK(invite->request_user == "conf=1000");
        CHECK(invite->call_id == "call1");
        CHECK(invite->from.display == "Alice");
        CHECK(invite->body == sdp);
        CHECK(invite->content_type == "application/sdp");
        CHECK(invite->transport == "udp");
        CHECK(invite->source_address == "127.0.0.1");
        CHECK(invite->source_port == peer.port);
        REQUIRE(invite->header("x-join-token"));
        CHECK(*invite->header("x-join-token") == "v1.abc");

        sidebar::sip::ResponseOptions options;
        options.content_type = "application/sdp";
        options.body = sdp;
        options.contact = "<sip:conf=1000@127.0.0.1:" + std::to_string(config.port) + ">;isfocus";
        options.headers.push_back({"Allow-Events", "conference"});
        std::thread other([&] { (*stack)->respond(invite->handle, 200, options); });
        other.join();
        const std::string ok = peer.receive("SIP/2.0 200");
        REQUIRE(!ok.empty());
        CHECK(header_value(ok, "Contact").find("isfocus") != std::string::npos);
        CHECK(header_value(ok, "Contact").find("conf=1000") != std::string::npos);
        CHECK(ok.find("m=audio 40000") != std::string::npos);
        std::string to_tag = header_value(ok, "To");
        to_tag = to_tag.substr(to_tag.find("tag=") + 4);

        peer.send(config.port, request("ACK", config.port, peer.port, "call1", 1, {}, {}, to_tag));
        CHECK(recorder.wait_for(EventKind::incoming_ack));
        peer.send(config.port, request("BYE", config.port, peer.port, "call1", 2, {}, {}, to_tag));
        CHECK(recorder.wait_for(EventKind::incoming_bye));
        CHECK(peer.receive("SIP/2.0 200").size() > 0);
        bool terminated = false;
        for (int i = 0; i < 5 && !terminated; ++i) {
            auto state = recorder.wait_for(EventKind::call_state);
            REQUIRE(state);
            terminated = state->call_state == sidebar::sip::CallState::terminated;
        }
        CHECK(terminated);
    }
    SECTION("an answer for a handle that is gone is ignored") {
        (*stack)->respond(987654, 200);
        peer.send(config.port, request("OPTIONS", config.port, peer.port, "opt2", 1));
        CHECK(peer.receive("SIP/2.0 200").size() > 0);
    }
    (*stack)->stop();
}

TEST_CASE("a port already in use is a start-up error naming the address", "[sip]") {
    UdpPeer holder;
    Recorder recorder;
    sidebar::sip::StackConfig config;
    config.port = holder.port;
    config.tcp = false;
    auto stack = sidebar::sip::Stack::start(config, recorder);
    REQUIRE_FALSE(stack);
    CHECK(stack.error().message.find(std::to_string(holder.port)) != std::string::npos);
}
