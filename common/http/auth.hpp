// Bearer token check for mutating admin routes, in constant time.
#pragma once

#include <string_view>

namespace sidebar::http {

// True when `authorization` (the header's value) is "Bearer <token>" with exactly `token`. The
// comparison takes the same time wherever the first difference is, and does not reveal the
// token's length. An empty `token` never matches.
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace sidebar::http
