// What the admin server and all its connections share: the configuration, the routes, the
// connection count and the set of open connections (to close them on stop).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/http/router.hpp"
#include "common/http/server.hpp"

namespace sidebar::http {

class Session;

// What the server and all its connections share. Sessions hold it by shared_ptr, so it outlives
// the Server object if connections are still closing.
struct ServerState {
    explicit ServerState(ServerConfig c) : config(std::move(c)) {}

    const ServerConfig config;
    Router router;
    std::atomic<std::size_t> connections{0};

    void track(const std::shared_ptr<Session>& session);
    void forget(Session* session);
    void close_all();

  private:
    std::mutex mutex_;
    bool stopped_ = false;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace sidebar::http
