// The load generator's media side: one RTP stream per member over a few shared loopback sockets
// (the mixer gives every member its own port, so the source port tells members apart). A sender
// thread sends one packet per member every 20 ms on absolute deadlines; a receiver thread reads
// with epoll + recvmmsg and kernel timestamps, counts packets, measures inter-arrival jitter of
// the mixer's output and the arrival of the clicker's click in the probe member's stream.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <semaphore>
#include <vector>

#include "common/util/result.hpp"
#include "test/bench/mixer/load/rtp_payloads.hpp"

namespace sidebar::loadgen {

struct MemberMedia {
    uint16_t remote_port = 0;  // the mixer's RTP port for this member
    Role role = Role::quiet;
    bool probe = false;  // decode what it receives, looking for the click
};

struct MediaWindow {
    int warmup_ticks = 100;
    int measure_ticks = 400;
    // When set, the measured window goes on past measure_ticks while *hold is true: the sidebar
    // mode keeps the media up for as long as its controller phases take.
    const std::atomic<bool>* hold = nullptr;
};

struct MediaResult {
    int measured_ticks = 0;
    uint64_t expected = 0;  // members x measured ticks
    uint64_t received = 0;  // packets received in the window
    uint64_t unknown = 0;   // packets from ports that are no member's
    double jitter_p50_us = 0, jitter_p99_us = 0, jitter_max_us = 0;  // |inter-arrival - 20 ms|
    std::vector<double> click_delay_ms;
    int clicks_sent = 0;
    double send_mean_us = 0, send_max_us = 0;  // the generator's own time to send one tick
    int send_late_ticks = 0;                   // ticks the generator began > 5 ms late
};

class RtpLoad {
  public:
    // Opens ceil(members / per_socket) sockets on 127.0.0.1.
    static Result<RtpLoad> open(std::size_t members, std::size_t per_socket);
    RtpLoad(RtpLoad&& other) noexcept;
    RtpLoad& operator=(RtpLoad&&) = delete;
    ~RtpLoad();

    uint16_t local_port(std::size_t member) const;

    // Runs warmup + measure ticks. window_started / window_ended are released by the sender as
    // the measured window begins and ends, so the caller can sample the mixer meanwhile.
    MediaResult run(const std::vector<MemberMedia>& members, const Payloads& payloads,
                    const MediaWindow& window, std::binary_semaphore& window_started,
                    std::binary_semaphore& window_ended);

  private:
    RtpLoad(std::vector<int> fds, std::vector<uint16_t> ports, std::size_t per_socket)
        : fds_(std::move(fds)), ports_(std::move(ports)), per_socket_(per_socket) {}

    std::vector<int> fds_;
    std::vector<uint16_t> ports_;
    std::size_t per_socket_ = 1;
};

}  // namespace sidebar::loadgen
