// The logger: line layout through the API, level filtering, sinks, and whole lines under threads.
#include "common/log/log.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace slog = sidebar::log;

namespace {

// Captures lines for one test and restores stderr and the threshold afterwards.
struct Capture {
    std::vector<std::string> lines;
    Capture() {
        slog::set_service("mixer");
        slog::set_level(slog::Level::info);
        slog::set_sink([this](std::string_view line) { lines.emplace_back(line); });
    }
    ~Capture() {
        slog::set_sink({});
        slog::set_level(slog::Level::info);
    }
};

const std::regex kStamp(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )");

std::string without_stamp(const std::string& line) {
    REQUIRE(std::regex_search(line, kStamp));
    return line.substr(25);
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("the builder writes one line when it goes out of scope", "[log]") {
    Capture cap;
    const std::string id = "a84b4c76e66710";
    slog::info("member.join")
        .field("call-id", id)
        .field("room", "1000")
        .field("member", 3)
        .field("codec", "PCMU")
        .msg("joined");
    REQUIRE(cap.lines.size() == 1);
    CHECK(without_stamp(cap.lines[0]) ==
          "INFO  mixer  event=member.join call-id=a84b4c76e66710 room=1000 member=3 codec=PCMU "
          "msg=\"joined\"\n");
}

TEST_CASE("the one-call form writes the same line", "[log]") {
    Capture cap;
    slog::warn("rtp.foreign_source", {{"call-id", "x1"}, {"from", "10.0.0.9:4000"}, {"count", 12u}},
               "dropped a packet from an unexpected address");
    slog::error("config.bad", {{"ok", false}, {"delta", -5}});
    REQUIRE(cap.lines.size() == 2);
    CHECK(without_stamp(cap.lines[0]) ==
          "WARN  mixer  event=rtp.foreign_source call-id=x1 from=10.0.0.9:4000 count=12 "
          "msg=\"dropped a packet from an unexpected address\"\n");
    CHECK(without_stamp(cap.lines[1]) == "ERROR mixer  event=config.bad ok=false delta=-5\n");
}

TEST_CASE("a hostile SIP header value stays inside its own line", "[log]") {
    Capture cap;
    const std::string from =
        "\"Bob\"\r\n2026-11-25T04:10:00.123Z INFO  mixer  event=admin.grant user=bob\x00 x";
    slog::info("sip.invite").field("from", from).field("ua", std::string(4000, 'U')).msg(from);
    REQUIRE(cap.lines.size() == 1);
    const std::string& line = cap.lines[0];
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find('\r') == std::string::npos);
    CHECK(line.find("from=\"\\\"Bob\\\"\\r\\n2026") != std::string::npos);
    CHECK(line.find("...(truncated, 4000 bytes)") != std::string::npos);
    CHECK(line.size() < 1500);
}

TEST_CASE("lines below the threshold are dropped", "[log]") {
    Capture cap;
    slog::set_level(slog::Level::warn);
    CHECK_FALSE(slog::enabled(slog::Level::info));
    CHECK(slog::enabled(slog::Level::error));
    slog::debug("a").msg("no");
    slog::info("b", {{"k", "v"}}, "no");
    slog::warn("c").msg("yes");
    slog::error("d", {}, "yes");
    REQUIRE(cap.lines.size() == 2);
    CHECK(cap.lines[0].find("event=c") != std::string::npos);
    CHECK(cap.lines[1].find("event=d") != std::string::npos);
    slog::set_level(slog::Level::debug);
    slog::debug("e").msg("now yes");
    CHECK(cap.lines.size() == 3);
    CHECK(slog::level() == slog::Level::debug);
}

TEST_CASE("level names parse for configuration", "[log]") {
    CHECK(slog::parse_level("debug") == slog::Level::debug);
    CHECK(slog::parse_level("info") == slog::Level::info);
    CHECK(slog::parse_level("warning") == slog::Level::warn);
    CHECK(slog::parse_level("error") == slog::Level::error);
    CHECK_FALSE(slog::parse_level("INFO").has_value());
    CHECK_FALSE(slog::parse_level("").has_value());
}

TEST_CASE("integer fields of every width", "[log]") {
    Capture cap;
    slog::info("n")
        .field("i8", int8_t{-128})
        .field("u64", uint64_t{18446744073709551615u})
        .field("i64", int64_t{-9223372036854775807 - 1});
    REQUIRE(cap.lines.size() == 1);
    CHECK(cap.lines[0].find("i8=-128 u64=18446744073709551615 i64=-9223372036854775808\n") !=
          std::string::npos);
}

TEST_CASE("doubles and bools are formatted as themselves", "[log]") {
    Capture cap;
    slog::info("n").field("gain_db", -12.5).field("f", 0.1f).field("on", true).field("x", 1e300);
    REQUIRE(cap.lines.size() == 1);
    CHECK(cap.lines[0].find("gain_db=-12.5 f=0.1 on=true x=1e+300\n") != std::string::npos);
}

TEST_CASE("many threads logging at once produce whole lines", "[log]") {
    constexpr int kThreads = 8;
    constexpr int kLines = 500;
    SECTION("through a sink") {
        Capture cap;
        std::string all;  // guarded by the logger's own lock: the sink runs under it
        slog::set_sink([&all](std::string_view line) {
            for (const char c : line)
                all += c;  // byte by byte, to widen any window for interleaving
        });
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([t] {
                for (int i = 0; i < kLines; ++i)
                    slog::info("stress").field("thread", t).field("i", i).msg("x y z");
            });
        }
        for (auto& th : threads)
            th.join();
        const auto lines = split_lines(all);
        REQUIRE(lines.size() == std::size_t(kThreads * kLines));
        const std::regex whole(
            R"(^\S+ INFO  mixer  event=stress thread=(\d) i=(\d+) msg="x y z"$)");
        std::vector<int> next(kThreads, 0);
        for (const auto& line : lines) {
            std::smatch m;
            REQUIRE(std::regex_match(line, m, whole));
            const int t = std::stoi(m[1]);
            CHECK(std::stoi(m[2]) == next[std::size_t(t)]++);  // each thread's lines in order
        }
    }
    SECTION("to stderr") {
        std::FILE* tmp = std::tmpfile();
        REQUIRE(tmp != nullptr);
        const int saved = ::dup(STDERR_FILENO);
        REQUIRE(::dup2(::fileno(tmp), STDERR_FILENO) >= 0);
        slog::set_sink({});
        slog::set_service("ivr");
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([t] {
                for (int i = 0; i < kLines; ++i)
                    slog::info("stress", {{"thread", t}, {"pad", std::string(300, 'p')}});
            });
        }
        for (auto& th : threads)
            th.join();
        ::dup2(saved, STDERR_FILENO);
        ::close(saved);
        std::fseek(tmp, 0, SEEK_SET);
        std::string all;
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;)
            all.append(buf, n);
        std::fclose(tmp);
        const auto lines = split_lines(all);
        REQUIRE(lines.size() == std::size_t(kThreads * kLines));
        const std::regex whole(R"(^\S+ INFO  ivr    event=stress thread=\d pad=p{300}$)");
        for (const auto& line : lines)
            REQUIRE(std::regex_match(line, whole));
        slog::set_service("mixer");
    }
}
