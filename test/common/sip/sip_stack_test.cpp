// The SIP thread with real sofia-sip on loopback: requests sent as raw UDP datagrams, events
// seen by the listener, answers given from another thread.
#include "common/sip/sip_stack.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

namespace {

using namespace std::chrono_literals;
using sidebar::sip::Event;
using sidebar::sip::EventKind;

class Recorder : public sidebar::sip::Stack::Listener {
  public:
    void on_sip_event(Event event) override {
        std::lock_guard lock(mutex_);
        events_.push_back(std::move(event));
        cv_.notify_all();
    }
    std::optional<Event> wait_for(EventKind kind, std::chrono::milliseconds timeout = 3000ms) {
        std::unique_lock lock(mutex_);
        std::optional<Event> found;
        cv_.wait_for(lock, timeout, [&] {
            for (auto it = events_.begin(); it != events_.end(); ++it) {
                if (it->kind == kind) {
                    found = std::move(*it);
                    events_.erase(it);
                    return true;
                }
            }
            return false;
        });
        return found;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Event> events_;
};

struct UdpPeer {
    int fd = -1;
    uint16_t port = 0;
    UdpPeer() {
        fd = socket(AF_INET, SOCK_DGRAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        timeval tv{};
        tv.tv_sec = 3;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~UdpPeer() { close(fd); }
    void send(uint16_t to, const std::string& text) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(to);
        sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    // The next message whose first line starts with `prefix` (others skipped), or "".
    std::string receive(const std::string& prefix) {
        for (int i = 0; i < 10; ++i) {
            char buffer[4096];
            const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) return {};
            std::string text(buffer, static_cast<std::size_t>(n));
            if (text.rfind(prefix, 0) == 0) return text;
        }
        return {};
    }
};

uint16_t free_udp_port() {
    UdpPeer probe;
    return probe.port;
}

std::string request(const std::string& method, uint16_t to, uint16_t from, const std::string& call,
                    int cseq, const std::string& extra = {}, const std::string& body = {},
                    const std::string& to_tag = {}) {
    std::string m = method + " sip:conf=1000@127.0.0.1:" + std::to_string(to) + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(from) + ";branch=z9hG4bK-" + call +
         std::to_string(cseq) + method + "\r\n";
    m += "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@127.0.0.1:" + std::to_string(from) +
         ">;tag=a1\r\n";
    m += "To: <sip:conf=1000@127.0.0.1:" + std::to_string(to) + ">" +
         (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n";
    m += "Call-ID: " + call + "\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    m += "Contact: <sip:alice@127.0.0.1:" + std::to_string(from) + ">\r\n" + extra;
    if (!body.empty()) m += "Content-Type: application/sdp\r\n";
    m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return m;
}

std::string header_value(const std::string& message, const std::string& name) {
    const auto at = message.find("\r\n" + name + ":");
    if (at == std::string::npos) return {};
    const auto start = message.find_first_not_of(' ', at + name.size() + 3);
    return message.substr(start, message.find("\r\n", start) - start);
}

}  // namespace

TEST_CASE("a call through the SIP thread: INVITE answered from another thread, then BYE", "[sip]") {
    Recorder recorder;
    sidebar::sip::StackConfig config;
    config.port = free_udp_port();
    config.tcp = false;
    config.allow_events = "conference";
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
