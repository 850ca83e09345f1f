// Responder: how an asynchronous handler answers. Copyable; call it once, from any thread, now or
// later. Later calls are ignored (and logged). If nobody calls it within the request timeout, the
// server answers 504 on its own.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "common/http/response.hpp"

namespace sidebar::http {

class Responder {
  public:
    using Deliver = std::function<void(Response)>;

    // `deliver` receives the one response; the server's posts it to the connection's strand.
    explicit Responder(Deliver deliver);

    // Returns false when a response was already given (this one is dropped).
    bool operator()(Response response) const;

    bool responded() const { return state_->used.load(std::memory_order_acquire); }

  private:
    struct State {
        Deliver deliver;
        std::atomic<bool> used{false};
    };
    std::shared_ptr<State> state_;
};

}  // namespace sidebar::http
