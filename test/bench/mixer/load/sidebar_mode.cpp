// The sidebars mode (see sidebar_mode.hpp). Timeline of one run, media flowing throughout:
//   join N members -> warmup -> window "none" -> [build sidebars -> window "sb" -> dissolve ->
//   window "none"] x rounds.
// Windows of both kinds alternate so that drift on a shared machine (other builds, the entry
// announcements ending, jitter buffers settling) lands on both sides of the comparison.
#include "test/bench/mixer/load/sidebar_mode.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <semaphore>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "test/bench/mixer/load/load_plan.hpp"
#include "test/bench/mixer/load/mixer_probe.hpp"
#include "test/bench/mixer/load/rtp_load.hpp"
#include "test/bench/mixer/load/sidebar_controller.hpp"
#include "test/bench/mixer/load/sip_client.hpp"

namespace sidebar::loadgen {
namespace {

constexpr auto kSettle = std::chrono::milliseconds(500);  // after a change, before measuring
constexpr int kBuildDeadlineMs = 60000;
constexpr int kDissolveDeadlineMs = 10000;

// Mixer CPU and ticks over one measured window.
struct Cost {
    double wall = 0, cpu = 0, ticks = 0, late = 0;
    Cost& operator+=(const Cost& c) {
        wall += c.wall, cpu += c.cpu, ticks += c.ticks, late += c.late;
        return *this;
    }
};

Cost measure(const Options& o) {
    auto s0 = sample_process(o.pid);
    if (!s0) throw std::runtime_error("the mixer (pid " + std::to_string(o.pid) + ") is gone");
    sample_metrics(o.admin_port, *s0);
    std::this_thread::sleep_for(std::chrono::duration<double>(o.measure_s));
    auto s1 = sample_process(o.pid);
    if (!s1) throw std::runtime_error("the mixer exited during a window");
    sample_metrics(o.admin_port, *s1);
    return Cost{s1->wall_seconds - s0->wall_seconds, s1->cpu_seconds - s0->cpu_seconds,
                s1->ticks - s0->ticks, s1->late_ticks - s0->late_ticks};
}

// µs of mixer CPU per member per 20 ms of wall time.
double us_member_tick(const Cost& c, double members) {
    return c.wall > 0 && members > 0 ? c.cpu * 1e6 / (members * c.wall / 0.02) : -1;
}
// The same per room tick that ran (media mode's us/m/rt: a late clock skips ticks).
double us_member_roomtick(const Cost& c, double members, int room_size) {
    return c.ticks > 0 ? c.cpu * 1e6 / (c.ticks * std::min(members, double(room_size))) : -1;
}

// The pairs to move: quiet members only, so the talkers, the clicker and the probe keep the
// main rooms' audio (and the click-delay check) the same in both kinds of window; spread over
// the rooms round-robin. Member numbers come from the mixer (join order is not send order).
std::vector<SidebarJob> plan_pairs(const Options& o, const std::vector<Call>& calls) {
    std::unordered_map<std::string, std::size_t> call_index;
    for (std::size_t i = 0; i < calls.size(); ++i)
        call_index[calls[i].call_id] = i;
    const int rooms = (o.members + o.room_size - 1) / o.room_size;
    std::vector<std::vector<uint32_t>> eligible(static_cast<std::size_t>(rooms));
    for (int r = 0; r < rooms; ++r) {
        for (const RoomMember& m : room_members(o.admin_port, std::to_string(o.room_base + r))) {
            auto it = call_index.find(m.call_id);
            if (it == call_index.end() || m.sidebar != 0) continue;
            if (it->second == 1 || role_of(o, it->second) != Role::quiet) continue;
            eligible[static_cast<std::size_t>(r)].push_back(m.number);
        }
    }
    const auto pairs = static_cast<std::size_t>(std::lround(o.members * o.sidebar_fraction / 2));
    std::vector<SidebarJob> jobs;
    for (bool more = true; more && jobs.size() < pairs;) {
        more = false;
        for (int r = 0; r < rooms && jobs.size() < pairs; ++r) {
            auto& left = eligible[static_cast<std::size_t>(r)];
            if (left.size() < 2) continue;
            SidebarJob job;
            job.room = std::to_string(o.room_base + r);
            job.members = {left[left.size() - 2], left.back()};
            left.resize(left.size() - 2);
            jobs.push_back(std::move(job));
            more = true;
        }
    }
    return jobs;
}

// Members the mixer reports in a sidebar, over the planned jobs' rooms.
int members_in_sidebars(const Options& o, const std::vector<SidebarJob>& jobs) {
    std::vector<std::string> rooms;
    for (const SidebarJob& job : jobs)
        if (std::find(rooms.begin(), rooms.end(), job.room) == rooms.end())
            rooms.push_back(job.room);
    int count = 0;
    for (const std::string& room : rooms)
        for (const RoomMember& m : room_members(o.admin_port, room))
            count += m.sidebar != 0 ? 1 : 0;
    return count;
}

// The mixer answers the BYE before its room thread dissolves the sidebar, so a loaded mixer
// may still list members in it for a moment: ask again for up to 3 s.
int left_after_dissolve(const Options& o, const std::vector<SidebarJob>& jobs) {
    int left = members_in_sidebars(o, jobs);
    for (int i = 0; i < 30 && left != 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        left = members_in_sidebars(o, jobs);
    }
    return left;
}

struct ControlFigures {
    std::vector<int64_t> invite_us, refer_us;
    int errors = 0;
    std::string first_error;
    int in_sidebars = -1;       // as the mixer lists them after the first build
    int left_in_sidebars = -1;  // after the last dissolve (should be 0)
};

void collect(const std::vector<SidebarJob>& jobs, ControlFigures& out) {
    for (const SidebarJob& job : jobs) {
        if (job.invite_us >= 0) out.invite_us.push_back(job.invite_us);
        out.refer_us.insert(out.refer_us.end(), job.refer_us.begin(), job.refer_us.end());
        if (job.error.empty()) continue;
        if (out.errors++ == 0) out.first_error = job.room + ": " + job.error;
    }
}

void print_result(const Options& o, const SipRunStats& setup, std::size_t pairs,
                  const ControlFigures& ctl, const std::vector<Cost>& none,
                  const std::vector<Cost>& sb, const MediaResult& media) {
    Cost none_sum, sb_sum;
    std::string windows;
    // Alternating windows, "none" first: n0/s0/n1/s1/.../nR, for eyeballing the drift.
    auto add_window = [&](const Cost& c) {
        char text[32];
        std::snprintf(text, sizeof text, "%s%.2f", windows.empty() ? "" : "/",
                      us_member_tick(c, setup.established));
        windows += text;
    };
    for (std::size_t i = 0; i < none.size(); ++i) {
        none_sum += none[i];
        add_window(none[i]);
        if (i < sb.size()) {
            sb_sum += sb[i];
            add_window(sb[i]);
        }
    }
    const double est = setup.established;
    const double cpu_none = us_member_tick(none_sum, est), cpu_sb = us_member_tick(sb_sum, est);
    // Each sidebar window against the mean of the none windows either side of it: a slow drift
    // of the machine's load cancels out; the median keeps one disturbed round from deciding.
    std::vector<double> paired;
    for (std::size_t i = 0; i < sb.size() && i + 1 < none.size(); ++i) {
        const double around = (us_member_tick(none[i], est) + us_member_tick(none[i + 1], est)) / 2;
        if (around > 0) paired.push_back(100 * (us_member_tick(sb[i], est) / around - 1));
    }
    std::sort(paired.begin(), paired.end());
    const std::size_t mid = paired.size() / 2;
    const double paired_pct = paired.empty()           ? 0
                              : paired.size() % 2 == 1 ? paired[mid]
                                                       : (paired[mid - 1] + paired[mid]) / 2;
    const double expected = static_cast<double>(std::max(0, media.measured_ticks - 1)) * est;
    auto ms = [](const std::vector<int64_t>& v, double q) {
        return v.empty() ? -1 : quantile_us(v, q) / 1000;
    };
    std::printf(
        "RESULT label=%s mode=sidebars codec=%s members=%d room_size=%d established=%d "
        "setup_s=%.2f sidebar_fraction=%.3f sidebars=%zu moved=%zu rounds=%d concurrency=%d "
        "invites=%zu invite_p50_ms=%.2f invite_p99_ms=%.2f invite_max_ms=%.2f refers=%zu "
        "refer_p50_ms=%.2f refer_p99_ms=%.2f refer_max_ms=%.2f ctl_errors=%d in_sidebars=%d "
        "left_in_sidebars=%d cpu_none_us_member_tick=%.3f cpu_sb_us_member_tick=%.3f "
        "cpu_sb_vs_none_pct=%+.1f cpu_sb_vs_none_paired_pct=%+.1f "
        "cpu_none_us_member_roomtick=%.3f "
        "cpu_sb_us_member_roomtick=%.3f late_pct_none=%.3f late_pct_sb=%.3f cpu_windows=%s "
        "rx_loss_pct=%.3f jitter_p99_us=%.0f gen_late_ticks=%d\n",
        o.label.empty() ? "-" : o.label.c_str(), o.codec.c_str(), o.members, o.room_size,
        setup.established, setup.seconds, o.sidebar_fraction, pairs, 2 * pairs, o.sidebar_rounds,
        o.sidebar_concurrency, ctl.invite_us.size(), ms(ctl.invite_us, 0.5),
        ms(ctl.invite_us, 0.99), ms(ctl.invite_us, 1), ctl.refer_us.size(), ms(ctl.refer_us, 0.5),
        ms(ctl.refer_us, 0.99), ms(ctl.refer_us, 1), ctl.errors, ctl.in_sidebars,
        ctl.left_in_sidebars, cpu_none, cpu_sb,
        cpu_none > 0 && cpu_sb > 0 ? 100 * (cpu_sb / cpu_none - 1) : 0, paired_pct,
        us_member_roomtick(none_sum, est, o.room_size),
        us_member_roomtick(sb_sum, est, o.room_size),
        none_sum.ticks > 0 ? 100 * none_sum.late / none_sum.ticks : -1,
        sb_sum.ticks > 0 ? 100 * sb_sum.late / sb_sum.ticks : -1, windows.c_str(),
        expected > 0 ? std::max(0.0, 100 * (1 - static_cast<double>(media.received) / expected))
                     : -1,
        media.jitter_p99_us, media.send_late_ticks);
    if (ctl.errors > 0) {
        std::cerr << "sidebar_loadgen: " << ctl.errors
                  << " sidebar(s) went wrong; first: " << ctl.first_error << "\n";
    }
}

// The windows: none, then per round build -> sb window -> dissolve -> none window.
void run_rounds(const Options& o, SidebarController& controller,
                const std::vector<SidebarJob>& planned, ControlFigures& ctl,
                std::vector<Cost>& none, std::vector<Cost>& sb) {
    none.push_back(measure(o));
    for (int round = 0; round < o.sidebar_rounds; ++round) {
        std::vector<SidebarJob> jobs = planned;
        controller.build(jobs, o.sidebar_concurrency, kBuildDeadlineMs);
        if (round == 0) ctl.in_sidebars = members_in_sidebars(o, jobs);
        std::this_thread::sleep_for(kSettle);
        sb.push_back(measure(o));
        controller.dissolve(jobs, kDissolveDeadlineMs);
        collect(jobs, ctl);
        if (round + 1 == o.sidebar_rounds) ctl.left_in_sidebars = left_after_dissolve(o, jobs);
        std::this_thread::sleep_for(kSettle);
        none.push_back(measure(o));
    }
}

}  // namespace

int run_sidebars(const Options& o) {
    if (o.pid == 0) throw std::invalid_argument("--mode sidebars needs --pid (the mixer's CPU)");
    const auto kind = o.codec == "opus" ? codec::Kind::opus : codec::Kind::pcmu;
    auto payloads = make_payloads(kind);
    if (!payloads) throw std::runtime_error(payloads.message());
    const auto n = static_cast<std::size_t>(o.members);
    auto rtp = RtpLoad::open(n, static_cast<std::size_t>(o.per_socket));
    if (!rtp) throw std::runtime_error(rtp.message());
    auto sip = SipClient::open(o.sip_port);
    if (!sip) throw std::runtime_error(sip.message());
    // Its SDP is a=inactive: the mixer sends nothing to this socket; it only has to exist.
    auto sink = RtpLoad::open(1, 1);
    if (!sink) throw std::runtime_error(sink.message());
    auto controller = SidebarController::open(o.sip_port, sink->local_port(0), o.secret);
    if (!controller) throw std::runtime_error(controller.message());

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
    std::atomic<bool> hold{true}, serving{true};
    MediaWindow window;
    window.warmup_ticks = static_cast<int>(o.warmup_s * 50);
    window.measure_ticks = 1;
    window.hold = &hold;
    std::binary_semaphore started{0}, ended{0};  // ended: unused, the join waits for the end
    MediaResult result;
    std::thread sender([&] { result = rtp->run(media, *payloads, window, started, ended); });
    // The members' SIP socket is served on its own thread so the controller's timings never
    // wait behind it.
    std::thread server([&] {
        while (serving.load())
            sip->serve(calls, 10);
    });
    // Stops and joins both threads on every way out: a mixer that dies mid-run throws.
    auto stop = [&] {
        hold.store(false);
        serving.store(false);
        if (sender.joinable()) sender.join();
        if (server.joinable()) server.join();
    };
    std::vector<SidebarJob> planned;
    ControlFigures ctl;
    std::vector<Cost> none, sb;
    try {
        planned = plan_pairs(o, calls);  // during the warmup: no window is disturbed
        started.acquire();
        run_rounds(o, *controller, planned, ctl, none, sb);
    } catch (...) {
        stop();
        throw;
    }
    stop();
    sip->hang_up(calls, plan);

    print_result(o, setup, planned.size(), ctl, none, sb, result);
    const bool ok = setup.established == o.members && ctl.errors == 0 &&
                    ctl.in_sidebars == static_cast<int>(2 * planned.size()) &&
                    ctl.left_in_sidebars == 0;
    return ok ? 0 : 2;
}

}  // namespace sidebar::loadgen
