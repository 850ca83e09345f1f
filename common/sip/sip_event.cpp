// Names of event kinds and call states for logs, and header lookup.
#include "common/sip/sip_event.hpp"

#include <strings.h>

namespace sidebar::sip {

std::string_view to_string(EventKind kind) {
    switch (kind) {
        case EventKind::incoming_invite:
            return "invite";
        case EventKind::incoming_ack:
            return "ack";
        case EventKind::incoming_cancel:
            return "cancel";
        case EventKind::incoming_bye:
            return "bye";
        case EventKind::incoming_options:
            return "options";
        case EventKind::incoming_info:
            return "info";
        case EventKind::incoming_refer:
            return "refer";
        case EventKind::incoming_subscribe:
            return "subscribe";
        case EventKind::incoming_notify:
            return "notify";
        case EventKind::incoming_message:
            return "message";
        case EventKind::incoming_update:
            return "update";
        case EventKind::incoming_other:
            return "other-request";
        case EventKind::call_state:
            return "call-state";
        case EventKind::response:
            return "response";
        case EventKind::error:
            return "error";
        case EventKind::other:
            return "other";
    }
    return "?";
}

std::string_view to_string(CallState state) {
    switch (state) {
        case CallState::init:
            return "init";
        case CallState::calling:
            return "calling";
        case CallState::proceeding:
            return "proceeding";
        case CallState::completing:
            return "completing";
        case CallState::received:
            return "received";
        case CallState::early:
            return "early";
        case CallState::completed:
            return "completed";
        case CallState::ready:
            return "ready";
        case CallState::terminating:
            return "terminating";
        case CallState::terminated:
            return "terminated";
    }
    return "?";
}

std::string address_of_record(const NameAddr& addr) {
    return addr.user.empty() ? addr.host : addr.user + "@" + addr.host;
}

std::optional<std::string_view> Event::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (h.name.size() == name.size() &&
            strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
            return std::string_view(h.value);
        }
    }
    return std::nullopt;
}

}  // namespace sidebar::sip
