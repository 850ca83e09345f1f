// Response constructors. JSON is dumped with invalid UTF-8 replaced rather than throwing: values
// often carry text a remote peer chose (display names, URIs).
#include "common/http/response.hpp"

namespace sidebar::http {

namespace {

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Response Response::json(int status, const nlohmann::json& value) {
    Response response;
    response.status = status;
    response.body = dump(value);
    return response;
}

Response Response::text(int status, std::string text, std::string content_type) {
    Response response;
    response.status = status;
    response.content_type = std::move(content_type);
    response.body = std::move(text);
    return response;
}

Response Response::error(int status, std::string_view message) {
    nlohmann::json body;
    body["error"]["status"] = status;
    body["error"]["message"] = std::string(message);
    return json(status, body);
}

}  // namespace sidebar::http
