// Request helpers: method names and the bounded JSON body parse.
#include "common/http/request.hpp"

namespace sidebar::http {

namespace {

// Nesting depth of the JSON text, counted outside strings. Checked before parsing so that a body
// of 60,000 '[' never reaches a recursive parser or destructor.
bool nesting_within(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

}  // namespace

std::string_view to_string(Method method) {
    switch (method) {
        case Method::get:
            return "GET";
        case Method::head:
            return "HEAD";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::delete_:
            return "DELETE";
    }
    return "?";
}

Result<nlohmann::json> Request::json() const {
    if (!nesting_within(body, kMaxJsonDepth)) {
        return make_error("JSON nested too deeply");
    }
    auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return make_error("body is not valid JSON");
    return parsed;
}

std::string_view Request::header(const std::string& lowercase_name) const {
    const auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace sidebar::http
