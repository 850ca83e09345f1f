// The mixer's admin HTTP API (issue 4 item 7): rooms and members, mute/deaf/kick/gain,
// Prometheus metrics and a health check. Handlers run on the control thread; what a room holds
// is asked of its media thread and answered asynchronously.
#pragma once

#include <nlohmann/json.hpp>

#include "common/http/server.hpp"
#include "mixer/room/room_types.hpp"
#include "mixer/service/call_router.hpp"

namespace sidebar::mixer {

void add_admin_routes(http::Server& server, CallRouter& router, MixerCounters& counters);

// GET/POST /rooms/{n}/sidebars, POST /rooms/{n}/sidebars/{s}/members, DELETE
// /rooms/{n}/sidebars/{s}/members/{k} and DELETE /rooms/{n}/sidebars/{s} (admin_sidebars.cpp).
void add_sidebar_routes(http::Server& server, CallRouter& router);

// JSON of one sidebar, shared by GET /rooms/{n} and GET /rooms/{n}/sidebars.
nlohmann::json sidebar_json(const SidebarInfo& sidebar);

}  // namespace sidebar::mixer
