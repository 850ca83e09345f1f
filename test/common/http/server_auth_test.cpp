// Bearer tokens on mutating routes, and JSON bodies that handlers reject.
#include <catch2/catch.hpp>

#include "test_client.hpp"

using namespace sidebar::http;
using sidebar::http::test::Client;
using sidebar::http::test::TestServer;

namespace {

void add_mute_routes(Server& server) {
    server.add_route(Method::post, "/rooms/{room}/members/{member}/mute", [](const Request& r) {
        auto body = r.json();
        if (!body) return Response::error(400, body.message());
        if (!body->is_object() || !body->contains("muted")) {
            return Response::error(400, "missing 'muted'");
        }
        return Response::json(200, {{"room", r.params.at("room")}, {"muted", body->at("muted")}});
    });
    server.add_route(Method::get, "/rooms/{room}", [](const Request& r) {
        return Response::json(200, {{"room", r.params.at("room")}});
    });
}

}  // namespace

TEST_CASE("mutating routes need the bearer token", "[http][server]") {
    ServerConfig config;
    config.bearer_token = "t0ken";
    TestServer ts(config);
    add_mute_routes(ts.server());
    ts.start();
    Client client(ts.port());
    const std::string path = "/rooms/1000/members/2/mute";
    const std::string body = R"({"muted": true})";

    auto reply = client.request("POST", path, body);
    REQUIRE(reply);
    CHECK(reply->status == 401);
    CHECK(reply->headers.at("www-authenticate") == "Bearer");
    CHECK(nlohmann::json::parse(reply->body)["error"]["status"] == 401);

    reply = client.request("POST", path, body, {{"Authorization", "Bearer wrong"}});
    REQUIRE(reply);
    CHECK(reply->status == 401);
    reply = client.request("POST", path, body, {{"Authorization", "Bearer t0ke"}});
    REQUIRE(reply);
    CHECK(reply->status == 401);
    reply = client.request("POST", path, body, {{"Authorization", "Basic t0ken"}});
    REQUIRE(reply);
    CHECK(reply->status == 401);

    reply = client.request("POST", path, body, {{"Authorization", "Bearer t0ken"}});
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(nlohmann::json::parse(reply->body) == nlohmann::json{{"room", "1000"}, {"muted", true}});

    // Read routes need no token.
    reply = client.request("GET", "/rooms/1000");
    REQUIRE(reply);
    CHECK(reply->status == 200);
}

TEST_CASE("without a configured token mutating routes answer 403", "[http][server]") {
    TestServer ts;  // bearer_token empty
    add_mute_routes(ts.server());
    ts.start();
    Client client(ts.port());
    for (const char* auth : {"", "Bearer ", "Bearer anything"}) {
        std::map<std::string, std::string> headers;
        if (*auth != 0) headers["Authorization"] = auth;
        auto reply = client.request("POST", "/rooms/1/members/1/mute", "{}", headers);
        REQUIRE(reply);
        CHECK(reply->status == 403);
        CHECK(nlohmann::json::parse(reply->body)["error"]["message"] ==
              "admin token not configured");
    }
    auto reply = client.request("GET", "/rooms/1");
    REQUIRE(reply);
    CHECK(reply->status == 200);
}

TEST_CASE("bad JSON bodies let the handler answer 400", "[http][server]") {
    ServerConfig config;
    config.bearer_token = "t";
    TestServer ts(config);
    add_mute_routes(ts.server());
    ts.start();
    Client client(ts.port());
    const std::map<std::string, std::string> auth{{"Authorization", "Bearer t"}};
    for (const std::string& body : {std::string("{\"muted\": tru"), std::string(""),
                                    std::string("[1,2]"), std::string(5000, '[')}) {
        auto reply = client.request("POST", "/rooms/1/members/1/mute", body, auth);
        REQUIRE(reply);
        CHECK(reply->status == 400);
        CHECK(nlohmann::json::parse(reply->body)["error"]["status"] == 400);
    }
}
