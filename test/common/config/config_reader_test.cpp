// ConfigReader: every value type, ranges, defaults, exact error messages with key paths, unknown
// keys, nested sections and arrays of objects.
#include "common/config/config_reader.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::config;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

// The message of the ConfigError `f` throws ("" when it does not throw).
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("integers: value, default, type and range errors", "[config]") {
    const json j = json::parse(R"({"rtp": {"port_min": 20000, "port_max": "abc", "a": 70000,
        "b": 20000.5, "c": -1, "d": 18446744073709551615, "e": true, "f": null, "g": [1]}})");
    ConfigReader root(j, "mixer");
    auto rtp = root.child("rtp");
    CHECK(rtp.integer("port_min", 1024, 65535, 1) == 20000);
    CHECK(rtp.integer("missing", 1024, 65535, 30000) == 30000);
    CHECK(error_of([&] { rtp.integer("port_max", 1024, 65535, 20000); }) ==
          "mixer.rtp.port_max: expected an integer in 1024..65535, got \"abc\"");
    CHECK(error_of([&] { rtp.integer("a", 1024, 65535, 20000); }) ==
          "mixer.rtp.a: expected an integer in 1024..65535, got 70000");
    CHECK(error_of([&] { rtp.integer("b", 1024, 65535, 20000); }) ==
          "mixer.rtp.b: expected an integer in 1024..65535, got 20000.5");
    CHECK(error_of([&] { rtp.integer("c", 0, 10, 0); }) ==
          "mixer.rtp.c: expected an integer in 0..10, got -1");
    CHECK(error_of([&] { rtp.integer64("d", 0, INT64_MAX, 0); }) ==
          "mixer.rtp.d: expected an integer in 0..9223372036854775807, got "
          "18446744073709551615");
    CHECK(error_of([&] { rtp.integer("e", 0, 1, 0); }) ==
          "mixer.rtp.e: expected an integer in 0..1, got true");
    CHECK(error_of([&] { rtp.integer("f", 0, 1, 0); }) ==
          "mixer.rtp.f: expected an integer in 0..1, got null");
    CHECK(error_of([&] { rtp.integer("g", 0, 1, 0); }) ==
          "mixer.rtp.g: expected an integer in 0..1, got [1]");
    CHECK(rtp.integer64("c", -5, 5, 0) == -1);
}

TEST_CASE("numbers: doubles within a range", "[config]") {
    const json j = json::parse(R"({"gain": -12.5, "whole": 3, "big": 1e300, "s": "1"})");
    ConfigReader r(j, "mixer");
    CHECK(r.number("gain", -60, 6, 0) == -12.5);
    CHECK(r.number("whole", 0, 10, 0) == 3.0);
    CHECK(r.number("missing", 0, 10, 2.5) == 2.5);
    CHECK(error_of([&] { r.number("big", -60, 6.5, 0); }) ==
          "mixer.big: expected a number in -60..6.5, got 1e+300");
    CHECK(error_of([&] { r.number("s", 0, 1, 0); }) ==
          "mixer.s: expected a number in 0..1, got \"1\"");
}

TEST_CASE("booleans are only true or false", "[config]") {
    const json j = json::parse(R"({"on": true, "off": false, "one": 1, "yes": "yes"})");
    ConfigReader r(j, "ivr");
    CHECK(r.boolean("on", false));
    CHECK_FALSE(r.boolean("off", true));
    CHECK(r.boolean("missing", true));
    CHECK(error_of([&] { r.boolean("one", false); }) == "ivr.one: expected true or false, got 1");
    CHECK(error_of([&] { r.boolean("yes", false); }) ==
          "ivr.yes: expected true or false, got \"yes\"");
}

