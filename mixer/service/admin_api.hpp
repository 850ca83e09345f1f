// The mixer's admin HTTP API (issue 4 item 7): rooms and members, mute/deaf/kick/gain,
// Prometheus metrics and a health check. Handlers run on the control thread; what a room holds
// is asked of its media thread and answered asynchronously.
#pragma once

#include "common/http/server.hpp"
#include "mixer/room/room_types.hpp"
#include "mixer/service/call_router.hpp"

namespace sidebar::mixer {

void add_admin_routes(http::Server& server, CallRouter& router, MixerCounters& counters);

}  // namespace sidebar::mixer
