// REFER answered on the SIP thread by the configured policy, and the sipfrag NOTIFYs of its
// implicit subscription (RFC 3515) sent through the stack.
#include <catch2/catch.hpp>

#include "common/sip/sip_stack.hpp"
#include "test/common/sip/sip_test_peer.hpp"

using namespace sidebar::sip::test;
using sidebar::sip::EventKind;

namespace {

std::string refer(uint16_t to, uint16_t from, const std::string& call, const std::string& target) {
    return request("REFER", to, from, call, 1, "Refer-To: <" + target + ">\r\n");
}

std::string answer_200(const std::string& request_text) {
    std::string out = "SIP/2.0 200 OK\r\n";
    for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
        out += std::string(name) + ": " + header_value(request_text, name) + "\r\n";
    }
    return out + "Content-Length: 0\r\n\r\n";
}

}  // namespace

TEST_CASE("REFER gets the policy's answer; an accepted one is reported by sipfrag NOTIFYs",
          "[sip]") {
    Recorder recorder;
    sidebar::sip::StackConfig config = test_stack_config();
    config.refer_policy = [](const sidebar::sip::Event& e) {
        return e.refer_to.find("member=1000.") != std::string::npos ? 202 : 403;
    };
    auto stack = sidebar::sip::Stack::start(config, recorder);
    REQUIRE(stack);
    UdpPeer peer;

    SECTION("accepted: 202, then NOTIFY 100 Trying (by nua) and 200 OK (terminated)") {
        peer.send(config.port,
                  refer(config.port, peer.port, "ref1", "sip:member=1000.3@127.0.0.1"));
        REQUIRE(!peer.receive("SIP/2.0 202").empty());
        auto event = recorder.wait_for(EventKind::incoming_refer);
        REQUIRE(event);
        CHECK(event->status == 202);
        CHECK(event->new_handle);
        CHECK(event->refer_to == "sip:member=1000.3@127.0.0.1");
        CHECK(event->refer_event.rfind("refer", 0) == 0);
        CHECK(event->request_user == "conf=1000");

        // nua itself sends the first NOTIFY of the implicit subscription: 100 Trying, pending.
        std::string notify = peer.receive("NOTIFY ");
        REQUIRE(!notify.empty());
        INFO(notify);
        CHECK(header_value(notify, "Event").rfind("refer", 0) == 0);
        CHECK(header_value(notify, "Content-Type").rfind("message/sipfrag", 0) == 0);
        CHECK(notify.find("\r\n\r\nSIP/2.0 100 Trying") != std::string::npos);
        peer.send(config.port, answer_200(notify));

        // Debian's nua sends that first NOTIFY again, same transaction, once the REFER is
        // answered (now "active"): a peer answers each copy, as any UA does.
        (*stack)->notify_refer(event->handle, event->refer_event, "SIP/2.0 200 OK", true);
        for (int copies = 0; copies < 5; ++copies) {
            notify = peer.receive("NOTIFY ");
            REQUIRE(!notify.empty());
            if (notify.find("SIP/2.0 100 Trying") == std::string::npos) break;
            peer.send(config.port, answer_200(notify));
        }
        CHECK(header_value(notify, "Subscription-State").rfind("terminated", 0) == 0);
        CHECK(notify.find("\r\n\r\nSIP/2.0 200 OK\r\n") != std::string::npos);
        peer.send(config.port, answer_200(notify));
        // The handle is released after the final NOTIFY's answer: a later NOTIFY goes nowhere.
        auto answered = recorder.wait_for(EventKind::response);
        REQUIRE(answered);
        (*stack)->notify_refer(event->handle, event->refer_event, "SIP/2.0 200 OK", true);
        CHECK(peer.receive("NOTIFY ").empty());
    }
    SECTION("refused by the policy: 403 and the event says so") {
        peer.send(config.port, refer(config.port, peer.port, "ref2", "sip:someone@127.0.0.1"));
        REQUIRE(!peer.receive("SIP/2.0 403").empty());
        auto event = recorder.wait_for(EventKind::incoming_refer);
        REQUIRE(event);
        CHECK(event->status == 403);
    }
    (*stack)->stop();
}

TEST_CASE("without a REFER policy every REFER is refused", "[sip]") {
    Recorder recorder;
    const sidebar::sip::StackConfig config = test_stack_config();
    auto stack = sidebar::sip::Stack::start(config, recorder);
    REQUIRE(stack);
    UdpPeer peer;
    peer.send(config.port, refer(config.port, peer.port, "ref3", "sip:member=1000.1@127.0.0.1"));
    CHECK(!peer.receive("SIP/2.0 403").empty());
    (*stack)->stop();
}
