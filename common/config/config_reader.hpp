// ConfigReader: typed, range-checked reads of one JSON object that know the full key path, so
// every error names the key an admin must fix:
//   ConfigReader root(json, "mixer");
//   auto rtp = root.child("rtp");
//   int port_min = rtp.integer("port_min", 1024, 65535, 20000);
//   rtp.finish();  // "mixer.rtp.port_mni: unknown key (known: port_min, ...)"
// A missing key takes the default; a present one of the wrong type or out of range throws
// ConfigError "<path>: expected <what>, got <json>". Defaults are trusted, not checked.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config_error.hpp"
#include "common/config/values.hpp"

namespace sidebar::config {

class ConfigReader {
  public:
    // `json` must be an object (or ConfigError) and outlive this reader and its children.
    // `path` names it in messages ("mixer"); it may be empty.
    ConfigReader(const nlohmann::json& json, std::string path);

    const std::string& path() const { return path_; }
    // "<path>.<key>" (or "<key>" at an unnamed root).
    std::string key_path(std::string_view key) const;

    // Whether `key` is present; the key counts as known.
    bool has(std::string_view key);

    // An object; a missing key gives an empty section, so every key in it takes its default.
    ConfigReader child(std::string_view key);
    // An array of objects, one reader each ("mixer.rooms[2]"); missing gives none.
    std::vector<ConfigReader> objects(std::string_view key);

    int integer(std::string_view key, int min, int max, int fallback);
    int64_t integer64(std::string_view key, int64_t min, int64_t max, int64_t fallback);
    double number(std::string_view key, double min, double max, double fallback);
    // A number, or the string "off" (returned as nullopt): e.g. a gain that can be switched off.
    std::optional<double> number_or_off(std::string_view key, double min, double max,
                                        std::optional<double> fallback);
    bool boolean(std::string_view key, bool fallback);

    std::string string(std::string_view key, std::string_view fallback);
    // One of `allowed`: "expected one of \"PCMU\", \"PCMA\", got \"GSM\"".
    std::string string(std::string_view key, std::string_view fallback,
                       std::initializer_list<std::string_view> allowed);
    // Any string `valid` accepts; `expected` says what that is ("a room number of 1-10 digits").
    std::string string(std::string_view key, std::string_view fallback, std::string_view expected,
                       const std::function<bool(std::string_view)>& valid);
    std::vector<std::string> strings(std::string_view key, std::vector<std::string> fallback);

    // An IPv4 or IPv6 literal, returned as written.
    std::string ip_address(std::string_view key, std::string_view fallback);
    // "host:port" or "[v6]:port"; the fallback is written the same way.
    Endpoint endpoint(std::string_view key, std::string_view fallback,
                      bool allow_port_zero = false);
    // Milliseconds as a number, or a string "250ms", "30s", "5m", "2h".
    std::chrono::milliseconds duration_ms(std::string_view key, std::chrono::milliseconds min,
                                          std::chrono::milliseconds max,
                                          std::chrono::milliseconds fallback);

    // Throws for the first key of this object that no read asked for. Call it once the section
    // is read; children and array elements have their own finish().
    void finish() const;

    // Throws ConfigError "<path>.<key>: <message>": for checks across keys done by the caller.
    [[noreturn]] void fail(std::string_view key, std::string_view message) const;

  private:
    ConfigReader(const nlohmann::json* json, std::string path)
        : json_(json), path_(std::move(path)) {}

    // The value at `key`, or null when missing; marks the key known.
    const nlohmann::json* find(std::string_view key);
    [[noreturn]] void fail_expected(std::string_view key, std::string_view expected,
                                    const nlohmann::json& got) const;

    const nlohmann::json* json_;
    std::string path_;
    std::vector<std::string> known_;  // in the order first asked, for the unknown-key message
};

// The JSON text of `value` for an error message, cut to a readable length.
std::string describe(const nlohmann::json& value);

}  // namespace sidebar::config
