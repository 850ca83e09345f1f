// The set of open connections, so that Server::stop() can close them.
#include "common/http/server_state.hpp"

#include <vector>

#include "common/http/session.hpp"

namespace sidebar::http {

void ServerState::track(const std::shared_ptr<Session>& session) {
    bool stopped = false;
    {
        std::lock_guard lock(mutex_);
        stopped = stopped_;
        if (!stopped) sessions_.emplace(session.get(), session);
    }
    if (stopped) session->close();
}

void ServerState::forget(Session* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
}

void ServerState::close_all() {
    std::vector<std::shared_ptr<Session>> open;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        for (const auto& [key, weak] : sessions_) {
            if (auto session = weak.lock()) open.push_back(std::move(session));
        }
    }
    for (const auto& session : open)
        session->close();
}

}  // namespace sidebar::http
