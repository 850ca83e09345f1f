// Loading configuration files: good files, syntax errors with line:column, and hostile files.
#include "common/config/json_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>

#include "common/config/config_reader.hpp"

using namespace sidebar::config;

namespace {

const std::string kData = std::string(SIDEBAR_TEST_DATA) + "/config/";

template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

// A file under /tmp removed at the end of the test.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& content) {
        char name[] = "/tmp/sidebar-config-XXXXXX";
        const int fd = ::mkstemp(name);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = name;
        std::ofstream(path, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("a good file loads and reads", "[config]") {
    const auto j = load_json_file(kData + "good.json");
    ConfigReader root(j, "mixer");
    CHECK(root.string("log_level", "warn", {"debug", "info", "warn", "error"}) == "info");
    auto rtp = root.child("rtp");
    CHECK(rtp.ip_address("address", "127.0.0.1") == "0.0.0.0");
    CHECK(rtp.integer("port_min", 1024, 65535, 1) == 20000);
    CHECK(rtp.integer("port_max", 1024, 65535, 1) == 20999);
    CHECK(rtp.duration_ms("inactivity_timeout", std::chrono::seconds(1), std::chrono::hours(1),
                          std::chrono::seconds(60)) == std::chrono::seconds(30));
    CHECK_NOTHROW(rtp.finish());
    auto rooms = root.objects("rooms");
    REQUIRE(rooms.size() == 2);
    CHECK(rooms[1].number("sidebar_parent_gain_db", -60, 0, -12) == -12.0);
    CHECK(root.strings("codecs", {}).size() == 4);
    CHECK(root.child("sip").endpoint("listen", "0.0.0.0:5060").port == 5070);
    // "recording" was never asked for.
    CHECK(error_of([&] { root.finish(); }) ==
          "mixer.recording: unknown key (known: log_level, rtp, rooms, codecs, sip)");
}

TEST_CASE("syntax errors say file:line:column", "[config]") {
    const std::string path = kData + "bad_syntax.json";
    const std::string msg = error_of([&] { load_json_file(path); });
    INFO(msg);
    CHECK(msg.starts_with(path + ":8:14: JSON syntax error: syntax error while parsing object"));
    CHECK(msg.find("[json.exception") == std::string::npos);

    const std::string un = error_of([&] { load_json_file(kData + "unterminated_string.json"); });
    INFO(un);
    CHECK(
        std::regex_search(un, std::regex(R"(unterminated_string\.json:1:\d+: JSON syntax error)")));
    CHECK(un.find('\n') == std::string::npos);  // the raw newline nlohmann quotes is masked

    const std::string utf = error_of([&] { load_json_file(kData + "invalid_utf8.json"); });
    CHECK(utf.find("invalid_utf8.json:1:") != std::string::npos);
    CHECK(utf.find("UTF-8") != std::string::npos);

    CHECK(error_of([&] {
              load_json_file(kData + "empty.json");
          }).starts_with(kData + "empty.json:1:1: JSON syntax error"));
}

TEST_CASE("line and column of a byte offset", "[config]") {
    CHECK(position_of("abc", 0).line == 1);
    CHECK(position_of("abc", 2).column == 3);
    CHECK(position_of("a\nbc\n", 3).line == 2);
    CHECK(position_of("a\nbc\n", 3).column == 2);
    CHECK(position_of("a\n", 99).line == 2);  // clamped to the end
}

TEST_CASE("files that are not configuration are refused clearly", "[config]") {
    CHECK(error_of([] { load_json_file("/nonexistent/mixer.json"); }) ==
          "/nonexistent/mixer.json: cannot open: No such file or directory");
    CHECK(error_of([] { load_json_file("/tmp"); }) == "/tmp: is a directory, not a JSON file");
    CHECK(error_of([] { load_json_file("/dev/null"); }) == "/dev/null: is not a regular file");
    const std::string dup = error_of([] { load_json_file(kData + "duplicate_key.json"); });
    CHECK(dup == kData + "duplicate_key.json: duplicate key rtp.port_min");
    const auto arr = load_json_file(kData + "not_object.json");
    CHECK(error_of([&] { ConfigReader(arr, "mixer"); }) ==
          "mixer: expected an object, got [\"a config must be an object\"]");
}

TEST_CASE("a file over 1 MiB is refused before parsing", "[config]") {
    TempFile big("{\"pad\": \"" + std::string(kMaxConfigBytes, 'x') + "\"}");
    CHECK(error_of([&] { load_json_file(big.path); }) ==
          big.path + ": is " + std::to_string(kMaxConfigBytes + 11) +
              " bytes, more than the 1048576-byte limit for a configuration file");
}

TEST_CASE("an unreadable file says so", "[config]") {
    TempFile secret("{}");
    ::chmod(secret.path.c_str(), 0);
    if (::geteuid() == 0) {
        // root reads anything: the permission check cannot be shown here, the file still loads.
        CHECK(load_json_file(secret.path).is_object());
    } else {
        CHECK(error_of([&] { load_json_file(secret.path); }) ==
              secret.path + ": cannot open: Permission denied");
    }
}

TEST_CASE("hostile JSON text", "[config]") {
    SECTION("deep nesting is refused, not recursed into") {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        CHECK(error_of([&] { parse_json_text(deep, "deep.json"); }) ==
              "deep.json: JSON nested deeper than 64 levels at "
              "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
              "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
              "[0][0][0][0][0][0][0][0][0]");
        CHECK_NOTHROW(parse_json_text(std::string(64, '[') + std::string(64, ']'), "ok"));
    }
    SECTION("duplicates deep inside arrays name their path") {
        CHECK(error_of([] {
                  parse_json_text(R"({"rooms": [{"a": 1}, 2, {"pin": "1", "pin": "2"}]})", "f");
              }) == "f: duplicate key rooms[2].pin");
        CHECK_NOTHROW(parse_json_text(R"([{"a": 1}, {"a": 2}])", "f"));
    }
    SECTION("a number too large for a double") {
        CHECK(error_of([] {
                  parse_json_text(R"({"n": 1e400})", "f");
              }).starts_with("f: JSON error: number overflow"));
    }
    SECTION("NUL bytes and trailing garbage") {
        CHECK(error_of([] {
                  parse_json_text(std::string("{}\0", 3), "f");
              }).starts_with("f:1:3: JSON syntax error"));
        CHECK(error_of([] { parse_json_text("{} {}", "f"); }).starts_with("f:1:4: JSON syntax"));
    }
    SECTION("a byte-order mark is accepted") {
        CHECK(parse_json_text("\xef\xbb\xbf{\"a\": 1}", "f")["a"] == 1);
    }
}
