// Fuzz target for sidebar::config: parse_json_text on any bytes (ConfigError is the only allowed
// failure), then a ConfigReader reads keys of every type from whatever parsed, and the parsed
// value must survive a dump and re-parse unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/config/config_reader.hpp"
#include "common/config/json_file.hpp"

namespace {

void read_section(sidebar::config::ConfigReader& r, int depth) {
    using std::chrono::milliseconds;
    r.integer("port_min", 1024, 65535, 20000);
    r.integer64("big", INT64_MIN, INT64_MAX, 0);
    r.number("gain", -60.0, 6.0, -12.0);
    r.boolean("enabled", false);
    r.string("name", "x");
    r.string("codec", "PCMU", {"PCMU", "PCMA", "G722", "opus"});
    r.strings("codecs", {});
    r.ip_address("address", "127.0.0.1");
    r.endpoint("listen", "127.0.0.1:5060", true);
    r.duration_ms("timeout", milliseconds(0), milliseconds(86400000), milliseconds(30000));
    if (depth < 3) {
        auto child = r.child("rtp");
        read_section(child, depth + 1);
        for (auto& room : r.objects("rooms"))
            read_section(room, depth + 1);
    }
    r.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sidebar::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    nlohmann::json parsed;
    try {
        parsed = parse_json_text(text, "fuzz.json");
    } catch (const ConfigError&) {
        return 0;
    }
    const std::string dumped = parsed.dump();
    try {
        if (parse_json_text(dumped, "dump") != parsed) __builtin_trap();
    } catch (const ConfigError&) {
        __builtin_trap();  // what we printed must parse again
    }
    if (!parsed.is_object()) return 0;
    try {
        ConfigReader root(parsed, "mixer");
        read_section(root, 0);
    } catch (const ConfigError& e) {
        if (std::string_view(e.what()).empty()) __builtin_trap();
    }
    return 0;
}
