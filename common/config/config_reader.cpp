// ConfigReader: type and range checks with the full key path in every message.
#include "common/config/config_reader.hpp"

#include <algorithm>
#include <cstdio>

namespace sidebar::config {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxShown = 80;

const Json& empty_object() {
    static const Json kEmpty = Json::object();
    return kEmpty;
}

std::string format_number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
}

std::string quoted_list(std::initializer_list<std::string_view> items) {
    std::string out;
    for (const auto item : items) {
        if (!out.empty()) out += ", ";
        out += Json(std::string(item)).dump();
    }
    return out;
}

bool is_integer(const Json& v) {
    return v.is_number_integer() || v.is_number_unsigned();
}

}  // namespace

std::string describe(const Json& value) {
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > kMaxShown) {
        text.resize(kMaxShown);
        text += "...";
    }
    return text;
}

ConfigReader::ConfigReader(const Json& json, std::string path)
    : json_(&json), path_(std::move(path)) {
    if (!json.is_object()) {
        throw ConfigError((path_.empty() ? std::string("configuration") : path_) +
                          ": expected an object, got " + describe(json));
    }
}

std::string ConfigReader::key_path(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    std::string out = path_;
    out += '.';
    out += key;
    return out;
}

const Json* ConfigReader::find(std::string_view key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
    const auto it = json_->find(key);
    return it == json_->end() ? nullptr : &*it;
}

void ConfigReader::fail(std::string_view key, std::string_view message) const {
    throw ConfigError(key_path(key) + ": " + std::string(message));
}

void ConfigReader::fail_expected(std::string_view key, std::string_view expected,
                                 const Json& got) const {
    fail(key, "expected " + std::string(expected) + ", got " + describe(got));
}

bool ConfigReader::has(std::string_view key) {
    return find(key) != nullptr;
}

ConfigReader ConfigReader::child(std::string_view key) {
    const Json* v = find(key);
    if (v == nullptr) return ConfigReader(&empty_object(), key_path(key));
    if (!v->is_object()) fail_expected(key, "an object", *v);
    return ConfigReader(v, key_path(key));
}

std::vector<ConfigReader> ConfigReader::objects(std::string_view key) {
    std::vector<ConfigReader> out;
    const Json* v = find(key);
    if (v == nullptr) return out;
    if (!v->is_array()) fail_expected(key, "an array of objects", *v);
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string element = key_path(key) + "[" + std::to_string(i) + "]";
        const Json& item = (*v)[i];
        if (!item.is_object()) {
            throw ConfigError(element + ": expected an object, got " + describe(item));
        }
        out.push_back(ConfigReader(&item, element));
    }
    return out;
}

int ConfigReader::integer(std::string_view key, int min, int max, int fallback) {
    return static_cast<int>(integer64(key, min, max, fallback));
}

int64_t ConfigReader::integer64(std::string_view key, int64_t min, int64_t max, int64_t fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    const std::string expected =
        "an integer in " + std::to_string(min) + ".." + std::to_string(max);
    if (!is_integer(*v)) fail_expected(key, expected, *v);
    if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX)) {
        fail_expected(key, expected, *v);
    }
    const auto value = v->get<int64_t>();
    if (value < min || value > max) fail_expected(key, expected, *v);
    return value;
}

double ConfigReader::number(std::string_view key, double min, double max, double fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    const std::string expected = "a number in " + format_number(min) + ".." + format_number(max);
    if (!v->is_number()) fail_expected(key, expected, *v);
    const auto value = v->get<double>();
    if (!(value >= min && value <= max)) fail_expected(key, expected, *v);
    return value;
}

std::optional<double> ConfigReader::number_or_off(std::string_view key, double min, double max,
                                                  std::optional<double> fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    if (v->is_string() && v->get<std::string>() == "off") return std::nullopt;
    const std::string expected =
        "a number in " + format_number(min) + ".." + format_number(max) + " or \"off\"";
    if (!v->is_number()) fail_expected(key, expected, *v);
    const auto value = v->get<double>();
    if (!(value >= min && value <= max)) fail_expected(key, expected, *v);
    return value;
}

bool ConfigReader::boolean(std::string_view key, bool fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail_expected(key, "true or false", *v);
    return v->get<bool>();
}

