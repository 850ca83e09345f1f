// Plain C++ values copied out of sofia-sip's nua events on the SIP thread, so that the rest of
// the service (media threads, control logic) never touches a sip_t or a nua handle
// (DESIGN.md section 3). Strings are owned copies; nothing here points into sofia memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sidebar::sip {

// Names a nua handle (one dialog or one out-of-dialog transaction) outside the SIP thread.
// Ids are never reused within a process.
using HandleId = uint64_t;

enum class EventKind {
    incoming_invite,  // initial INVITE (new handle) or re-INVITE (known handle)
    incoming_ack,
    incoming_cancel,
    incoming_bye,
    incoming_options,
    incoming_info,
    incoming_refer,
    incoming_subscribe,
    incoming_notify,
    incoming_message,
    incoming_update,
    incoming_other,  // a request nua reports as an unknown method
    call_state,      // call state change; see call_state
    response,        // answer to a request we sent (see `method`)
    error,           // nua reported an internal error for the handle
    other,           // anything else nua reports (logged, otherwise ignored)
};

std::string_view to_string(EventKind kind);

// nua's call states (nua_callstate_t), for EventKind::call_state.
enum class CallState {
    init,
    calling,
    proceeding,
    completing,
    received,
    early,
    completed,
    ready,
    terminating,
    terminated
};

std::string_view to_string(CallState state);

struct NameAddr {
    std::string display;
    std::string uri;   // full URI as text, e.g. "sip:alice@127.0.0.1:5062"
    std::string user;  // user part of the URI, unescaped
    std::string host;  // host (and port, if any) of the URI
    std::string tag;
};

// "user@host[:port]" (or "host[:port]" without a user): the identity a join token is issued
// for. The IVR issues with it from the From it saw; the mixer checks with it from the From of
// the INVITE the caller sends when it follows the REFER.
std::string address_of_record(const NameAddr& addr);

struct Header {
    std::string name;
    std::string value;
};

struct Event {
    EventKind kind = EventKind::other;
    std::string nua_name;  // nua's own event name, for logs
    int status = 0;
    std::string phrase;
    HandleId handle = 0;
    bool new_handle = false;  // the event created the handle (an initial request)

    // Copied from the message the event carries (request or response), when present.
    std::string method;
    std::string request_uri;
    std::string request_user;  // user part of the Request-URI, unescaped: "conf=1000"
    std::string call_id;
    NameAddr from;
    NameAddr to;
    uint32_t cseq = 0;
    std::string content_type;  // type/subtype only, lowercase
    std::string body;
    std::vector<Header> headers;  // extension headers (X-*, and others sofia does not parse)
    std::string event_header;     // Event:
    std::string accept;           // Accept: values joined with ", "
    std::string refer_to;         // Refer-To: URI text
    std::string refer_event;      // incoming_refer: the Event of its implicit subscription
                                  // ("refer" or "refer;id=<cseq>"), for the NOTIFYs
    std::string user_agent;
    std::string transport;       // "udp" or "tcp" (from the top Via)
    std::string source_address;  // where the message came from: "127.0.0.1" or "::1"
    uint16_t source_port = 0;

    CallState call_state = CallState::init;  // for call_state events
    // For incoming_subscribe: the status the SIP thread already answered with (202, or 406/489
    // refused: the listener only logs it), and the granted expiry (0: an unsubscribe).
    uint32_t expires = 0;

    // The first extension header with this name (case-insensitive), if any.
    std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace sidebar::sip
