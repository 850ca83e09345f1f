// What a route handler sees of one HTTP request: method, path, decoded path parameters and query,
// headers with lowercase names, and the body (already bounded by the server's limits).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/util/result.hpp"

namespace sidebar::http {

// HEAD is answered by GET routes and cannot be registered itself.
enum class Method { get, head, post, put, delete_ };

// "GET", "HEAD", "POST", "PUT", "DELETE".
std::string_view to_string(Method method);

// Deepest nesting of arrays and objects Request::json() accepts.
inline constexpr int kMaxJsonDepth = 64;

struct Request {
    Method method = Method::get;
    std::string path;                            // as sent, without the query
    std::map<std::string, std::string> params;   // {name} segments, percent-decoded
    std::map<std::string, std::string> query;    // percent-decoded, '+' is a space
    std::map<std::string, std::string> headers;  // lowercase names; repeats joined by ", "
    std::string body;
    std::string remote;  // "address:port" of the client, for logs

    // The body parsed as JSON; an error (to answer 400 with) when it is not JSON or is nested
    // deeper than kMaxJsonDepth.
    Result<nlohmann::json> json() const;

    // The header's value, or an empty view; `lowercase_name` must be lowercase.
    std::string_view header(const std::string& lowercase_name) const;
};

}  // namespace sidebar::http
