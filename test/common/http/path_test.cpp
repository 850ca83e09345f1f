// Request-target parsing: segments, percent-decoding, dot and empty segments, queries.
#include "common/http/path.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::http;

TEST_CASE("paths split into decoded segments", "[http]") {
    CHECK(split_path("/")->empty());
    CHECK(*split_path("/rooms/1000") == std::vector<std::string>{"rooms", "1000"});
    CHECK(*split_path("/a/b%2Fc/%41%62") == std::vector<std::string>{"a", "b/c", "Ab"});
    CHECK(*split_path("/a+b") == std::vector<std::string>{"a+b"});  // '+' is literal in paths
}

TEST_CASE("hostile paths are rejected", "[http]") {
    for (const char* bad : {"", "rooms", "//", "/rooms/", "/a//b", "/..", "/a/../b", "/a/%2e%2E",
                            "/a/.", "/%", "/%4", "/%zz", "/a%00b", "*"}) {
        INFO(bad);
        CHECK_FALSE(split_path(bad).ok());
    }
    CHECK(split_path("/...").ok());  // only "." and ".." are special
}

TEST_CASE("percent-decoding", "[http]") {
    CHECK(*percent_decode("a%20b+c", true) == "a b c");
    CHECK(*percent_decode("a%20b+c", false) == "a b+c");
    CHECK(*percent_decode("%ff", false) == "\xff");
    CHECK_FALSE(percent_decode("%", false).ok());
    CHECK_FALSE(percent_decode("ab%2", false).ok());
    CHECK_FALSE(percent_decode("%g0", false).ok());
}

TEST_CASE("query strings", "[http]") {
    const auto q = parse_query("a=1&b=x+y%21&flag&&a=2&=v");
    REQUIRE(q.ok());
    CHECK(q->at("a") == "1");
    CHECK(q->at("b") == "x y!");
    CHECK(q->at("flag").empty());
    CHECK(q->at("") == "v");
    CHECK(parse_query("")->empty());
    CHECK_FALSE(parse_query("a=%zz").ok());
    std::string many;
    for (std::size_t i = 0; i <= kMaxQueryParams; ++i)
        many += "p" + std::to_string(i) + "=1&";
    CHECK_FALSE(parse_query(many).ok());
}
