// Admin HTTP for sidebars: list, create, move members in and out, dissolve. The same rules and
// log lines as the SIP controller's requests; the room does the work on its media thread.
#include <boost/asio/post.hpp>
#include <charconv>

#include "mixer/service/admin_api.hpp"

namespace sidebar::mixer {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

std::optional<uint32_t> positive_number(const std::string& text) {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n == 0) return std::nullopt;
    return n;
}

http::Response moved_response(MoveOutcome outcome, uint32_t member, uint32_t sidebar) {
    switch (outcome) {
        case MoveOutcome::moved:
            return http::Response::json(200, json{{"member", member}, {"sidebar", sidebar}});
        case MoveOutcome::no_member:
            return http::Response::error(404, "no such member");
        case MoveOutcome::no_sidebar:
            return http::Response::error(404, "no such sidebar");
    }
    return http::Response::error(500, "unknown outcome");
}

// The room named in the path (404 when it holds no call) and the numbers in it (400 when not
// numbers); responds itself and returns nullptr on any of those.
std::shared_ptr<Room> room_of(CallRouter& router, const http::Request& request,
                              const http::Responder& respond) {
    auto room = router.find_room(request.params.at("room"));
    if (!room) respond(http::Response::error(404, "no such room (or it is empty)"));
    return room;
}

std::optional<uint32_t> param_number(const http::Request& request, const char* name,
                                     const http::Responder& respond) {
    auto n = positive_number(request.params.at(name));
    if (!n) respond(http::Response::error(400, std::string(name) + " must be a number"));
    return n;
}

}  // namespace

json sidebar_json(const SidebarInfo& s) {
    return json{{"sidebar", s.number},
                {"parent_gain_db", s.parent_gain_db ? json(*s.parent_gain_db) : json(nullptr)},
                {"members", s.members},
                {"controller", s.controller},
                {"call_id", s.call_id}};
}

void add_sidebar_routes(http::Server& server, CallRouter& router) {
    using http::Method;
    server.add_async_route(Method::get, "/rooms/{room}/sidebars",
                           [&router](const http::Request& request, http::Responder respond) {
                               auto room = room_of(router, request, respond);
                               if (!room) return;
                               asio::post(room->io(), [room, respond] {
                                   json list = json::array();
                                   for (const SidebarInfo& s : room->snapshot().sidebars)
                                       list.push_back(sidebar_json(s));
                                   respond(http::Response::json(200, json{{"sidebars", list}}));
                               });
                           });
    server.add_async_route(
        Method::post, "/rooms/{room}/sidebars",
        [&router](const http::Request& request, http::Responder respond) {
            auto body = request.json();
            std::optional<double> gain;
            bool default_gain = true;
            if (body && body->is_object() && body->contains("parent_gain_db")) {
                const json& value = (*body)["parent_gain_db"];
                default_gain = false;
                if (value.is_string() && value.get<std::string>() == "off") {
                    gain.reset();
                } else if (value.is_number() && value.get<double>() >= -60.0 &&
                           value.get<double>() <= 0.0) {
                    gain = value.get<double>();
                } else {
                    return (void)respond(http::Response::error(
                        400, "parent_gain_db must be \"off\" or a number in -60..0"));
                }
            } else if (!request.body.empty() && (!body || !body->is_object())) {
                return (void)respond(
                    http::Response::error(400, "body must be JSON like {\"parent_gain_db\": -12}"));
            }
            auto room = room_of(router, request, respond);
            if (!room) return;
            asio::post(room->io(), [room, respond, gain, default_gain] {
                auto made = room->create_sidebar_by_admin(
                    default_gain ? room->info().sidebar_parent_gain_db : gain);
                if (!made) {
                    return (void)respond(http::Response::error(409, "the room has no members"));
                }
                respond(http::Response::json(201, json{{"sidebar", *made}}));
            });
        });
    server.add_async_route(
        Method::post, "/rooms/{room}/sidebars/{sidebar}/members",
        [&router](const http::Request& request, http::Responder respond) {
            auto body = request.json();
            if (!body || !body->is_object() || !body->contains("member") ||
                !(*body)["member"].is_number_unsigned()) {
                return (void)respond(
                    http::Response::error(400, "body must be JSON like {\"member\": 3}"));
            }
            const auto member = (*body)["member"].get<uint32_t>();
            auto sidebar = param_number(request, "sidebar", respond);
            if (!sidebar) return;
            auto room = room_of(router, request, respond);
            if (!room) return;
            asio::post(room->io(), [room, respond, member, s = *sidebar] {
                respond(moved_response(room->move(member, s, "admin"), member, s));
            });
        });
    server.add_async_route(Method::delete_, "/rooms/{room}/sidebars/{sidebar}/members/{member}",
                           [&router](const http::Request& request, http::Responder respond) {
                               auto sidebar = param_number(request, "sidebar", respond);
                               if (!sidebar) return;
                               auto member = param_number(request, "member", respond);
                               if (!member) return;
                               auto room = room_of(router, request, respond);
                               if (!room) return;
                               asio::post(room->io(), [room, respond, m = *member, s = *sidebar] {
                                   if (room->sidebar_of_member(m) != s) {
                                       return (void)respond(http::Response::error(
                                           404, "no such member in that sidebar"));
                                   }
                                   respond(moved_response(room->move(m, 0, "admin"), m, 0));
                               });
                           });
    server.add_async_route(
        Method::delete_, "/rooms/{room}/sidebars/{sidebar}",
        [&router](const http::Request& request, http::Responder respond) {
            auto sidebar = param_number(request, "sidebar", respond);
            if (!sidebar) return;
            auto room = room_of(router, request, respond);
            if (!room) return;
            asio::post(room->io(), [room, respond, s = *sidebar] {
                if (!room->end_sidebar_by_admin(s)) {
                    return (void)respond(http::Response::error(404, "no such sidebar"));
                }
                respond(http::Response::json(200, json{{"sidebar", s}, {"result", "ended"}}));
            });
        });
}

}  // namespace sidebar::mixer
