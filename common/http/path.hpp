// Splitting and percent-decoding of request targets. Everything here reads what a client sent:
// errors are returned, never thrown.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::http {

inline constexpr std::size_t kMaxQueryParams = 64;

// %XX sequences decoded (a bad one is an error); '+' becomes a space when `plus_is_space`.
Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "/rooms/10%2000/x" -> {"rooms", "10 00", "x"}; "/" -> {}. Errors: not starting with '/', an
// empty segment ("//", a trailing '/'), bad percent-encoding, a segment that decodes to "." or
// "..", a NUL byte.
Result<std::vector<std::string>> split_path(std::string_view path);

// "a=1&b=x+y&flag" -> {a:1, b:"x y", flag:""}; the first of repeated names wins; more than
// kMaxQueryParams parameters is an error.
Result<std::map<std::string, std::string>> parse_query(std::string_view query);

}  // namespace sidebar::http
