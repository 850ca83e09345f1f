// What a route handler answers: status, content type, body and a few extra headers. Errors are
// always JSON: {"error": {"status": 404, "message": "..."}}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sidebar::http {

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Allow

    static Response json(int status, const nlohmann::json& value);
    static Response text(int status, std::string text,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response error(int status, std::string_view message);
};

}  // namespace sidebar::http
