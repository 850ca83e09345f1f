// The sidebar mode's SIP controller (see sidebar_controller.hpp).
#include "test/bench/mixer/load/sidebar_controller.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

namespace sidebar::loadgen {
namespace {

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

token::UnixSeconds unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr int64_t kT1Us = 500000;        // RFC 3261 T1
constexpr int64_t kTimeoutUs = 8000000;  // per transaction, retransmissions included
constexpr int kMaxDatagrams = 256;       // per pump

// The id parameter of an Event header ("refer;id=3"); 0 when absent.
uint32_t event_id(std::string_view head) {
    auto event = header_value(head, "Event", "o");
    if (!event) return 0;
    const auto at = event->find(";id=");
    if (at == std::string_view::npos) return 0;
    uint32_t id = 0;
    for (char c : event->substr(at + 4)) {
        if (c < '0' || c > '9') break;
        id = id * 10 + static_cast<uint32_t>(c - '0');
    }
    return id;
}

}  // namespace

Result<SidebarController> SidebarController::open(uint16_t mixer_port, uint16_t media_port,
                                                  const std::string& secret) {
    auto signer = token::ControllerSigner::create(secret);
    if (!signer) return make_error("controller secret: " + signer.message());
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return make_error("controller socket failed");
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // a source the mixer trusts by default
    socklen_t len = sizeof local;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
        ::close(fd);
        return make_error("controller bind failed");
    }
    return SidebarController(fd, ntohs(local.sin_port), mixer_port, media_port, std::move(*signer));
}

SidebarController::SidebarController(int fd, uint16_t local_port, uint16_t mixer_port,
                                     uint16_t media_port, token::ControllerSigner signer)
    : fd_(fd),
      local_port_(local_port),
      mixer_port_(mixer_port),
      media_port_(media_port),
      next_id_(std::random_device{}()),
      signer_(std::move(signer)) {}

SidebarController::SidebarController(SidebarController&& other) noexcept
    : fd_(other.fd_),
      local_port_(other.local_port_),
      mixer_port_(other.mixer_port_),
      media_port_(other.media_port_),
      next_id_(other.next_id_),
      signer_(std::move(other.signer_)),
      index_(std::move(other.index_)) {
    other.fd_ = -1;
}

SidebarController::~SidebarController() {
    if (fd_ >= 0) ::close(fd_);
}

