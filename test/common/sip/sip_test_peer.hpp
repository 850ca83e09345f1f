// Test helpers for the SIP thread: a listener that records events, and a raw UDP peer that
// sends hand-written requests and reads what comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "common/sip/sip_stack.hpp"

namespace sidebar::sip::test {

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

inline uint16_t free_udp_port() {
    UdpPeer probe;
    return probe.port;
}

inline std::string request(const std::string& method, uint16_t to, uint16_t from,
                           const std::string& call, int cseq, const std::string& extra = {},
                           const std::string& body = {}, const std::string& to_tag = {}) {
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

inline std::string header_value(const std::string& message, const std::string& name) {
    const auto at = message.find("\r\n" + name + ":");
    if (at == std::string::npos) return {};
    const auto start = message.find_first_not_of(' ', at + name.size() + 3);
    return message.substr(start, message.find("\r\n", start) - start);
}

// The configuration the tests run the stack with: UDP on a free loopback port, the conference
// event package allowed.
inline StackConfig test_stack_config() {
    StackConfig config;
    config.port = free_udp_port();
    config.tcp = false;
    config.allow_events = "conference";
    return config;
}

}  // namespace sidebar::sip::test
