// sidebar-mixer's configuration: the embedded defaults (DESIGN.md 6), a file that sets every key,
// and refusals: each section's unknown keys and bad values throw ConfigError naming the key path
// an admin has to fix.
#include "mixer/config/mixer_config.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "common/config/config_error.hpp"

using nlohmann::json;
using sidebar::codec::Kind;
using sidebar::config::ConfigError;
using sidebar::mixer::default_mixer_config;
using sidebar::mixer::MixerConfig;
using sidebar::mixer::read_mixer_config;
using std::chrono::milliseconds;

namespace {

// The message of the ConfigError reading `text` throws; fails the test when it does not throw.
std::string error_reading(const std::string& text) {
    const json j = json::parse(text);
    try {
        (void)read_mixer_config(j);
    } catch (const ConfigError& e) {
        return e.what();
    }
    FAIL("no ConfigError for " << text);
    return "";
}

// A file whose only content is `section` inside {"mixer": {...}}.
std::string mixer_with(const std::string& section) {
    return R"({"mixer": {)" + section + "}}";
}

// A file with one room object.
std::string with_room(const std::string& room) {
    return mixer_with(R"("directory": {"rooms": [)" + room + "]}");
}

}  // namespace

TEST_CASE("no file: the embedded defaults with the demo rooms", "[mixer][config]") {
    for (const MixerConfig& c : {default_mixer_config(), read_mixer_config(json::object()),
                                 read_mixer_config(json::parse(R"({"mixer": {}})"))}) {
        CHECK(c.sip.address == "127.0.0.1");
        CHECK(c.sip.port == 5070);
        CHECK(c.sip.udp);
        CHECK(c.sip.tcp);
        CHECK(c.rtp.address == "127.0.0.1");
        CHECK(c.rtp.port_min == 20000);
        CHECK(c.rtp.port_max == 29999);
        CHECK(c.rtp.inactivity_timeout == milliseconds(30000));
        CHECK(c.rtp.codecs == std::vector<Kind>{Kind::opus, Kind::g722, Kind::pcmu, Kind::pcma});
        CHECK(c.admin.address == "127.0.0.1");
        CHECK(c.admin.port == 8070);
        CHECK(c.admin.token.empty());
        CHECK(c.mixing.default_parent_gain_db == -12.0);
        CHECK(c.menu_key == '*');
        CHECK(c.secret.size() >= 16);
        CHECK(c.log_level == "info");
        REQUIRE(c.rooms.size() == 2);
        CHECK(c.rooms[0].number == "1000");
        CHECK_FALSE(c.rooms[0].pin.has_value());
        CHECK(c.rooms[1].number == "2000");
        REQUIRE(c.rooms[1].pin.has_value());
        CHECK(*c.rooms[1].pin == "1234");
        CHECK(c.rooms == MixerConfig::demo_rooms());
        CHECK(c.contact_host() == "127.0.0.1:5070");
    }
}