std::string ConfigReader::string(std::string_view key, std::string_view fallback) {
    const Json* v = find(key);
    if (v == nullptr) return std::string(fallback);
    if (!v->is_string()) fail_expected(key, "a string", *v);
    return v->get<std::string>();
}

std::string ConfigReader::string(std::string_view key, std::string_view fallback,
                                 std::initializer_list<std::string_view> allowed) {
    const Json* v = find(key);
    if (v == nullptr) return std::string(fallback);
    const std::string expected = "one of " + quoted_list(allowed);
    if (!v->is_string()) fail_expected(key, expected, *v);
    const auto& text = v->get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
        fail_expected(key, expected, *v);
    }
    return text;
}

std::string ConfigReader::string(std::string_view key, std::string_view fallback,
                                 std::string_view expected,
                                 const std::function<bool(std::string_view)>& valid) {
    const Json* v = find(key);
    if (v == nullptr) return std::string(fallback);
    if (!v->is_string() || !valid(v->get_ref<const std::string&>())) {
        fail_expected(key, expected, *v);
    }
    return v->get<std::string>();
}

std::vector<std::string> ConfigReader::strings(std::string_view key,
                                               std::vector<std::string> fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_array()) fail_expected(key, "an array of strings", *v);
    std::vector<std::string> out;
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const Json& item = (*v)[i];
        if (!item.is_string()) {
            throw ConfigError(key_path(key) + "[" + std::to_string(i) +
                              "]: expected a string, got " + describe(item));
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::string ConfigReader::ip_address(std::string_view key, std::string_view fallback) {
    return string(key, fallback, "an IPv4 or IPv6 address", is_ip_address);
}

Endpoint ConfigReader::endpoint(std::string_view key, std::string_view fallback,
                                bool allow_port_zero) {
    const Json* v = find(key);
    const std::string expected = std::string("host:port (port ") + (allow_port_zero ? "0" : "1") +
                                 "..65535; [address]:port for IPv6)";
    if (v == nullptr) {
        auto parsed = parse_endpoint(fallback, allow_port_zero);
        if (!parsed)
            fail(key, "built-in default \"" + std::string(fallback) + "\" is not " + expected);
        return *parsed;
    }
    if (!v->is_string()) fail_expected(key, expected, *v);
    auto parsed = parse_endpoint(v->get_ref<const std::string&>(), allow_port_zero);
    if (!parsed) fail_expected(key, expected, *v);
    return *parsed;
}

std::chrono::milliseconds ConfigReader::duration_ms(std::string_view key,
                                                    std::chrono::milliseconds min,
                                                    std::chrono::milliseconds max,
                                                    std::chrono::milliseconds fallback) {
    const Json* v = find(key);
    if (v == nullptr) return fallback;
    const std::string expected =
        "a duration in " + std::to_string(min.count()) + ".." + std::to_string(max.count()) +
        " ms (a number of ms, or a string like \"500ms\", \"30s\", \"5m\")";
    std::optional<std::chrono::milliseconds> value;
    if (v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0)) {
        if (v->get<uint64_t>() <= uint64_t(INT64_MAX)) {
            value = std::chrono::milliseconds(v->get<int64_t>());
        }
    } else if (v->is_string()) {
        value = parse_duration(v->get_ref<const std::string&>());
    }
    if (!value || *value < min || *value > max) fail_expected(key, expected, *v);
    return *value;
}

void ConfigReader::finish() const {
    for (const auto& item : json_->items()) {
        if (std::find(known_.begin(), known_.end(), item.key()) != known_.end()) continue;
        std::string known;
        for (const auto& k : known_) {
            if (!known.empty()) known += ", ";
            known += k;
        }
        const std::string shown = describe(Json(item.key()));
        // Keys are shown bare unless they hold something that needs quoting.
        const std::string name = shown.size() == item.key().size() + 2 &&
                                         shown.substr(1, item.key().size()) == item.key()
                                     ? item.key()
                                     : shown;
        throw ConfigError(key_path(name) +
                          ": unknown key (known: " + (known.empty() ? "none" : known) + ")");
    }
}

}  // namespace sidebar::config
