// RTP sender and receiver threads of the load generator (see rtp_load.hpp).
#include "test/bench/mixer/load/rtp_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/codec/g711.hpp"
#include "common/rtp/rtp_packet.hpp"

namespace sidebar::loadgen {
namespace {

constexpr int64_t kTickNs = 20'000'000;
constexpr std::size_t kBatch = 64;
constexpr std::size_t kBinUs = 50;
constexpr std::size_t kBins = 4000;  // 200 ms; beyond goes to the last bin (max is exact)

int64_t clock_ns(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

double percentile(const std::vector<uint64_t>& bins, uint64_t total, double q) {
    if (total == 0) return 0;
    const auto want = static_cast<uint64_t>(q * static_cast<double>(total - 1)) + 1;
    uint64_t seen = 0;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        seen += bins[i];
        if (seen >= want) return static_cast<double>((i + 1) * kBinUs);
    }
    return static_cast<double>(bins.size() * kBinUs);
}

// Everything the receiver thread owns while it runs; read by run() after the join.
struct Receiver {
    std::vector<int32_t> member_of_port = std::vector<int32_t>(65536, -1);
    std::vector<int64_t> last_arrival_ns;
    std::vector<uint64_t> bins = std::vector<uint64_t>(kBins, 0);
    uint64_t intervals = 0;
    double max_us = 0;
    uint64_t received = 0;
    uint64_t unknown = 0;
    int32_t probe = -1;
    std::unique_ptr<codec::Decoder> probe_decoder;  // Opus only; PCMU uses the table
    int64_t last_onset_ns = 0;
    std::vector<int64_t> onsets_ns;

    void on_probe(std::span<const uint8_t> datagram, int64_t arrival_ns) {
        auto packet = rtp::parse_rtp(datagram);
        if (!packet) return;
        std::array<int16_t, codec::kMaxDecodedSamples> pcm{};
        std::size_t samples = 0;
        int64_t sample_ns = 125'000;  // 8 kHz
        if (probe_decoder) {
            auto got = probe_decoder->decode(packet->payload, pcm);
            if (!got) return;
            samples = *got;
            sample_ns = 62'500;  // decoded at 16 kHz
        } else {
            samples = std::min(packet->payload.size(), pcm.size());
            codec::g711::decode_ulaw(packet->payload.first(samples), pcm);
        }
        for (std::size_t i = 0; i < samples; ++i) {
            if (std::abs(pcm[i]) < kClickDetect) continue;
            const int64_t onset = arrival_ns + static_cast<int64_t>(i) * sample_ns;
            if (onset - last_onset_ns > 500'000'000) onsets_ns.push_back(onset);
            last_onset_ns = onset;
            return;
        }
    }

    void on_datagram(std::span<const uint8_t> datagram, uint16_t from_port, int64_t arrival_ns,
                     bool measuring) {
        const int32_t m = member_of_port[from_port];
        if (m < 0) {
            ++unknown;
            return;
        }
        if (rtp::looks_like_rtcp(datagram)) return;
        auto& last = last_arrival_ns[static_cast<std::size_t>(m)];
        if (measuring) {
            ++received;
            if (last != 0) {
                const double dev_us =
                    std::abs(static_cast<double>(arrival_ns - last - kTickNs)) / 1000.0;
                ++bins[std::min(kBins - 1, static_cast<std::size_t>(dev_us) / kBinUs)];
                ++intervals;
                max_us = std::max(max_us, dev_us);
            }
        }
        last = arrival_ns;
        if (m == probe) on_probe(datagram, arrival_ns);
    }
};

void receive_loop(const std::vector<int>& fds, Receiver& rx, const std::atomic<bool>& measuring,
                  const std::atomic<bool>& stop) {
    const int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) return;
    for (std::size_t i = 0; i < fds.size(); ++i) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = i;
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
    }
    std::vector<std::array<uint8_t, 1500>> buffers(kBatch);
    std::vector<std::array<char, 64>> controls(kBatch);
    std::vector<sockaddr_in> from(kBatch);
    std::vector<iovec> iov(kBatch);
    std::vector<mmsghdr> msgs(kBatch);
    std::array<epoll_event, 64> events{};
    while (!stop.load(std::memory_order_relaxed)) {
        const int ready = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 50);
        for (int e = 0; e < ready; ++e) {
            const int fd = fds[events[static_cast<std::size_t>(e)].data.u64];
            for (int rounds = 0; rounds < 64; ++rounds) {  // bounded: other sockets get a turn
                for (std::size_t i = 0; i < kBatch; ++i) {
                    iov[i].iov_base = buffers[i].data();
                    iov[i].iov_len = buffers[i].size();
                    msgs[i] = mmsghdr{};
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                    msgs[i].msg_hdr.msg_name = &from[i];
                    msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
                    msgs[i].msg_hdr.msg_control = controls[i].data();
                    msgs[i].msg_hdr.msg_controllen = controls[i].size();
                }
                const int got = recvmmsg(fd, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
                if (got <= 0) break;
                const bool in_window = measuring.load(std::memory_order_relaxed);
                const int64_t fallback = clock_ns(CLOCK_REALTIME);
                for (int i = 0; i < got; ++i) {
                    auto& hdr = msgs[static_cast<std::size_t>(i)].msg_hdr;
                    int64_t arrival = fallback;
                    for (cmsghdr* c = CMSG_FIRSTHDR(&hdr); c; c = CMSG_NXTHDR(&hdr, c)) {
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                            timespec ts{};
                            std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
                            arrival = int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
                        }
                    }
                    const auto& src = from[static_cast<std::size_t>(i)];
                    rx.on_datagram(
                        std::span<const uint8_t>(buffers[static_cast<std::size_t>(i)].data(),
                                                 msgs[static_cast<std::size_t>(i)].msg_len),
                        ntohs(src.sin_port), arrival, in_window);
                }
                if (static_cast<std::size_t>(got) < kBatch) break;
            }
        }
    }
    close(ep);
}

}  // namespace

