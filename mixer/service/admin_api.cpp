// Admin routes: JSON views of rooms, member operations, metrics, health.
#include "mixer/service/admin_api.hpp"

#include <boost/asio/post.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

namespace sidebar::mixer {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

json member_json(const MemberInfo& m) {
    return json{{"number", m.number},
                {"sidebar", m.sidebar},
                {"name", m.display_name},
                {"uri", m.uri},
                {"call_id", m.call_id},
                {"codec", m.codec},
                {"muted", m.muted},
                {"deaf", m.deaf},
                {"speaking", m.speaking},
                {"gain_db", m.input_gain_db},
                {"level_dbfs", m.level_dbfs},
                {"joined", m.joined_unix},
                {"remote_media", m.remote_media},
                {"packets",
                 {{"in", m.packets_in},
                  {"out", m.packets_out},
                  {"dropped_foreign", m.dropped_foreign},
                  {"dropped_malformed", m.dropped_malformed},
                  {"lost", m.jitter_lost}}},
                {"jitter_delay_ms", m.jitter_delay_ms}};
}

json room_json(const RoomInfo& info, bool with_members) {
    json out{{"number", info.number},
             {"name", info.name},
             {"max_members", info.max_members},
             {"member_count", info.members.size()},
             {"recording", info.recording}};
    if (with_members) {
        out["members"] = json::array();
        for (const MemberInfo& m : info.members)
            out["members"].push_back(member_json(m));
        out["sidebars"] = json::array();
        for (const SidebarInfo& s : info.sidebars)
            out["sidebars"].push_back(sidebar_json(s));
    }
    return out;
}

std::optional<uint32_t> member_number(const std::string& text) {
    uint32_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n == 0) return std::nullopt;
    return n;
}

// Runs `op` on the room's media thread and answers with its outcome.
void member_op(CallRouter& router, const http::Request& request, http::Responder respond,
               std::function<bool(Room&, uint32_t)> op, std::string done) {
    auto room = router.find_room(request.params.at("room"));
    auto number = member_number(request.params.at("member"));
    if (!room) return (void)respond(http::Response::error(404, "no such room (or it is empty)"));
    if (!number) return (void)respond(http::Response::error(400, "member must be a number"));
    asio::post(room->io(),
               [room, n = *number, respond, op = std::move(op), done = std::move(done)] {
                   if (!op(*room, n))
                       return (void)respond(http::Response::error(404, "no such member"));
                   respond(http::Response::json(200, json{{"member", n}, {"result", done}}));
               });
}

}  // namespace

void add_admin_routes(http::Server& server, CallRouter& router, MixerCounters& counters) {
    using http::Method;
    server.add_route(Method::get, "/healthz", [](const http::Request&) {
        return http::Response::json(200, json{{"status", "ok"}});
    });
    server.add_route(Method::get, "/metrics", [&counters](const http::Request&) {
        return http::Response::text(200, counters.registry.render(),
                                    std::string(metrics::kContentType));
    });
    server.add_async_route(
        Method::get, "/rooms", [&router](const http::Request&, http::Responder respond) {
            // Ask every room on its own thread; answer when the last one has.
            auto rooms = router.rooms();
            auto result = std::make_shared<json>(json::array());
            auto mutex = std::make_shared<std::mutex>();
            auto remaining = std::make_shared<std::size_t>(rooms.size());
            if (rooms.empty())
                return (void)respond(http::Response::json(200, json{{"rooms", *result}}));
            for (auto& room : rooms) {
                asio::post(room->io(), [room, result, mutex, remaining, respond] {
                    json entry = room_json(room->snapshot(), false);
                    std::lock_guard lock(*mutex);
                    result->push_back(std::move(entry));
                    if (--*remaining == 0)
                        respond(http::Response::json(200, json{{"rooms", *result}}));
                });
            }
        });
    server.add_async_route(
        Method::get, "/rooms/{room}",
        [&router](const http::Request& request, http::Responder respond) {
            auto room = router.find_room(request.params.at("room"));
            if (!room)
                return (void)respond(http::Response::error(404, "no such room (or it is empty)"));
            asio::post(room->io(), [room, respond] {
                respond(http::Response::json(200, room_json(room->snapshot(), true)));
            });
        });
    const auto add_op = [&](const char* verb, std::function<bool(Room&, uint32_t)> op) {
        const std::string pattern = std::string("/rooms/{room}/members/{member}/") + verb;
        server.add_async_route(Method::post, pattern,
                               [&router, op, verb = std::string(verb)](const http::Request& request,
                                                                       http::Responder respond) {
                                   member_op(router, request, respond, op, verb);
                               });
    };
    add_op("mute", [](Room& r, uint32_t n) { return r.set_muted(n, true); });
    add_op("unmute", [](Room& r, uint32_t n) { return r.set_muted(n, false); });
    add_op("deaf", [](Room& r, uint32_t n) { return r.set_deaf(n, true); });
    add_op("undeaf", [](Room& r, uint32_t n) { return r.set_deaf(n, false); });
    add_op("kick", [](Room& r, uint32_t n) { return r.kick(n); });
    server.add_async_route(
        Method::post, "/rooms/{room}/members/{member}/gain",
        [&router](const http::Request& request, http::Responder respond) {
            auto body = request.json();
            if (!body || !body->is_object() || !body->contains("db") ||
                !(*body)["db"].is_number()) {
                return (void)respond(
                    http::Response::error(400, "body must be JSON like {\"db\": -6}"));
            }
            const double db = (*body)["db"].get<double>();
            if (!(db >= -60.0 && db <= 6.0)) {
                return (void)respond(http::Response::error(400, "db must be in -60..6"));
            }
            member_op(
                router, request, respond, [db](Room& r, uint32_t n) { return r.set_gain(n, db); },
                "gain");
        });
    add_sidebar_routes(server, router);
}

}  // namespace sidebar::mixer
