// The exactly-once gate of Responder.
#include "common/http/responder.hpp"

#include "common/log/log.hpp"

namespace sidebar::http {

Responder::Responder(Deliver deliver) : state_(std::make_shared<State>()) {
    state_->deliver = std::move(deliver);
}

bool Responder::operator()(Response response) const {
    if (state_->used.exchange(true, std::memory_order_acq_rel)) {
        log::warn("http_second_response").field("status", response.status).msg("ignored");
        return false;
    }
    state_->deliver(std::move(response));
    return true;
}

}  // namespace sidebar::http