Result<RtpLoad> RtpLoad::open(std::size_t members, std::size_t per_socket) {
    per_socket = std::max<std::size_t>(1, per_socket);
    const std::size_t count = (members + per_socket - 1) / per_socket;
    std::vector<int> fds;
    std::vector<uint16_t> ports;
    for (std::size_t i = 0; i < count; ++i) {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            for (int f : fds)
                ::close(f);
            return make_error("rtp socket failed (file descriptor limit?)");
        }
        fds.push_back(fd);
        int size = 4 << 20;
        int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        ::setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof local;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
            for (int f : fds)
                ::close(f);
            return make_error("rtp bind failed");
        }
        ports.push_back(ntohs(local.sin_port));
    }
    return RtpLoad(std::move(fds), std::move(ports), per_socket);
}

RtpLoad::RtpLoad(RtpLoad&& other) noexcept
    : fds_(std::move(other.fds_)), ports_(std::move(other.ports_)), per_socket_(other.per_socket_) {
    other.fds_.clear();
}

RtpLoad::~RtpLoad() {
    for (int fd : fds_)
        ::close(fd);
}

uint16_t RtpLoad::local_port(std::size_t member) const {
    return ports_.at(member / per_socket_);
}

MediaResult RtpLoad::run(const std::vector<MemberMedia>& members, const Payloads& payloads,
                         const MediaWindow& window, std::binary_semaphore& window_started,
                         std::binary_semaphore& window_ended) {
    Receiver rx;
    rx.last_arrival_ns.assign(members.size(), 0);
    for (std::size_t m = 0; m < members.size(); ++m) {
        if (members[m].remote_port != 0)
            rx.member_of_port[members[m].remote_port] = static_cast<int32_t>(m);
        if (members[m].probe) rx.probe = static_cast<int32_t>(m);
    }
    if (payloads.kind == codec::Kind::opus) {
        if (auto dec = codec::create_decoder(codec::Kind::opus)) rx.probe_decoder = std::move(*dec);
    }
    std::atomic<bool> measuring{false};
    std::atomic<bool> stop{false};
    std::thread receiver([&] { receive_loop(fds_, rx, measuring, stop); });

    MediaResult result;
    std::vector<int64_t> clicks_ns;
    // Every member's packet, rebuilt each tick (sequence and timestamp change).
    std::vector<std::array<uint8_t, 1500>> packets(members.size());
    std::vector<iovec> iov(members.size());
    std::vector<sockaddr_in> to(members.size());
    std::vector<mmsghdr> msgs(members.size());
    for (std::size_t m = 0; m < members.size(); ++m) {
        to[m].sin_family = AF_INET;
        to[m].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to[m].sin_port = htons(members[m].remote_port);
    }
    const int total_ticks = window.warmup_ticks + window.measure_ticks;
    int64_t deadline = clock_ns(CLOCK_MONOTONIC) + kTickNs;
    double send_sum_us = 0;
    int tick = 0;
    for (; tick < total_ticks || (window.hold != nullptr && window.hold->load()); ++tick) {
        timespec ts{};
        ts.tv_sec = deadline / 1'000'000'000;
        ts.tv_nsec = deadline % 1'000'000'000;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
        }
        const int64_t woke = clock_ns(CLOCK_MONOTONIC);
        if (woke - deadline > 5'000'000) ++result.send_late_ticks;
        if (tick == window.warmup_ticks) {
            measuring.store(true);
            window_started.release();
        }
        const std::size_t frame = static_cast<std::size_t>(tick) % kCycleFrames;
        std::size_t count = 0;
        std::vector<std::pair<std::size_t, std::size_t>> slices;  // per socket: first, count
        for (std::size_t s = 0; s < fds_.size(); ++s) {
            const std::size_t first_msg = count;
            const std::size_t last = std::min(members.size(), (s + 1) * per_socket_);
            for (std::size_t m = s * per_socket_; m < last; ++m) {
                if (members[m].remote_port == 0) continue;  // its call was not set up
                rtp::RtpHeader h;
                h.payload_type = payloads.payload_type;
                h.sequence = static_cast<uint16_t>(tick);
                h.timestamp = static_cast<uint32_t>(tick) * payloads.timestamp_step;
                h.ssrc = 0x10000000u + static_cast<uint32_t>(m);
                const auto& payload = payloads.of(members[m].role).frames[frame];
                auto size = rtp::serialize(h, payload, packets[m]);
                if (!size) continue;
                iov[count].iov_base = packets[m].data();
                iov[count].iov_len = *size;
                msgs[count] = mmsghdr{};
                msgs[count].msg_hdr.msg_iov = &iov[count];
                msgs[count].msg_hdr.msg_iovlen = 1;
                msgs[count].msg_hdr.msg_name = &to[m];
                msgs[count].msg_hdr.msg_namelen = sizeof(sockaddr_in);
                ++count;
            }
            slices.emplace_back(first_msg, count - first_msg);
        }
        for (std::size_t s = 0; s < slices.size(); ++s) {
            const auto [first, n] = slices[s];
            // Clicks of the warmup are not timed: the mixer's entry announcement masks them.
            if (s == 0 && frame == kClickFrame && members[0].role == Role::clicker &&
                tick >= window.warmup_ticks) {
                clicks_ns.push_back(clock_ns(CLOCK_REALTIME));
            }
            // Up to two tries; what a full send buffer refuses then is lost (counted as loss).
            std::size_t sent = 0;
            for (int attempt = 0; attempt < 2 && sent < n; ++attempt) {
                const int got =
                    sendmmsg(fds_[s], &msgs[first + sent], static_cast<unsigned>(n - sent), 0);
                if (got <= 0) break;
                sent += static_cast<std::size_t>(got);
            }
        }
        const double took_us = static_cast<double>(clock_ns(CLOCK_MONOTONIC) - woke) / 1000.0;
        send_sum_us += took_us;
        result.send_max_us = std::max(result.send_max_us, took_us);
        deadline += kTickNs;
    }
    measuring.store(false);
    window_ended.release();
    // Let the last packets in flight arrive before the receiver stops (bounded: 3 ticks).
    timespec grace{};
    grace.tv_nsec = 3 * kTickNs;
    nanosleep(&grace, nullptr);
    stop.store(true);
    receiver.join();

    result.measured_ticks = tick - window.warmup_ticks;
    result.expected = static_cast<uint64_t>(result.measured_ticks) * members.size();
    result.received = rx.received;
    result.unknown = rx.unknown;
    result.jitter_p50_us = percentile(rx.bins, rx.intervals, 0.50);
    result.jitter_p99_us = percentile(rx.bins, rx.intervals, 0.99);
    result.jitter_max_us = rx.max_us;
    result.send_mean_us = tick > 0 ? send_sum_us / tick : 0;
    result.clicks_sent = static_cast<int>(clicks_ns.size());
    for (int64_t sent : clicks_ns) {
        for (int64_t onset : rx.onsets_ns) {
            if (onset >= sent && onset - sent < 1'000'000'000) {
                result.click_delay_ms.push_back(static_cast<double>(onset - sent) / 1e6);
                break;
            }
        }
    }
    return result;
}

}  // namespace sidebar::loadgen
