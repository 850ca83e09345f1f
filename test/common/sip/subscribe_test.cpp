// SUBSCRIBE answered on the SIP thread (202, 406, 489) and NOTIFY sent through the stack.
#include <catch2/catch.hpp>

#include "common/sip/sip_stack.hpp"
#include "test/common/sip/sip_test_peer.hpp"

using namespace sidebar::sip::test;
using sidebar::sip::EventKind;

namespace {

std::string subscribe(uint16_t to, uint16_t from, const std::string& call, const std::string& event,
                      const std::string& accept) {
    std::string extra = "Event: " + event + "\r\nExpires: 600\r\n";
    if (!accept.empty()) extra += "Accept: " + accept + "\r\n";
    return request("SUBSCRIBE", to, from, call, 1, extra);
}

// The answer to a request we received: echo its Via/From/To/Call-ID/CSeq.
std::string answer_200(const std::string& request_text) {
    std::string out = "SIP/2.0 200 OK\r\n";
    for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
        out += std::string(name) + ": " + header_value(request_text, name) + "\r\n";
    }
    return out + "Content-Length: 0\r\n\r\n";
}

}  // namespace

TEST_CASE("a conference SUBSCRIBE is accepted and NOTIFY carries the body", "[sip]") {
    Recorder recorder;
    const sidebar::sip::StackConfig config = test_stack_config();
    auto stack = sidebar::sip::Stack::start(config, recorder);
    REQUIRE(stack);
    UdpPeer peer;

    SECTION("accepted, notified, ended") {
        peer.send(config.port, subscribe(config.port, peer.port, "sub1", "conference",
                                         "application/conference-info+xml"));
        const std::string accepted = peer.receive("SIP/2.0 202");
        REQUIRE(!accepted.empty());
        CHECK(header_value(accepted, "Expires") == "600");
        auto event = recorder.wait_for(EventKind::incoming_subscribe);
        REQUIRE(event);
        CHECK(event->status == 202);
        CHECK(event->expires == 600);
        CHECK(event->request_user == "conf=1000");

        (*stack)->notify(event->handle, "<conference-info/>");
        std::string notify = peer.receive("NOTIFY ");
        REQUIRE(!notify.empty());
        CHECK(header_value(notify, "Subscription-State").rfind("active", 0) == 0);
        CHECK(header_value(notify, "Content-Type") == "application/conference-info+xml");
        CHECK(notify.find("<conference-info/>") != std::string::npos);
        peer.send(config.port, answer_200(notify));

        (*stack)->notify(event->handle, "", true, "noresource");
        notify = peer.receive("NOTIFY ");
        REQUIRE(!notify.empty());
        CHECK(header_value(notify, "Subscription-State").rfind("terminated", 0) == 0);
        peer.send(config.port, answer_200(notify));
    }
    SECTION("an Accept without our body type gets 406") {
        peer.send(config.port,
                  subscribe(config.port, peer.port, "sub2", "conference", "text/plain"));
        CHECK(!peer.receive("SIP/2.0 406").empty());
    }
    SECTION("another event package gets 489") {
        peer.send(config.port, subscribe(config.port, peer.port, "sub3", "presence", ""));
        CHECK(!peer.receive("SIP/2.0 489").empty());
    }
    (*stack)->stop();
}
