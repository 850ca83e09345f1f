// Pattern parsing and matching of the Router.
#include "common/http/router.hpp"

#include <set>
#include <stdexcept>

#include "common/http/path.hpp"

namespace sidebar::http {

namespace {

std::vector<Route::Segment> parse_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/') {
        throw std::invalid_argument("http route '" + std::string(pattern) +
                                    "': must start with '/'");
    }
    std::vector<Route::Segment> segments;
    std::set<std::string> names;
    if (pattern.size() == 1) return segments;
    std::size_t start = 1;
    while (true) {
        const std::size_t slash = pattern.find('/', start);
        const std::string_view text = pattern.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        const auto fail = [&](const char* why) {
            throw std::invalid_argument("http route '" + std::string(pattern) + "': " + why);
        };
        if (text.empty()) fail("empty segment");
        Route::Segment segment;
        if (text.front() == '{') {
            if (text.size() < 3 || text.back() != '}') fail("bad parameter segment");
            segment.text = std::string(text.substr(1, text.size() - 2));
            segment.is_param = true;
            if (segment.text.find_first_of("{}") != std::string::npos) fail("bad parameter");
            if (!names.insert(segment.text).second) fail("parameter named twice");
        } else {
            if (text.find_first_of("{}%") != std::string_view::npos) fail("bad literal segment");
            segment.text = std::string(text);
        }
        segments.push_back(std::move(segment));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

bool path_matches(const Route& route, const std::vector<std::string>& segments) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (!route.segments[i].is_param && route.segments[i].text != segments[i]) return false;
    }
    return true;
}

// True when `a` is more specific than `b`: a literal where `b` has a parameter, at the first
// segment where they differ in kind.
bool more_specific(const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
        if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
    }
    return false;
}

bool same_shape(const Route& a, const Route& b) {
    if (a.segments.size() != b.segments.size()) return false;
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
        const auto& x = a.segments[i];
        const auto& y = b.segments[i];
        if (x.is_param != y.is_param || (!x.is_param && x.text != y.text)) return false;
    }
    return true;
}

}  // namespace

void Router::add(Method method, std::string_view pattern, AsyncHandler handler) {
    if (method == Method::head) {
        throw std::invalid_argument("http route '" + std::string(pattern) +
                                    "': HEAD is served by the GET route");
    }
    if (!handler) throw std::invalid_argument("http route '" + std::string(pattern) + "': empty");
    auto route = std::make_shared<Route>();
    route->method = method;
    route->pattern = std::string(pattern);
    route->segments = parse_pattern(pattern);
    route->handler = std::move(handler);
    std::lock_guard lock(mutex_);
    for (const auto& existing : routes_) {
        if (existing->method == method && same_shape(*existing, *route)) {
            throw std::invalid_argument("http route '" + std::string(pattern) + "': " +
                                        std::string(to_string(method)) + " registered twice");
        }
    }
    routes_.push_back(std::move(route));
}

RouteMatch Router::match(Method method, bool known,
                         const std::vector<std::string>& segments) const {
    RouteMatch result;
    std::set<Method> allowed;
    std::shared_ptr<const Route> best;
    {
        std::lock_guard lock(mutex_);
        for (const auto& route : routes_) {
            if (!path_matches(*route, segments)) continue;
            allowed.insert(route->method);
            const bool method_ok =
                known && (route->method == method ||
                          (method == Method::head && route->method == Method::get));
            if (method_ok && (!best || more_specific(*route, *best))) best = route;
        }
    }
    if (best) {
        result.outcome = RouteMatch::Outcome::found;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (best->segments[i].is_param) result.params[best->segments[i].text] = segments[i];
        }
        result.route = std::move(best);
        return result;
    }
    if (allowed.empty()) return result;
    result.outcome = RouteMatch::Outcome::method_not_allowed;
    if (allowed.contains(Method::get)) allowed.insert(Method::head);
    for (const Method m : allowed) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += to_string(m);
    }
    return result;
}

}  // namespace sidebar::http
