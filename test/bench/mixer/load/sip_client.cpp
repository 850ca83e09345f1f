// Raw SIP over UDP for the load generator (see sip_client.hpp).
#include "test/bench/mixer/load/sip_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

#include "test/bench/mixer/load/sip_text.hpp"

namespace sidebar::loadgen {
namespace {

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr int64_t kT1Us = 500000;   // RFC 3261 T1
constexpr int kMaxDatagrams = 256;  // per pump, so one call never starves the launcher

}  // namespace

Result<SipClient> SipClient::open(uint16_t mixer_port) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return make_error("sip socket failed");
    int size = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof local;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
        ::close(fd);
        return make_error("sip bind failed");
    }
    return SipClient(fd, ntohs(local.sin_port), mixer_port);
}

SipClient::SipClient(int fd, uint16_t local_port, uint16_t mixer_port)
    : fd_(fd), local_port_(local_port), mixer_port_(mixer_port) {
    next_id_ = std::random_device{}();
}

SipClient::SipClient(SipClient&& other) noexcept
    : fd_(other.fd_),
      local_port_(other.local_port_),
      mixer_port_(other.mixer_port_),
      next_id_(other.next_id_),
      index_(std::move(other.index_)) {
    other.fd_ = -1;
}

SipClient::~SipClient() {
    if (fd_ >= 0) ::close(fd_);
}

void SipClient::send_text(const std::string& text) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(mixer_port_);
    // A full send buffer loses the datagram; retransmission covers it like any other loss.
    (void)::sendto(fd_, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

std::string SipClient::invite_text(const Call& call, const SipPlan& plan) const {
    const bool opus = plan.payload_name == "opus";
    const std::string pt = opus ? "111" : "0";
    std::string sdp =
        "v=0\r\no=loadgen 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
        "t=0 0\r\nm=audio " +
        std::to_string(call.local_rtp_port) + " RTP/AVP " + pt + "\r\n";
    sdp += opus ? "a=rtpmap:111 opus/48000/2\r\n" : "a=rtpmap:0 PCMU/8000\r\n";
    sdp += "a=ptime:20\r\na=sendrecv\r\n";
    const std::string host = "127.0.0.1:" + std::to_string(local_port_);
    std::string out = "INVITE sip:conf=" + call.room + "@127.0.0.1:" + std::to_string(mixer_port_) +
                      " SIP/2.0\r\n";
    out += "Via: SIP/2.0/UDP " + host + ";rport;branch=" + call.branch + "\r\n";
    out += "Max-Forwards: 70\r\n";
    out += "From: <sip:load@127.0.0.1>;tag=" + call.from_tag + "\r\n";
    out += "To: <sip:conf=" + call.room + "@127.0.0.1>\r\n";
    out += "Call-ID: " + call.call_id + "\r\nCSeq: 1 INVITE\r\n";
    out += "Contact: <sip:load@" + host + ">\r\nUser-Agent: sidebar-loadgen\r\n";
    out += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) +
           "\r\n\r\n" + sdp;
    return out;
}

std::string SipClient::in_dialog(const Call& call, std::string_view method, int cseq,
                                 std::string_view branch) const {
    const std::string host = "127.0.0.1:" + std::to_string(local_port_);
    std::string out = std::string(method) + " " + call.request_uri + " SIP/2.0\r\n";
    out += "Via: SIP/2.0/UDP " + host + ";rport;branch=" + std::string(branch) + "\r\n";
    out += "Max-Forwards: 70\r\n";
    out += "From: <sip:load@127.0.0.1>;tag=" + call.from_tag + "\r\n";
    out += "To: <sip:conf=" + call.room + "@127.0.0.1>;tag=" + call.to_tag + "\r\n";
    out += "Call-ID: " + call.call_id + "\r\nCSeq: " + std::to_string(cseq) + " " +
           std::string(method) + "\r\nContent-Length: 0\r\n\r\n";
    return out;
}