TEST_CASE("strings: plain, from an allowed set, and checked by a validator", "[config]") {
    const json j = json::parse(
        R"({"name": "Demo", "codec": "GSM", "level": "info", "room": "12a", "num": 5})");
    ConfigReader r(j, "mixer");
    CHECK(r.string("name", "x") == "Demo");
    CHECK(r.string("missing", "fallback") == "fallback");
    CHECK(error_of([&] { r.string("num", ""); }) == "mixer.num: expected a string, got 5");
    CHECK(r.string("level", "warn", {"debug", "info", "warn", "error"}) == "info");
    CHECK(error_of([&] {
              r.string("codec", "PCMU", {"PCMU", "PCMA"});
          }) == "mixer.codec: expected one of \"PCMU\", \"PCMA\", got \"GSM\"");
    CHECK(error_of([&] { r.string("num", "PCMU", {"PCMU"}); }) ==
          "mixer.num: expected one of \"PCMU\", got 5");
    auto digits = [](std::string_view s) {
        return !s.empty() && s.size() <= 10 &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    CHECK(error_of([&] { r.string("room", "1000", "a room number of 1-10 digits", digits); }) ==
          "mixer.room: expected a room number of 1-10 digits, got \"12a\"");
    CHECK(r.string("name2", "1000", "a room number", digits) == "1000");
}

TEST_CASE("string lists", "[config]") {
    const json j =
        json::parse(R"({"codecs": ["opus", "PCMU"], "bad": ["PCMU", 5], "one": "PCMU", "e": []})");
    ConfigReader r(j, "mixer");
    CHECK(r.strings("codecs", {}) == std::vector<std::string>{"opus", "PCMU"});
    CHECK(r.strings("missing", {"PCMA"}) == std::vector<std::string>{"PCMA"});
    CHECK(r.strings("e", {"PCMA"}).empty());
    CHECK(error_of([&] { r.strings("bad", {}); }) == "mixer.bad[1]: expected a string, got 5");
    CHECK(error_of([&] { r.strings("one", {}); }) ==
          "mixer.one: expected an array of strings, got \"PCMU\"");
}

TEST_CASE("addresses and endpoints", "[config]") {
    const json j = json::parse(R"({"addr": "::1", "bad_addr": "localhost", "listen":
        "[2001:db8::5]:5061", "bad": "127.0.0.1:0", "any": "0.0.0.0:0", "n": 5060})");
    ConfigReader r(j, "ivr");
    CHECK(r.ip_address("addr", "127.0.0.1") == "::1");
    CHECK(r.ip_address("missing_addr", "127.0.0.1") == "127.0.0.1");
    CHECK(error_of([&] { r.ip_address("bad_addr", "127.0.0.1"); }) ==
          "ivr.bad_addr: expected an IPv4 or IPv6 address, got \"localhost\"");
    CHECK(r.endpoint("listen", "127.0.0.1:5060") == Endpoint{"2001:db8::5", 5061});
    CHECK(r.endpoint("missing", "127.0.0.1:5060") == Endpoint{"127.0.0.1", 5060});
    CHECK(r.endpoint("any", "127.0.0.1:5060", true) == Endpoint{"0.0.0.0", 0});
    CHECK(error_of([&] { r.endpoint("bad", "127.0.0.1:5060"); }) ==
          "ivr.bad: expected host:port (port 1..65535; [address]:port for IPv6), got "
          "\"127.0.0.1:0\"");
    CHECK(error_of([&] { r.endpoint("n", "127.0.0.1:5060"); }) ==
          "ivr.n: expected host:port (port 1..65535; [address]:port for IPv6), got 5060");
    CHECK(error_of([&] { r.endpoint("missing2", "nonsense"); }) ==
          "ivr.missing2: built-in default \"nonsense\" is not host:port (port 1..65535; "
          "[address]:port for IPv6)");
}

TEST_CASE("durations in milliseconds", "[config]") {
    const json j = json::parse(
        R"({"a": 250, "b": "30s", "c": "2m", "d": "soon", "e": -5, "f": 1.5, "g": "1h"})");
    ConfigReader r(j, "mixer");
    const auto min = milliseconds(20);
    const auto max = milliseconds(600000);
    CHECK(r.duration_ms("a", min, max, milliseconds(1)) == milliseconds(250));
    CHECK(r.duration_ms("b", min, max, milliseconds(1)) == milliseconds(30000));
    CHECK(r.duration_ms("c", min, max, milliseconds(1)) == milliseconds(120000));
    CHECK(r.duration_ms("missing", min, max, milliseconds(40)) == milliseconds(40));
    const std::string expected =
        ": expected a duration in 20..600000 ms (a number of ms, or a string like \"500ms\", "
        "\"30s\", \"5m\"), got ";
    CHECK(error_of([&] { r.duration_ms("d", min, max, min); }) ==
          "mixer.d" + expected + "\"soon\"");
    CHECK(error_of([&] { r.duration_ms("e", min, max, min); }) == "mixer.e" + expected + "-5");
    CHECK(error_of([&] { r.duration_ms("f", min, max, min); }) == "mixer.f" + expected + "1.5");
    CHECK(error_of([&] { r.duration_ms("g", min, max, min); }) == "mixer.g" + expected + "\"1h\"");
}

