// Result<T>: holds a value or an error message, never both.
#include "common/util/result.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace {

sidebar::Result<int> parse_digit(char c) {
    if (c < '0' || c > '9') return sidebar::make_error(std::string("not a digit: ") + c);
    return c - '0';
}

}  // namespace

SCENARIO("a Result carries either a value or an error", "[util]") {
    auto good = parse_digit('7');
    REQUIRE(good.ok());
    CHECK(static_cast<bool>(good));
    CHECK(*good == 7);

    auto bad = parse_digit('x');
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == "not a digit: x");
}

SCENARIO("a Result can hold move-only values", "[util]") {
    sidebar::Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
    REQUIRE(r.ok());
    std::unique_ptr<int> taken = std::move(r).value();
    CHECK(*taken == 5);

    sidebar::Status done = sidebar::Ok{};
    CHECK(done.ok());
}
