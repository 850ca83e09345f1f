// /proc and /metrics sampling of the mixer (see mixer_probe.hpp).
#include "test/bench/mixer/load/mixer_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace sidebar::loadgen {
namespace {

constexpr std::size_t kMaxMetrics = 1 << 20;

double wall_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string http_get(uint16_t port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return {};
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(port);
    std::string out;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
        const std::string req =
            "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        std::array<char, 16384> buf{};
        while (out.size() < kMaxMetrics && std::chrono::steady_clock::now() < until) {
            pollfd p{};
            p.fd = fd;
            p.events = POLLIN;
            if (::poll(&p, 1, 200) <= 0) continue;
            const ssize_t got = ::recv(fd, buf.data(), buf.size(), 0);
            if (got <= 0) break;
            out.append(buf.data(), static_cast<std::size_t>(got));
        }
    }
    ::close(fd);
    return out;
}

}  // namespace

std::optional<MixerSample> sample_process(int pid) {
    MixerSample s;
    s.wall_seconds = wall_now();
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return std::nullopt;
    const auto paren = line.rfind(')');
    if (paren == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(paren + 2));
    std::vector<std::string> f;
    for (std::string w; fields >> w && f.size() < 20;)
        f.push_back(w);
    if (f.size() < 13) return std::nullopt;
    // After "(comm)": state is field 3, utime 14 and stime 15 (proc(5)), so indexes 11 and 12.
    const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / hz;
    // The process CPU clock says the same in nanoseconds; /proc counts 10 ms jiffies, too coarse
    // for a window of a few seconds at small N (the sidebar mode compares such windows).
    clockid_t clock{};
    timespec cpu{};
    if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &cpu) == 0) {
        s.cpu_seconds = static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) / 1e9;
    }
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) s.rss_kb = std::stod(line.substr(6));
    }
    return s;
}

void sample_metrics(uint16_t admin_port, MixerSample& sample) {
    const std::string text = http_get(admin_port, "/metrics");
    std::istringstream in(text);
    std::string line;
    bool any = false;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        if (space == std::string::npos) continue;
        const std::string name = line.substr(0, space);
        double value = 0;
        try {
            value = std::stod(line.substr(space + 1));
        } catch (const std::exception&) {
            continue;  // "+Inf" values or a malformed line: not a counter we read
        }
        if (name == "sidebar_mixer_ticks_total") {
            sample.ticks = value;
            any = true;
        } else if (name == "sidebar_mixer_late_ticks_total") {
            sample.late_ticks = value;
        } else if (name.starts_with("sidebar_mixer_tick_seconds_bucket{le=\"")) {
            const std::string le = name.substr(38, name.find('"', 38) - 38);
            const double bound =
                le == "+Inf" ? std::numeric_limits<double>::infinity() : std::atof(le.c_str());
            sample.tick_buckets[bound] = value;
        }
    }
    sample.metrics_ok = any;
}

std::vector<RoomMember> room_members(uint16_t admin_port, const std::string& room) {
    const std::string text = http_get(admin_port, "/rooms/" + room);
    const auto split = text.find("\r\n\r\n");
    if (!text.starts_with("HTTP/1.1 200") || split == std::string::npos) return {};
    // A truncated or odd answer is "no members": the caller then moves nobody.
    const auto json = nlohmann::json::parse(text.substr(split + 4), nullptr, false);
    std::vector<RoomMember> out;
    if (!json.is_object() || !json.contains("members") || !json["members"].is_array()) return out;
    for (const auto& m : json["members"]) {
        if (!m.is_object()) continue;
        RoomMember member;
        member.number = m.value("number", 0u);
        member.sidebar = m.value("sidebar", 0u);
        member.call_id = m.value("call_id", std::string());
        if (member.number != 0) out.push_back(std::move(member));
    }
    return out;
}

double tick_quantile_us(const MixerSample& before, const MixerSample& after, double q) {
    const double total = after.ticks - before.ticks;
    if (total <= 0) return 0;
    for (const auto& [le, count] : after.tick_buckets) {
        auto it = before.tick_buckets.find(le);
        const double delta = count - (it == before.tick_buckets.end() ? 0 : it->second);
        if (delta >= q * total) return std::isinf(le) ? -1 : le * 1e6;
    }
    return -1;
}

}  // namespace sidebar::loadgen
