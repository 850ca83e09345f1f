// sidebar_loadgen: drives a running sidebar-mixer over loopback and prints one "RESULT k=v ..."
// line of figures per run (scripts/bench.sh collects them into a table).
//   media: N members in rooms of K join by SIP, then send RTP for warmup + measure seconds;
//          the figures are the mixer's late ticks, CPU, RSS per member, tick time, the jitter of
//          its output packets, and the delay a click takes from one member to another.
//   joins: INVITEs at a rate that grows 25 % per step until a step fails; max sustained rate.
//   sidebars: media mode's members, plus a controller that puts a fraction of them into
//          sidebars and back (sidebar_mode.cpp): control latencies and CPU with and without.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "test/bench/mixer/load/load_plan.hpp"
#include "test/bench/mixer/load/loadgen_options.hpp"
#include "test/bench/mixer/load/mixer_probe.hpp"
#include "test/bench/mixer/load/rtp_load.hpp"
#include "test/bench/mixer/load/sidebar_mode.hpp"
#include "test/bench/mixer/load/sip_client.hpp"

namespace sidebar::loadgen {
namespace {

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int run_media(const Options& o) {
    const auto kind = o.codec == "opus" ? codec::Kind::opus : codec::Kind::pcmu;
    auto payloads = make_payloads(kind);
    if (!payloads) throw std::runtime_error(payloads.message());
    const auto n = static_cast<std::size_t>(o.members);
    auto rtp = RtpLoad::open(n, static_cast<std::size_t>(o.per_socket));
    if (!rtp) throw std::runtime_error(rtp.message());
    auto sip = SipClient::open(o.sip_port);
    if (!sip) throw std::runtime_error(sip.message());

    const auto baseline = o.pid ? sample_process(o.pid) : std::nullopt;
    std::vector<Call> calls(n);
    for (std::size_t m = 0; m < n; ++m) {
        calls[m].room = room_of(o, m);
        calls[m].local_rtp_port = rtp->local_port(m);
    }
    SipPlan plan;
    plan.payload_name = o.codec == "opus" ? "opus" : "PCMU";
    plan.max_outstanding = o.concurrency;
    const SipRunStats setup = sip->invite(calls, 0, n, plan);

    std::vector<MemberMedia> media(n);
    for (std::size_t m = 0; m < n; ++m) {
        media[m].remote_port = calls[m].phase == Phase::established ? calls[m].remote_rtp_port : 0;
        media[m].role = role_of(o, m);
        media[m].probe = m == 1;
    }
    MediaWindow window;
    window.warmup_ticks = static_cast<int>(o.warmup_s * 50);
    window.measure_ticks = static_cast<int>(o.measure_s * 50);
    std::binary_semaphore started{0}, ended{0};
    MediaResult result;
    std::thread sender([&] { result = rtp->run(media, *payloads, window, started, ended); });
    // Serve the mixer's in-dialog requests while the media runs; sample at the window's edges.
    while (!started.try_acquire())
        sip->serve(calls, 10);
    auto s0 = o.pid ? sample_process(o.pid) : std::nullopt;
    if (s0) sample_metrics(o.admin_port, *s0);
    while (!ended.try_acquire())
        sip->serve(calls, 10);
    auto s1 = o.pid ? sample_process(o.pid) : std::nullopt;
    if (s1) sample_metrics(o.admin_port, *s1);
    sender.join();
    sip->hang_up(calls, plan);

    const double est = setup.established;
    std::printf(
        "RESULT label=%s mode=media codec=%s members=%d room_size=%d established=%d "
        "setup_s=%.2f setup_p99_ms=%.1f",
        o.label.empty() ? "-" : o.label.c_str(), o.codec.c_str(), o.members, o.room_size,
        setup.established, setup.seconds, quantile_us(setup.setup_us, 0.99) / 1000);
    if (s0 && s1) {
        const double wall = s1->wall_seconds - s0->wall_seconds;
        const double cpu = s1->cpu_seconds - s0->cpu_seconds;
        const double ticks = s1->ticks - s0->ticks;
        const double late = s1->late_ticks - s0->late_ticks;
        std::printf(
            " window_s=%.2f cpu_pct=%.1f cpu_us_member_tick=%.2f rss_kb_member=%.1f "
            "cpu_us_member_roomtick=%.2f room_ticks=%.0f late_ticks=%.0f late_pct=%.3f "
            "tick_p50_us=%.0f "
            "tick_p99_us=%.0f metrics=%d",
            wall, 100 * cpu / wall, est > 0 ? cpu * 1e6 / (est * wall / 0.02) : -1,
            baseline && est > 0 ? (s1->rss_kb - baseline->rss_kb) / est : -1,
            // CPU per member per tick the rooms actually ran (a late clock skips ticks).
            ticks > 0 ? cpu * 1e6 / (ticks * std::min(est, double(o.room_size))) : -1, ticks, late,
            ticks > 0 ? 100 * late / ticks : -1, tick_quantile_us(*s0, *s1, 0.5),
            tick_quantile_us(*s0, *s1, 0.99), s1->metrics_ok ? 1 : 0);
    }
    // One tick less: the window's last answers are still in flight when counting stops.
    const double expected = static_cast<double>(window.measure_ticks - 1) * est;
    std::printf(
        " rx_loss_pct=%.3f jitter_p50_us=%.0f jitter_p99_us=%.0f jitter_max_us=%.0f "
        "clicks=%d/%d delay_p50_ms=%.1f delay_max_ms=%.1f gen_send_mean_us=%.0f "
        "gen_send_max_us=%.0f gen_late_ticks=%d\n",
        expected > 0 ? std::max(0.0, 100 * (1 - static_cast<double>(result.received) / expected))
                     : -1,
        result.jitter_p50_us, result.jitter_p99_us, result.jitter_max_us,
        static_cast<int>(result.click_delay_ms.size()), result.clicks_sent,
        median(result.click_delay_ms),
        result.click_delay_ms.empty()
            ? -1
            : *std::max_element(result.click_delay_ms.begin(), result.click_delay_ms.end()),
        result.send_mean_us, result.send_max_us, result.send_late_ticks);
    return setup.established == o.members ? 0 : 2;
}

int run_joins(const Options& o) {
    auto rtp = RtpLoad::open(1, 1);  // where the mixer's RTP goes; never read
    if (!rtp) throw std::runtime_error(rtp.message());
    auto sip = SipClient::open(o.sip_port);
    if (!sip) throw std::runtime_error(sip.message());
    SipPlan plan;
    plan.max_outstanding = o.concurrency;
    plan.timeout_ms = 4000;
    double best = 0;
    std::size_t room_offset = 0;
    for (double rate = o.join_rate; rate <= o.join_rate_max; rate *= 1.25) {
        const auto count = static_cast<std::size_t>(rate * o.join_step_s);
        std::vector<Call> calls(count);
        for (std::size_t i = 0; i < count; ++i) {
            calls[i].room = room_of(o, room_offset + i);
            calls[i].local_rtp_port = rtp->local_port(0);
        }
        room_offset += count + static_cast<std::size_t>(o.room_size);
        plan.rate_per_s = rate;
        plan.deadline_ms = static_cast<int>(o.join_step_s * 1000) + 10000;
        const SipRunStats s = sip->invite(calls, 0, count, plan);
        // Throughput as the mixer answered: answers over the time between the first and last.
        int64_t last_answer = 0, first_answer = INT64_MAX;
        for (const auto& c : calls) {
            if (c.phase != Phase::established) continue;
            last_answer = std::max(last_answer, c.answered_us);
            first_answer = std::min(first_answer, c.answered_us);
        }
        const double span = static_cast<double>(last_answer - first_answer) / 1e6;
        const double achieved = span > 0 ? (s.established - 1) / span : 0;
        const double p99_ms = quantile_us(s.setup_us, 0.99) / 1000;
        const bool ok = s.failed == 0 && achieved >= 0.9 * rate && p99_ms < 2000;
        std::printf(
            "STEP rate=%.0f calls=%zu established=%d failed=%d achieved=%.0f "
            "setup_p50_ms=%.1f setup_p99_ms=%.1f %s\n",
            rate, count, s.established, s.failed, achieved, quantile_us(s.setup_us, 0.5) / 1000,
            p99_ms, ok ? "ok" : "FAIL");
        std::fflush(stdout);
        plan.deadline_ms = 30000;
        sip->hang_up(calls, plan);
        if (!ok) break;
        best = rate;
    }
    std::printf("RESULT label=%s mode=joins max_joins_per_s=%.0f\n",
                o.label.empty() ? "-" : o.label.c_str(), best);
    return 0;
}

}  // namespace
}  // namespace sidebar::loadgen

int main(int argc, char** argv) {
    try {
        const auto options = sidebar::loadgen::parse_options(argc, argv);
        if (options.mode == "joins") return sidebar::loadgen::run_joins(options);
        if (options.mode == "sidebars") return sidebar::loadgen::run_sidebars(options);
        return sidebar::loadgen::run_media(options);
    } catch (const std::exception& e) {
        std::cerr << "sidebar_loadgen: " << e.what() << "\n";
        return 1;
    }
}