void SipClient::pump(std::vector<Call>& calls, int wait_ms) {
    pollfd pfd{};
    pfd.fd = fd_;
    pfd.events = POLLIN;
    if (::poll(&pfd, 1, std::max(0, wait_ms)) <= 0) return;
    std::array<char, 65536> buffer{};
    for (int n = 0; n < kMaxDatagrams; ++n) {
        const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (got <= 0) return;
        auto msg = parse_sip(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
        if (!msg) continue;
        auto it = index_.find(msg->call_id);
        Call* call = nullptr;
        // The index may name a call of an earlier batch (another vector): check it is this one.
        if (it != index_.end() && it->second < calls.size() &&
            calls[it->second].call_id == msg->call_id) {
            call = &calls[it->second];
        }
        if (msg->is_request) {
            if (msg->method != "ACK") send_text(ok_response(*msg));
            if (call && msg->method == "BYE") call->phase = Phase::ended;
            continue;
        }
        if (!call || msg->status < 200) continue;
        if (msg->cseq_method == "INVITE") {
            if (msg->status >= 300) {
                // Non-2xx: the ACK belongs to the INVITE's transaction (same branch).
                if (call->phase == Phase::inviting) {
                    call->phase = Phase::failed;
                    call->final_status = msg->status;
                }
                std::string ack = in_dialog(*call, "ACK", 1, call->branch);
                send_text(ack);
                continue;
            }
            if (call->phase == Phase::inviting) {
                call->to_tag = msg->to_tag;
                if (!msg->contact_uri.empty() && msg->contact_uri.size() < 256) {
                    call->request_uri = msg->contact_uri;
                }
                const auto port = sdp_audio_port(msg->body);
                call->final_status = msg->status;
                call->answered_us = now_us();
                call->remote_rtp_port = port.value_or(0);
                call->phase = port ? Phase::established : Phase::failed;
            }
            // Every 2xx (retransmissions too) gets an ACK, a new transaction.
            send_text(in_dialog(*call, "ACK", 1, call->branch + "a"));
        } else if (msg->cseq_method == "BYE" && call->phase == Phase::closing) {
            call->phase = Phase::ended;
        }
    }
}

SipRunStats SipClient::invite(std::vector<Call>& calls, std::size_t begin, std::size_t end,
                              const SipPlan& plan) {
    SipRunStats stats;
    const int64_t started = now_us();
    const int64_t deadline = started + int64_t{plan.deadline_ms} * 1000;
    const int64_t timeout = int64_t{plan.timeout_ms} * 1000;
    const int64_t interval = plan.rate_per_s > 0 ? static_cast<int64_t>(1e6 / plan.rate_per_s) : 0;
    int64_t next_launch = started;
    std::size_t next = begin;
    int outstanding = 0;
    while (now_us() < deadline) {
        const int64_t now = now_us();
        // Launch on absolute deadlines (rate mode) or whenever a slot is free.
        while (next < end && outstanding < plan.max_outstanding &&
               (interval == 0 || now >= next_launch)) {
            Call& call = calls[next];
            const uint64_t id = next_id_++;
            call.call_id = "lg" + std::to_string(id) + "@127.0.0.1";
            call.from_tag = "f" + std::to_string(id);
            call.branch = "z9hG4bK" + std::to_string(id);
            call.request_uri =
                "sip:conf=" + call.room + "@127.0.0.1:" + std::to_string(mixer_port_);
            call.phase = Phase::inviting;
            call.first_sent_us = call.last_sent_us = now;
            index_[call.call_id] = next;
            send_text(invite_text(call, plan));
            ++outstanding;
            ++next;
            next_launch += interval;
        }
        // Retransmit (T1 doubling) and time out.
        outstanding = 0;
        for (std::size_t i = begin; i < next; ++i) {
            Call& call = calls[i];
            if (call.phase != Phase::inviting) continue;
            if (now - call.first_sent_us > timeout) {
                call.phase = Phase::failed;
                continue;
            }
            if (now - call.last_sent_us > (kT1Us << std::min(call.retransmits, 3))) {
                send_text(invite_text(call, plan));
                call.last_sent_us = now;
                ++call.retransmits;
            }
            ++outstanding;
        }
        if (next == end && outstanding == 0) break;
        int wait_ms = 5;
        if (interval > 0 && next < end) {
            wait_ms = static_cast<int>(std::clamp<int64_t>((next_launch - now) / 1000, 0, 5));
        }
        pump(calls, wait_ms);
    }
    for (std::size_t i = begin; i < end; ++i) {
        Call& call = calls[i];
        ++stats.attempted;
        if (call.phase == Phase::inviting || call.phase == Phase::idle) call.phase = Phase::failed;
        if (call.phase == Phase::established) {
            ++stats.established;
            stats.setup_us.push_back(call.answered_us - call.first_sent_us);
        } else {
            ++stats.failed;
        }
    }
    stats.seconds = static_cast<double>(now_us() - started) / 1e6;
    return stats;
}

void SipClient::hang_up(std::vector<Call>& calls, const SipPlan& plan) {
    const int64_t deadline = now_us() + int64_t{plan.deadline_ms} * 1000;
    std::size_t next = 0;
    while (now_us() < deadline) {
        const int64_t now = now_us();
        int outstanding = 0;
        for (std::size_t i = 0; i < next; ++i) {
            Call& call = calls[i];
            if (call.phase != Phase::closing) continue;
            if (now - call.first_sent_us > int64_t{plan.timeout_ms} * 1000) {
                call.phase = Phase::ended;
                continue;
            }
            if (now - call.last_sent_us > (kT1Us << std::min(call.retransmits, 3))) {
                send_text(in_dialog(call, "BYE", 2, call.branch + "b"));
                call.last_sent_us = now;
                ++call.retransmits;
            }
            ++outstanding;
        }
        while (next < calls.size() && outstanding < plan.max_outstanding) {
            Call& call = calls[next++];
            if (call.phase != Phase::established) continue;
            call.phase = Phase::closing;
            call.first_sent_us = call.last_sent_us = now;
            call.retransmits = 0;
            send_text(in_dialog(call, "BYE", 2, call.branch + "b"));
            ++outstanding;
        }
        if (next == calls.size() && outstanding == 0) break;
        pump(calls, 5);
    }
}

void SipClient::serve(std::vector<Call>& calls, int ms) {
    const int64_t until = now_us() + int64_t{ms} * 1000;
    while (now_us() < until)
        pump(calls, 5);
}

}  // namespace sidebar::loadgen
