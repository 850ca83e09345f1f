// The server over loopback: routing, parameters, 404/405, HEAD, keep-alive, HTTP/1.0, bind errors.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "test_client.hpp"

using namespace sidebar::http;
using sidebar::http::test::Client;
using sidebar::http::test::TestServer;

namespace {

void add_echo_routes(Server& server) {
    server.add_route(Method::get, "/rooms/{room}/members/{member}", [](const Request& r) {
        return Response::json(200, {{"params", r.params},
                                    {"query", r.query},
                                    {"ua", r.header("user-agent")},
                                    {"path", r.path}});
    });
    server.add_route(Method::get, "/rooms/active",
                     [](const Request&) { return Response::text(200, "active"); });
    server.add_route(Method::get, "/healthz",
                     [](const Request&) { return Response::text(200, "ok\n"); });
}

}  // namespace

TEST_CASE("server routes with decoded parameters and query", "[http][server]") {
    TestServer ts;
    add_echo_routes(ts.server());
    ts.start();
    Client client(ts.port());
    REQUIRE(client.connected());
    auto reply = client.request("GET", "/rooms/10%2000/members/7?x=a+b&y=%2F", {},
                                {{"User-Agent", "Test/1"}});
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->headers.at("content-type") == "application/json");
    const auto body = nlohmann::json::parse(reply->body);
    CHECK(body["params"]["room"] == "10 00");
    CHECK(body["params"]["member"] == "7");
    CHECK(body["query"]["x"] == "a b");
    CHECK(body["query"]["y"] == "/");
    CHECK(body["ua"] == "Test/1");
    CHECK(body["path"] == "/rooms/10%2000/members/7");

    reply = client.request("GET", "/rooms/active/members");
    REQUIRE(reply);
    CHECK(reply->status == 404);
    CHECK(nlohmann::json::parse(reply->body)["error"]["status"] == 404);
}

TEST_CASE("server answers 404, 405 with Allow, and 400 for bad paths", "[http][server]") {
    TestServer ts;
    add_echo_routes(ts.server());
    ts.start();
    Client client(ts.port());
    auto reply = client.request("GET", "/nope");
    REQUIRE(reply);
    CHECK(reply->status == 404);
    CHECK(reply->headers.at("content-type") == "application/json");

    reply = client.request("POST", "/healthz", "{}");
    REQUIRE(reply);
    CHECK(reply->status == 405);
    CHECK(reply->headers.at("allow") == "GET, HEAD");
    CHECK(nlohmann::json::parse(reply->body)["error"]["message"] == "method not allowed");

    reply = client.request("OPTIONS", "/healthz");
    REQUIRE(reply);
    CHECK(reply->status == 405);

    for (const char* bad :
         {"/rooms/../healthz", "/rooms//x", "/rooms/%zz", "/healthz/", "/rooms/1/members/%2e%2e"}) {
        INFO(bad);
        reply = client.request("GET", bad);
        REQUIRE(reply);
        CHECK(reply->status == 400);
    }
    // The connection is still usable after all of these.
    reply = client.request("GET", "/healthz");
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->body == "ok\n");
}

TEST_CASE("HEAD is answered by GET routes without a body", "[http][server]") {
    TestServer ts;
    add_echo_routes(ts.server());
    ts.start();
    Client client(ts.port());
    auto reply = client.request("HEAD", "/healthz");
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->headers.at("content-length") == "3");
    CHECK(reply->body.empty());
    reply = client.request("GET", "/healthz");  // nothing of a HEAD body is left in the stream
    REQUIRE(reply);
    CHECK(reply->body == "ok\n");
}

TEST_CASE("many sequential keep-alive requests on one connection", "[http][server]") {
    TestServer ts;
    int calls = 0;  // only the server thread touches it
    ts.server().add_route(Method::get, "/count/{n}", [&calls](const Request& r) {
        ++calls;
        return Response::text(200, r.params.at("n"));
    });
    ts.start();
    Client client(ts.port());
    for (int i = 0; i < 300; ++i) {
        auto reply = client.request("GET", "/count/" + std::to_string(i));
        REQUIRE(reply);
        REQUIRE(reply->status == 200);
        REQUIRE(reply->body == std::to_string(i));
        REQUIRE(reply->keep_alive);
    }
    CHECK(calls == 300);
}

TEST_CASE("HTTP/1.0 without keep-alive gets one answer and a close", "[http][server]") {
    TestServer ts;
    add_echo_routes(ts.server());
    ts.start();
    Client client(ts.port());
    REQUIRE(client.send("GET /healthz HTTP/1.0\r\n\r\n"));
    auto reply = client.read();
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK_FALSE(reply->keep_alive);
    CHECK(client.wait_closed());

    Client keep(ts.port());
    REQUIRE(keep.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    reply = keep.read();
    REQUIRE(reply);
    CHECK(reply->keep_alive);
    REQUIRE(keep.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    reply = keep.read();
    REQUIRE(reply);
    CHECK(reply->status == 200);
}

TEST_CASE("create reports a taken port or a bad address", "[http][server]") {
    TestServer ts;
    boost::asio::io_context io;
    ServerConfig config;
    config.port = ts.port();
    auto second = Server::create(io, config);
    REQUIRE_FALSE(second.ok());
    CHECK_THAT(second.message(), Catch::Contains("127.0.0.1:" + std::to_string(ts.port())));
    config.address = "not-an-address";
    CHECK_FALSE(Server::create(io, config).ok());
    config.address = "127.0.0.1";
    config.port = 0;
    config.max_connections = 0;
    CHECK_FALSE(Server::create(io, config).ok());
}