TEST_CASE("a full valid file sets every key", "[mixer][config]") {
    const json j = json::parse(R"({"mixer": {
        "sip": {"address": "::1", "port": 5080, "transports": ["udp"], "public_host": "",
                "session_expires_s": 600, "min_se_s": 120},
        "rtp": {"address": "127.0.0.1", "port_min": 40000, "port_max": 40099,
                "inactivity_timeout": "10s", "jitter_min_ms": 40, "jitter_max_ms": 300,
                "codecs": ["PCMA", "pcmu", "G722"]},
        "admin": {"address": "127.0.0.1", "port": 9070, "token": "admintoken"},
        "mixing": {"media_threads": 3, "gate_threshold_dbfs": -50, "default_parent_gain_db": -6,
                   "noise_suppression": true, "agc": true, "announce_joins": false},
        "limits": {"max_calls": 10, "create_rooms_on_demand": true},
        "directory": {"path": "/tmp/rooms.sqlite", "rooms": [
            {"number": "42", "name": "Answer", "pin": "9876", "moderator_pin": "1111",
             "max_members": 20, "sidebar_parent_gain_db": "off", "record": true}]},
        "secret": "0123456789abcdef-long-enough",
        "prompt_dir": "/srv/prompts", "language": "de", "recording_dir": "/srv/rec",
        "log_level": "debug", "menu_key": "#"}})");
    const MixerConfig c = read_mixer_config(j);
    CHECK(c.sip.address == "::1");
    CHECK(c.sip.port == 5080);
    CHECK(c.sip.udp);
    CHECK_FALSE(c.sip.tcp);
    CHECK(c.sip.session_expires_s == 600);
    CHECK(c.sip.min_se_s == 120);
    CHECK(c.rtp.port_min == 40000);
    CHECK(c.rtp.port_max == 40099);
    CHECK(c.rtp.inactivity_timeout == milliseconds(10000));
    CHECK(c.rtp.jitter_min_ms == 40);
    CHECK(c.rtp.jitter_max_ms == 300);
    CHECK(c.rtp.codecs == std::vector<Kind>{Kind::pcma, Kind::pcmu, Kind::g722});
    CHECK(c.admin.port == 9070);
    CHECK(c.admin.token == "admintoken");
    CHECK(c.mixing.media_threads == 3);
    CHECK(c.mixing.gate_threshold_dbfs == -50.0);
    CHECK(c.mixing.default_parent_gain_db == -6.0);
    CHECK(c.mixing.noise_suppression);
    CHECK(c.mixing.agc);
    CHECK_FALSE(c.mixing.announce_joins);
    CHECK(c.limits.max_calls == 10);
    CHECK(c.limits.create_rooms_on_demand);
    CHECK(c.directory_path == "/tmp/rooms.sqlite");
    REQUIRE(c.rooms.size() == 1);  // the file's rooms replace the demo rooms
    CHECK(c.rooms[0].number == "42");
    CHECK(c.rooms[0].name == "Answer");
    CHECK(c.rooms[0].pin == std::optional<std::string>("9876"));
    CHECK(c.rooms[0].moderator_pin == std::optional<std::string>("1111"));
    CHECK(c.rooms[0].max_members == 20);
    CHECK_FALSE(c.rooms[0].sidebar_parent_gain_db.has_value());
    CHECK(c.rooms[0].record);
    CHECK(c.secret == "0123456789abcdef-long-enough");
    CHECK(c.prompt_dir == "/srv/prompts");
    CHECK(c.language == "de");
    CHECK(c.recording_dir == "/srv/rec");
    CHECK(c.log_level == "debug");
    CHECK(c.menu_key == '#');
}

