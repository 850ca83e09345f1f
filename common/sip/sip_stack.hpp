// The SIP thread (DESIGN.md section 3): one thread runs sofia-sip's su_root and nua. Every
// su_*/nua_* call happens on it; other threads reach it only through post(), which hands work
// over with su_msg_send. Each nua event is copied into a sip::Event and given to the Listener,
// which runs on the SIP thread and must only hand the event on (post it), never block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/sip/sip_event.hpp"
#include "common/util/result.hpp"

namespace sidebar::sip {

struct StackConfig {
    std::string address = "127.0.0.1";  // IPv4 or IPv6 literal to bind
    uint16_t port = 5070;
    bool udp = true;
    bool tcp = true;
    std::string user_agent = "sidebar";
    // RFC 4028 session timers find peers that vanished without a BYE: nua refreshes the session
    // (UPDATE where the peer allows it) and ends it with BYE when the refresh fails.
    unsigned session_expires_s = 1800;
    unsigned min_se_s = 90;
    // Debian's sofia-sip defaults to 2 MiB per message; conference signalling never needs more
    // than a few KiB, and a small limit bounds what a flood can make it hold.
    std::size_t max_message_bytes = 65536;
    std::string allow_events;  // e.g. "conference"; empty = none
    // SUBSCRIBE for allow_events is answered on the SIP thread: 202 when its Accept (if any)
    // takes this body type, 406 otherwise; the listener then sends the first NOTIFY.
    std::string notify_content_type = "application/conference-info+xml";
    unsigned max_subscription_s = 3600;
    unsigned min_subscription_s = 60;
    // REFER is answered on the SIP thread with the status this returns (202 to accept, 403 to
    // refuse, ...); it must be quick and thread-safe. Unset: every REFER gets 403. The listener
    // then gets the event with `status` set to the answer. nua itself sends the first NOTIFY of
    // an accepted REFER (sipfrag "SIP/2.0 100 Trying", pending); the listener sends the outcome
    // with notify_refer().
    std::function<int(const Event&)> refer_policy;
};

struct ResponseOptions {
    std::string content_type;  // with body
    std::string body;
    std::string
        contact;  // full Contact header value, e.g. "<sip:conf=1000@127.0.0.1:5070>;isfocus"
    std::vector<Header> headers;  // extra headers (Allow-Events, Warning, Retry-After, ...)
};

// An INVITE we send (a dialog we start).
struct InviteOptions {
    std::string to;       // Request-URI and To, e.g. "sip:menu@127.0.0.1:5060"
    std::string from;     // From header value, e.g. "\"Alice\" <sip:member=1000.3@host>"
    std::string contact;  // full Contact header value
    std::string sdp;      // the offer (application/sdp)
    std::vector<Header> headers;
};

// Response options carrying one Warning header (RFC 3261 20.43): `<code> <host> "<text>"`.
ResponseOptions with_warning(int code, std::string_view host, std::string_view text);

class Stack {
  public:
    class Listener {
      public:
        virtual ~Listener() = default;
        // Called on the SIP thread for every nua event. Must not block.
        virtual void on_sip_event(Event event) = 0;
    };

    // Starts the SIP thread and binds the transports. The error names the address on failure.
    static Result<std::unique_ptr<Stack>> start(const StackConfig& config, Listener& listener);
    ~Stack();  // stop()

    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    // Runs `work` on the SIP thread. Returns false once the stack is stopping (work dropped).
    bool post(std::function<void()> work);

    // Actions on handles, from any thread (posted to the SIP thread). Unknown or already
    // destroyed handles are ignored: the dialog ended while the action was on its way.
    // The reason phrase is sofia's standard one for the status.
    void respond(HandleId handle, int status, ResponseOptions options = {});
    void bye(HandleId handle);

    // Outgoing calls. reserve_handle() names the dialog before it exists, so that whoever
    // routes its events can learn the id before the first one can arrive; invite() then sends
    // the INVITE. Its answers come as EventKind::response (method "INVITE") and call_state
    // events on that id. cancel() gives up on a call not yet answered (CANCEL); an
    // answered one ends with bye().
    HandleId reserve_handle();
    void invite(HandleId handle, InviteOptions options);
    void cancel(HandleId handle);
    // A NOTIFY in the subscription `handle` (accepted earlier with 202). `terminated` ends it
    // (Subscription-State: terminated;reason=...), after which the handle is released.
    void notify(HandleId handle, std::string body, bool terminated = false,
                std::string reason = "noresource");

    // A NOTIFY (Event: `refer_event` as the incoming_refer carried it, message/sipfrag) that
    // reports the referred action: `status_line` such as "SIP/2.0 200 OK". `terminated` ends the
    // implicit subscription; a handle that only carried the REFER is released after it.
    void notify_refer(HandleId handle, std::string refer_event, std::string status_line,
                      bool terminated);

    // Sends BYE on every call still up, shuts nua down (bounded by `grace_ms`) and joins the
    // thread. Idempotent.
    void stop(int grace_ms = 2000);

    const StackConfig& config() const { return config_; }
    bool on_sip_thread() const;

    struct Impl;

  private:
    Stack(StackConfig config, Listener& listener);

    StackConfig config_;
    std::unique_ptr<Impl> impl_;
};

// "sip:127.0.0.1:5070" or "sip:[::1]:5070", with ";transport=udp|tcp" when only one is on.
std::string bind_url(const StackConfig& config);

}  // namespace sidebar::sip
