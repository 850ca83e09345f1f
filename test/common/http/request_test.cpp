// Request::json() and the Response helpers.
#include <catch2/catch.hpp>

#include "common/http/request.hpp"
#include "common/http/response.hpp"

using namespace sidebar::http;

TEST_CASE("request bodies parse as JSON within a depth limit", "[http]") {
    Request request;
    request.body = R"({"muted": true, "name": "a\"[[["})";
    auto parsed = request.json();
    REQUIRE(parsed.ok());
    CHECK(parsed->at("muted") == true);
    request.body = "{not json";
    CHECK_FALSE(request.json().ok());
    request.body = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
    CHECK(request.json().ok());
    request.body = std::string(60000, '[');
    CHECK_FALSE(request.json().ok());
}

TEST_CASE("response helpers", "[http]") {
    const Response error = Response::error(404, "no such room \"1\"");
    CHECK(error.status == 404);
    CHECK(error.content_type == "application/json");
    CHECK(nlohmann::json::parse(error.body) ==
          nlohmann::json{{"error", {{"status", 404}, {"message", "no such room \"1\""}}}});
    const Response text = Response::text(200, "ok\n");
    CHECK(text.content_type == "text/plain; charset=utf-8");
    CHECK(text.body == "ok\n");
    // Invalid UTF-8 from a peer does not throw.
    const Response j = Response::json(200, nlohmann::json{{"name", "bad \xff byte"}});
    CHECK(j.status == 200);
    CHECK_FALSE(j.body.empty());
}