TEST_CASE("nested sections and arrays of objects carry the full path", "[config]") {
    const json j = json::parse(R"({"directory": {"rooms": [
        {"number": "1000"}, {"number": "2000", "pin": "1234"}, {"number": "3000", "pin": 1234}
    ]}, "list": [{}, 5], "scalar": 7, "rtp": 5})");
    ConfigReader root(j, "mixer");
    auto dir = root.child("directory");
    auto rooms = dir.objects("rooms");
    REQUIRE(rooms.size() == 3);
    CHECK(rooms[1].path() == "mixer.directory.rooms[1]");
    CHECK(rooms[1].string("pin", "") == "1234");
    CHECK(rooms[0].string("pin", "none") == "none");
    CHECK(error_of([&] { rooms[2].string("pin", ""); }) ==
          "mixer.directory.rooms[2].pin: expected a string, got 1234");
    CHECK(root.objects("missing").empty());
    CHECK(error_of([&] { root.objects("list"); }) == "mixer.list[1]: expected an object, got 5");
    CHECK(error_of([&] { root.objects("scalar"); }) ==
          "mixer.scalar: expected an array of objects, got 7");
    CHECK(error_of([&] { root.child("rtp"); }) == "mixer.rtp: expected an object, got 5");
    // A missing section reads as empty: every key takes its default.
    auto absent = root.child("sip");
    CHECK(absent.path() == "mixer.sip");
    CHECK(absent.integer("port", 1, 65535, 5070) == 5070);
    CHECK_NOTHROW(absent.finish());
}

TEST_CASE("finish() names the first key nothing asked for", "[config]") {
    const json j = json::parse(R"({"rtp": {"port_min": 20000, "port_mni": 1, "port_max": 30000}})");
    ConfigReader root(j, "mixer");
    auto rtp = root.child("rtp");
    rtp.integer("port_min", 1024, 65535, 20000);
    rtp.integer("port_max", 1024, 65535, 20999);
    rtp.has("address");
    CHECK(error_of([&] { rtp.finish(); }) ==
          "mixer.rtp.port_mni: unknown key (known: port_min, port_max, address)");
    CHECK_NOTHROW(root.finish());

    const json k = json::parse(R"({"a": 1})");
    ConfigReader bare(k, "");
    CHECK(error_of([&] { bare.finish(); }) == "a: unknown key (known: none)");
    CHECK(bare.key_path("x") == "x");

    const json odd = json::parse(R"({"bad\nkey": 1})");
    ConfigReader r(odd, "ivr");
    CHECK(error_of([&] { r.finish(); }) == "ivr.\"bad\\nkey\": unknown key (known: none)");
}

TEST_CASE("the root must be an object", "[config]") {
    CHECK(error_of([] {
              ConfigReader(json::array({1, 2}), "mixer");
          }) == "mixer: expected an object, got [1,2]");
    CHECK(error_of([] { ConfigReader(json(), ""); }) ==
          "configuration: expected an object, got null");
}

TEST_CASE("long offending values are cut in messages", "[config]") {
    const json j = {{"name", std::string(500, 'x')}};
    ConfigReader r(j, "m");
    const std::string msg = error_of([&] { r.integer("name", 0, 1, 0); });
    CHECK(msg == "m.name: expected an integer in 0..1, got \"" + std::string(79, 'x') + "...");
}

TEST_CASE("fail() reports caller-side checks with the key path", "[config]") {
    const json j = json::parse(R"({"rtp": {"port_min": 30000, "port_max": 20000}})");
    ConfigReader root(j, "mixer");
    auto rtp = root.child("rtp");
    const int lo = rtp.integer("port_min", 1024, 65535, 20000);
    const int hi = rtp.integer("port_max", 1024, 65535, 20999);
    CHECK(lo > hi);
    CHECK(error_of([&] { rtp.fail("port_max", "must not be below port_min (30000)"); }) ==
          "mixer.rtp.port_max: must not be below port_min (30000)");
}
