// Bearer token comparison.
#include "common/http/auth.hpp"

#include <catch2/catch.hpp>

using namespace sidebar::http;

TEST_CASE("bearer tokens", "[http]") {
    CHECK(bearer_matches("Bearer s3cret", "s3cret"));
    CHECK(bearer_matches("bearer s3cret", "s3cret"));
    CHECK(bearer_matches("BEARER  s3cret ", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer s3cre", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer s3cretX", "s3cret"));
    CHECK_FALSE(bearer_matches("Basic s3cret", "s3cret"));
    CHECK_FALSE(bearer_matches("s3cret", "s3cret"));
    CHECK_FALSE(bearer_matches("", "s3cret"));
    CHECK_FALSE(bearer_matches("Bearer ", ""));
    CHECK_FALSE(bearer_matches("Bearer x", ""));
}