TEST_CASE("an unknown key in any section names its full path", "[mixer][config]") {
    struct Case {
        std::string text;
        std::string path;
    };
    const Case cases[] = {
        {R"({"mixer": {"bogus": 1}})", "mixer.bogus"},
        {mixer_with(R"("sip": {"bogus": 1})"), "mixer.sip.bogus"},
        {mixer_with(R"("rtp": {"bogus": 1})"), "mixer.rtp.bogus"},
        {mixer_with(R"("admin": {"bogus": 1})"), "mixer.admin.bogus"},
        {mixer_with(R"("mixing": {"bogus": 1})"), "mixer.mixing.bogus"},
        {mixer_with(R"("limits": {"bogus": 1})"), "mixer.limits.bogus"},
        {mixer_with(R"("directory": {"bogus": 1})"), "mixer.directory.bogus"},
        {with_room(R"({"number": "7", "bogus": 1})"), "mixer.directory.rooms[0].bogus"},
        {R"({"mixer": {}, "bogus": 1})", "bogus"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        const std::string message = error_reading(c.text);
        CHECK_THAT(message, Catch::Matchers::StartsWith(c.path + ":"));
        CHECK_THAT(message, Catch::Matchers::Contains("unknown key"));
    }
}

TEST_CASE("bad values name the key", "[mixer][config]") {
    struct Case {
        std::string text;
        std::string path;
    };
    const Case cases[] = {
        {mixer_with(R"("sip": {"port": "abc"})"), "mixer.sip.port"},
        {mixer_with(R"("sip": {"port": 0})"), "mixer.sip.port"},
        {mixer_with(R"("sip": {"address": "localhost"})"), "mixer.sip.address"},
        {mixer_with(R"("sip": {"transports": ["sctp"]})"), "mixer.sip.transports"},
        {mixer_with(R"("sip": {"transports": []})"), "mixer.sip.transports"},
        {mixer_with(R"("sip": {"session_expires_s": 100, "min_se_s": 200})"), "mixer.sip.min_se_s"},
        {mixer_with(R"("rtp": {"port_min": "abc"})"), "mixer.rtp.port_min"},
        {mixer_with(R"("rtp": {"port_min": 30000, "port_max": 20000})"), "mixer.rtp.port_max"},
        {mixer_with(R"("rtp": {"port_min": 30000, "port_max": 30000})"), "mixer.rtp.port_max"},
        {mixer_with(R"("rtp": {"codecs": ["G729"]})"), "mixer.rtp.codecs"},
        {mixer_with(R"("rtp": {"codecs": []})"), "mixer.rtp.codecs"},
        {mixer_with(R"("rtp": {"inactivity_timeout": "forever"})"), "mixer.rtp.inactivity_timeout"},
        {mixer_with(R"("rtp": {"jitter_min_ms": 100, "jitter_max_ms": 50})"),
         "mixer.rtp.jitter_max_ms"},
        {mixer_with(R"("admin": {"port": 70000})"), "mixer.admin.port"},
        {mixer_with(R"("mixing": {"default_parent_gain_db": 3})"),
         "mixer.mixing.default_parent_gain_db"},
        {mixer_with(R"("limits": {"max_calls": 0})"), "mixer.limits.max_calls"},
        {mixer_with(R"("secret": "short")"), "mixer.secret"},
        {mixer_with(R"("menu_key": "**")"), "mixer.menu_key"},
        {mixer_with(R"("menu_key": "a")"), "mixer.menu_key"},
        {mixer_with(R"("log_level": "loud")"), "mixer.log_level"},
        {mixer_with(R"("sip": 5)"), "mixer.sip"},
        {with_room(R"({"number": "7", "sidebar_parent_gain_db": 5})"),
         "mixer.directory.rooms[0].sidebar_parent_gain_db"},
        {with_room(R"({"number": "7", "sidebar_parent_gain_db": "loud"})"),
         "mixer.directory.rooms[0].sidebar_parent_gain_db"},
        {with_room(R"({"number": "7", "max_members": 1})"), "mixer.directory.rooms[0].max_members"},
        {with_room(R"({"number": "abc"})"), "mixer.directory.rooms[0].number"},
        {with_room(R"({"number": "7"}, 3)"), "mixer.directory.rooms[1]"},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        CHECK_THAT(error_reading(c.text), Catch::Matchers::StartsWith(c.path + ":"));
    }
}

TEST_CASE("a room's bad PIN is refused and the message names the PIN", "[mixer][config]") {
    const std::string message = error_reading(with_room(R"({"number": "7", "pin": "12a"})"));
    CHECK_THAT(message, Catch::Matchers::StartsWith("mixer.directory.rooms[0].pin: "));
    CHECK_THAT(message, Catch::Matchers::Contains("digits"));
    const std::string moderator =
        error_reading(with_room(R"({"number": "7", "moderator_pin": ""})"));
    CHECK_THAT(moderator, Catch::Matchers::StartsWith("mixer.directory.rooms[0].moderator_pin: "));
}

TEST_CASE("a room's sidebar parent gain: dB, or off", "[mixer][config]") {
    const auto gain_of = [](const std::string& value) {
        const MixerConfig c = read_mixer_config(
            json::parse(with_room(R"({"number": "7", "sidebar_parent_gain_db": )" + value + "}")));
        REQUIRE(c.rooms.size() == 1);
        return c.rooms[0].sidebar_parent_gain_db;
    };
    CHECK(gain_of(R"("off")") == std::nullopt);
    CHECK(gain_of("-6") == std::optional<double>(-6.0));
    CHECK(gain_of("0") == std::optional<double>(0.0));
    CHECK(gain_of("-60") == std::optional<double>(-60.0));
    // Not given: the directory's default.
    const MixerConfig c = read_mixer_config(json::parse(with_room(R"({"number": "7"})")));
    REQUIRE(c.rooms.size() == 1);
    CHECK(c.rooms[0].sidebar_parent_gain_db == std::optional<double>(-12.0));
    CHECK(c.rooms[0].name == "7");
    CHECK_FALSE(c.rooms[0].pin.has_value());
}

TEST_CASE("an empty room list replaces the demo rooms", "[mixer][config]") {
    const MixerConfig c =
        read_mixer_config(json::parse(mixer_with(R"("directory": {"rooms": []})")));
    CHECK(c.rooms.empty());
    const MixerConfig no_rooms_key =
        read_mixer_config(json::parse(mixer_with(R"("directory": {"path": "x.db"})")));
    CHECK(no_rooms_key.rooms == MixerConfig::demo_rooms());
}

TEST_CASE("contact_host: v4, bracketed v6, public_host wins", "[mixer][config]") {
    MixerConfig c = default_mixer_config();
    c.sip.address = "192.0.2.7";
    c.sip.port = 5080;
    CHECK(c.contact_host() == "192.0.2.7:5080");
    c.sip.address = "2001:db8::1";
    CHECK(c.contact_host() == "[2001:db8::1]:5080");
    c.sip.public_host = "mixer.example.com:5090";
    CHECK(c.contact_host() == "mixer.example.com:5090");

    const MixerConfig from_file =
        read_mixer_config(json::parse(mixer_with(R"("sip": {"address": "::1", "port": 5071})")));
    CHECK(from_file.contact_host() == "[::1]:5071");
}

TEST_CASE("rooms without their own sidebar parent gain take mixing.default_parent_gain_db",
          "[mixer][config]") {
    auto c = sidebar::mixer::read_mixer_config(nlohmann::json::parse(R"({"mixer": {
        "mixing": {"default_parent_gain_db": -20},
        "directory": {"rooms": [{"number": "10"}, {"number": "11", "sidebar_parent_gain_db": -3}]}
    }})"));
    REQUIRE(c.rooms.size() == 2);
    CHECK(c.rooms[0].sidebar_parent_gain_db == std::optional<double>(-20.0));
    CHECK(c.rooms[1].sidebar_parent_gain_db == std::optional<double>(-3.0));
    auto demo = sidebar::mixer::read_mixer_config(
        nlohmann::json::parse(R"({"mixer": {"mixing": {"default_parent_gain_db": -9}}})"));
    REQUIRE(demo.rooms.size() == 2);
    CHECK(demo.rooms[0].sidebar_parent_gain_db == std::optional<double>(-9.0));
}

TEST_CASE("controllers: loopback by default, addresses checked, window bounded",
          "[mixer][config]") {
    const MixerConfig defaults = default_mixer_config();
    CHECK(defaults.controllers.addresses == std::vector<std::string>{"127.0.0.1", "::1"});
    CHECK(defaults.controllers.signature_window_s == 60);

    const MixerConfig set = read_mixer_config(json::parse(mixer_with(
        R"("controllers": {"addresses": ["10.0.0.7", "fd00::5"], "signature_window_s": 30})")));
    CHECK(set.controllers.addresses == std::vector<std::string>{"10.0.0.7", "fd00::5"});
    CHECK(set.controllers.signature_window_s == 30);

    CHECK_THAT(
        error_reading(mixer_with(R"("controllers": {"addresses": ["ivr.example.com"]})")),
        Catch::Contains("mixer.controllers.addresses[0]") && Catch::Contains("ivr.example.com"));
    CHECK_THAT(error_reading(mixer_with(R"("controllers": {"signature_window_s": 1})")),
               Catch::Contains("mixer.controllers.signature_window_s"));
    CHECK_THAT(error_reading(mixer_with(R"("controllers": {"trusted": true})")),
               Catch::Contains("mixer.controllers.trusted"));
}