void SidebarController::send_text(const std::string& text) {
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(mixer_port_);
    // A lost datagram is retransmitted like any other loss.
    (void)::sendto(fd_, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

std::string SidebarController::request_text(const SidebarJob& job, std::string_view method,
                                            std::string_view branch, std::string_view extra,
                                            std::string_view body) const {
    const std::string mixer = "127.0.0.1:" + std::to_string(mixer_port_);
    const std::string host = "127.0.0.1:" + std::to_string(local_port_);
    // Before the 200 (and for the ACK of a failure) the target is sidebar=; then its Contact.
    const bool in_dialog = !job.uri.empty() && method != "INVITE";
    const std::string target = in_dialog ? job.uri : "sip:sidebar=" + job.room + "@" + mixer;
    std::string out = std::string(method) + " " + target + " SIP/2.0\r\n";
    out += "Via: SIP/2.0/UDP " + host + ";rport;branch=" + std::string(branch) + "\r\n";
    out += "Max-Forwards: 70\r\n";
    out += "From: <sip:controller@127.0.0.1>;tag=" + job.from_tag + "\r\n";
    out += "To: <sip:sidebar=" + job.room + "@127.0.0.1>";
    if (!job.to_tag.empty()) out += ";tag=" + job.to_tag;
    out += "\r\nCall-ID: " + job.call_id + "\r\n";
    const uint32_t cseq = method == "ACK" ? 1 : job.cseq;
    out += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n";
    out += "Contact: <sip:controller@" + host + ">\r\nUser-Agent: sidebar-loadgen\r\n";
    if (method == "INVITE" || method == "REFER") {
        out += std::string(token::kControllerAuthHeader) + ": " +
               signer_.sign({method, job.call_id, cseq}, unix_now()) + "\r\n";
    }
    out += extra;
    if (!body.empty()) out += "Content-Type: application/sdp\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out += body;
    return out;
}

void SidebarController::send_tracked(SidebarJob& job, std::string_view method,
                                     std::string_view extra, std::string_view body) {
    ++job.cseq;
    job.branch = "z9hG4bKc" + std::to_string(next_id_++);
    job.request = request_text(job, method, job.branch, extra, body);
    job.sent_us = job.last_sent_us = now_us();
    job.retransmits = 0;
    job.answered = false;
    send_text(job.request);
}

void SidebarController::start_invite(SidebarJob& job) {
    // Built in a fresh string and moved in: g++ 12 at -O3 warns falsely (-Wrestrict) when a
    // literal is copied into an existing std::string here.
    const std::string id = std::to_string(next_id_++);
    std::string call_id(id);
    call_id.append("@127.0.0.1");
    std::string from_tag(id);
    from_tag.append("c");
    job.call_id = std::move(call_id);
    job.from_tag = std::move(from_tag);
    job.step = SidebarJob::Step::inviting;
    const std::string sdp =
        "v=0\r\no=controller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio " +
        std::to_string(media_port_) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=inactive\r\n";
    send_tracked(job, "INVITE", {}, sdp);
}

void SidebarController::next_refer_or_ready(SidebarJob& job) {
    if (job.next_member >= job.members.size()) {
        job.step = SidebarJob::Step::ready;
        return;
    }
    job.step = SidebarJob::Step::referring;
    const uint32_t member = job.members[job.next_member];
    send_tracked(job, "REFER",
                 "Refer-To: <sip:member=" + job.room + "." + std::to_string(member) +
                     "@127.0.0.1:" + std::to_string(mixer_port_) + ">\r\n");
}

void SidebarController::on_response(SidebarJob& job, const SipMessage& msg) {
    using Step = SidebarJob::Step;
    if (msg.cseq_method == "INVITE") {
        if (msg.status < 200) {
            if (job.step == Step::inviting) job.answered = true;
            return;
        }
        if (msg.status >= 300) {
            // A failure's ACK is part of the INVITE transaction: same branch and target.
            job.to_tag = msg.to_tag;
            send_text(request_text(job, "ACK", job.branch, {}, {}));
            if (job.step == Step::inviting) {
                job.step = Step::failed;
                job.error = "INVITE answered " + std::to_string(msg.status);
            }
            return;
        }
        if (job.step == Step::inviting) {
            job.invite_us = now_us() - job.sent_us;
            job.to_tag = msg.to_tag;
            job.uri = msg.contact_uri;
            if (job.uri.empty()) {
                job.step = Step::failed;
                job.error = "200 without a Contact";
            }
        }
        // Every 2xx (retransmissions too) gets an ACK, a transaction of its own.
        if (!job.uri.empty()) {
            send_text(request_text(job, "ACK", "z9hG4bKa" + std::to_string(next_id_++), {}, {}));
        }
        if (job.step == Step::inviting) next_refer_or_ready(job);
        return;
    }
    if (msg.cseq != job.cseq) return;  // a late answer to an earlier request
    if (msg.cseq_method == "REFER" && job.step == Step::referring) {
        job.answered = true;
        if (msg.status >= 300) {
            job.step = Step::failed;
            job.error = "REFER answered " + std::to_string(msg.status);
        }
    } else if (msg.cseq_method == "BYE" && job.step == Step::closing && msg.status >= 200) {
        job.step = Step::ended;
    }
}

void SidebarController::on_notify(SidebarJob& job, const SipMessage& msg) {
    // The refer subscription of the REFER in flight: nua names it by the REFER's CSeq.
    const uint32_t id = event_id(msg.head);
    if (job.step != SidebarJob::Step::referring || (id != 0 && id != job.cseq)) return;
    job.answered = true;  // a NOTIFY implies the REFER got through
    const std::string_view frag = std::string_view(msg.body).substr(0, msg.body.find('\r'));
    if (frag.starts_with("SIP/2.0 1")) return;
    if (frag.starts_with("SIP/2.0 200")) {
        job.refer_us.push_back(now_us() - job.sent_us);
        ++job.next_member;
        next_refer_or_ready(job);
        return;
    }
    job.step = SidebarJob::Step::failed;
    job.error = "NOTIFY " + std::string(frag);
}

void SidebarController::pump(std::vector<SidebarJob>& jobs, int wait_ms) {
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
        // Answer every request, every copy (nua may send the first NOTIFY twice).
        if (msg->is_request && msg->method != "ACK") send_text(ok_response(*msg));
        auto it = index_.find(msg->call_id);
        if (it == index_.end() || it->second >= jobs.size() ||
            jobs[it->second].call_id != msg->call_id) {
            continue;
        }
        SidebarJob& job = jobs[it->second];
        if (!msg->is_request) {
            on_response(job, *msg);
        } else if (msg->method == "NOTIFY") {
            on_notify(job, *msg);
        } else if (msg->method == "BYE") {
            // The mixer ended the sidebar (its last member left, or the room ended).
            if (job.step != SidebarJob::Step::closing) job.error = "ended by the mixer";
            job.step = SidebarJob::Step::ended;
        }
    }
}

void SidebarController::tick(std::vector<SidebarJob>& jobs) {
    using Step = SidebarJob::Step;
    const int64_t now = now_us();
    for (SidebarJob& job : jobs) {
        const bool waiting =
            job.step == Step::inviting || job.step == Step::referring || job.step == Step::closing;
        if (!waiting) continue;
        if (now - job.sent_us > kTimeoutUs) {
            job.error = "timed out in step " + std::to_string(static_cast<int>(job.step));
            job.step = job.step == Step::closing ? Step::ended : Step::failed;
            continue;
        }
        // After a provisional answer only the final one (or the NOTIFY) is awaited.
        if (!job.answered && now - job.last_sent_us > (kT1Us << std::min(job.retransmits, 3))) {
            send_text(job.request);
            job.last_sent_us = now;
            ++job.retransmits;
        }
    }
}

void SidebarController::build(std::vector<SidebarJob>& jobs, int concurrency, int deadline_ms) {
    using Step = SidebarJob::Step;
    const int64_t deadline = now_us() + int64_t{deadline_ms} * 1000;
    std::size_t next = 0;
    while (now_us() < deadline) {
        int busy = 0;
        for (const SidebarJob& job : jobs)
            busy += job.step == Step::inviting || job.step == Step::referring ? 1 : 0;
        while (next < jobs.size() && busy < concurrency) {
            start_invite(jobs[next]);
            index_[jobs[next].call_id] = next;
            ++next;
            ++busy;
        }
        if (next == jobs.size() && busy == 0) return;
        pump(jobs, 2);
        tick(jobs);
    }
    for (SidebarJob& job : jobs) {
        if (job.step == Step::inviting || job.step == Step::referring || job.step == Step::idle) {
            job.error = "deadline";
            job.step = Step::failed;
        }
    }
}

void SidebarController::dissolve(std::vector<SidebarJob>& jobs, int deadline_ms) {
    using Step = SidebarJob::Step;
    for (SidebarJob& job : jobs) {
        // Any dialog the mixer accepted is up until a BYE, whatever happened in it since.
        if (job.to_tag.empty() || job.step == Step::ended || job.uri.empty()) continue;
        job.step = Step::closing;
        send_tracked(job, "BYE");
    }
    const int64_t deadline = now_us() + int64_t{deadline_ms} * 1000;
    while (now_us() < deadline) {
        if (std::none_of(jobs.begin(), jobs.end(),
                         [](const SidebarJob& j) { return j.step == Step::closing; })) {
            return;
        }
        pump(jobs, 5);
        tick(jobs);
    }
}

}  // namespace sidebar::loadgen
