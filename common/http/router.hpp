// Router: maps (method, path) to a handler. Patterns are like "/rooms/{room}/members/{member}":
// a "{name}" segment matches one whole path segment (percent-decoded into Request::params); any
// other segment must match literally. Where several patterns match, the one with a literal segment
// at the first place they differ wins ("/rooms/active" over "/rooms/{room}").
//
// Routes may be added at any time (a mutex guards the table); handlers run outside it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/request.hpp"
#include "common/http/responder.hpp"
#include "common/http/response.hpp"

namespace sidebar::http {

using Handler = std::function<Response(const Request&)>;
using AsyncHandler = std::function<void(const Request&, Responder)>;

struct Route {
    struct Segment {
        std::string text;  // literal text, or the parameter's name
        bool is_param = false;
    };
    Method method = Method::get;
    std::string pattern;
    std::vector<Segment> segments;
    AsyncHandler handler;
};

struct RouteMatch {
    enum class Outcome { found, not_found, method_not_allowed };
    Outcome outcome = Outcome::not_found;
    std::shared_ptr<const Route> route;         // when found
    std::map<std::string, std::string> params;  // when found
    std::string allow;                          // when method_not_allowed: "GET, HEAD, POST"
};

class Router {
  public:
    // Throws std::invalid_argument (start-up) for a malformed pattern, Method::head, or a
    // method and pattern registered twice.
    void add(Method method, std::string_view pattern, AsyncHandler handler);

    // `known` is false when the request's method is none of ours (OPTIONS, PATCH, ...): any
    // matching path then gives method_not_allowed. HEAD is served by GET routes.
    RouteMatch match(Method method, bool known, const std::vector<std::string>& segments) const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<const Route>> routes_;
};

}  // namespace sidebar::http
