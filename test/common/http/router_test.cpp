// Route patterns, parameters, precedence of literals, 404/405 outcomes, pattern errors.
#include "common/http/router.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace sidebar::http;

namespace {

AsyncHandler noop() {
    return [](const Request&, Responder) {};
}

}  // namespace

TEST_CASE("router matches parameters and prefers literal segments", "[http]") {
    Router router;
    router.add(Method::get, "/rooms/{room}/members/{member}", noop());
    router.add(Method::post, "/rooms/{room}/members/{member}/mute", noop());
    router.add(Method::get, "/rooms/{room}", noop());
    router.add(Method::get, "/rooms/active", noop());
    router.add(Method::get, "/", noop());

    auto m = router.match(Method::get, true, {"rooms", "1000", "members", "3"});
    REQUIRE(m.outcome == RouteMatch::Outcome::found);
    CHECK(m.route->pattern == "/rooms/{room}/members/{member}");
    CHECK(m.params == std::map<std::string, std::string>{{"room", "1000"}, {"member", "3"}});

    m = router.match(Method::get, true, {"rooms", "active"});
    REQUIRE(m.outcome == RouteMatch::Outcome::found);
    CHECK(m.route->pattern == "/rooms/active");
    CHECK(m.params.empty());

    m = router.match(Method::get, true, {"rooms", "2000"});
    REQUIRE(m.outcome == RouteMatch::Outcome::found);
    CHECK(m.params.at("room") == "2000");

    CHECK(router.match(Method::get, true, {}).outcome == RouteMatch::Outcome::found);
    CHECK(router.match(Method::head, true, {"rooms", "1"}).outcome == RouteMatch::Outcome::found);
    CHECK(router.match(Method::get, true, {"rooms", "1", "x"}).outcome ==
          RouteMatch::Outcome::not_found);
    CHECK(router.match(Method::get, true, {"nothing"}).outcome == RouteMatch::Outcome::not_found);
}

TEST_CASE("router reports allowed methods", "[http]") {
    Router router;
    router.add(Method::get, "/rooms/{room}", noop());
    router.add(Method::delete_, "/rooms/{room}", noop());
    router.add(Method::post, "/rooms/{room}/mute", noop());
    auto m = router.match(Method::put, true, {"rooms", "1"});
    CHECK(m.outcome == RouteMatch::Outcome::method_not_allowed);
    CHECK(m.allow == "GET, HEAD, DELETE");
    m = router.match(Method::get, false, {"rooms", "1", "mute"});
    CHECK(m.outcome == RouteMatch::Outcome::method_not_allowed);
    CHECK(m.allow == "POST");
}

TEST_CASE("malformed patterns are start-up errors", "[http]") {
    Router router;
    CHECK_THROWS_AS(router.add(Method::get, "rooms", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/a//b", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/a/{}", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/a/{x", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/a/x{y}", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/{x}/{x}", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::head, "/a", noop()), std::invalid_argument);
    CHECK_THROWS_AS(router.add(Method::get, "/a", AsyncHandler()), std::invalid_argument);
    router.add(Method::get, "/a/{x}", noop());
    CHECK_THROWS_AS(router.add(Method::get, "/a/{y}", noop()), std::invalid_argument);
    router.add(Method::post, "/a/{y}", noop());  // another method is fine
}
