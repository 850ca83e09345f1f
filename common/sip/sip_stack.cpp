// The SIP thread: su_root and nua live and die on it; other threads post work in.
#include "common/sip/sip_stack.hpp"

#include <algorithm>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/log/log.hpp"
#include "common/sip/event_copy.hpp"
#include "common/sip/sofia_includes.hpp"
#include "common/sip/transport_check.hpp"

namespace sidebar::sip {

struct StackImplTag {};

struct PostedWork {
    std::function<void()>* work;  // owned; null once run
};

struct HandleRecord {
    HandleId id = 0;
    nua_handle_t* nh = nullptr;
    bool final_notify = false;  // a terminating NOTIFY was sent
};

namespace {

// Out-of-dialog requests that nua answers by itself: their handle has no further use once the
// listener has seen the event.
bool answered_by_nua(nua_event_t event) {
    switch (event) {
        case nua_i_options:
        case nua_i_info:
        case nua_i_message:
        case nua_i_notify:
        case nua_i_method:
        case nua_i_publish:
        case nua_i_update:
        case nua_i_register:
            return true;
        default:
            return false;
    }
}

std::string header_safe(std::string value) {
    // Values we put in headers come partly from configuration and peers: no line breaks.
    for (char& c : value) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return value;
}

}  // namespace

ResponseOptions with_warning(int code, std::string_view host, std::string_view text) {
    ResponseOptions options;
    options.headers.push_back({"Warning", std::to_string(code) + " " + std::string(host) + " \"" +
                                              std::string(text) + "\""});
    return options;
}

std::string bind_url(const StackConfig& config) {
    const bool v6 = config.address.find(':') != std::string::npos;
    std::string url = "sip:" + (v6 ? "[" + config.address + "]" : config.address) + ":" +
                      std::to_string(config.port);
    if (config.udp && !config.tcp) url += ";transport=udp";
    if (config.tcp && !config.udp) url += ";transport=tcp";
    return url;
}

struct Stack::Impl : StackImplTag {
    Impl(StackConfig config, Listener& listener) : config(std::move(config)), listener(listener) {}

    StackConfig config;
    Listener& listener;
    std::thread thread;
    std::thread::id thread_id;
    su_root_t* root = nullptr;
    nua_t* nua = nullptr;
    su_timer_t* shutdown_timer = nullptr;

    std::mutex post_mutex;
    bool accepting = false;  // post() may send to root (guarded by post_mutex)

    // SIP thread only.
    std::unordered_map<HandleId, std::unique_ptr<HandleRecord>> handles;
    HandleId next_id = 1;
    bool shutting_down = false;

    void run(std::promise<std::string>& ready);
    void dispatch(nua_event_t event, int status, const char* phrase, nua_handle_t* nh,
                  HandleRecord* record, const sip_t* sip, tagi_t tags[]);
    void destroy_handle(HandleRecord* record);
    HandleRecord* find(HandleId id) {
        auto it = handles.find(id);
        return it == handles.end() ? nullptr : it->second.get();
    }
    void begin_shutdown(int grace_ms);
    void answer_subscribe(nua_handle_t* nh, const sip_t* sip, Event& copied);

    static void on_event(nua_event_t event, int status, char const* phrase, nua_t*,
                         StackImplTag* magic, nua_handle_t* nh, HandleRecord* record,
                         sip_t const* sip, tagi_t tags[]) {
        static_cast<Impl*>(magic)->dispatch(event, status, phrase, nh, record, sip, tags);
    }
    static void on_posted(StackImplTag*, su_msg_r, PostedWork* arg) {
        std::function<void()>* work = arg->work;
        arg->work = nullptr;
        try {
            (*work)();
        } catch (const std::exception& e) {
            log::error("sip_task_failed").msg(e.what());
        }
        delete work;
    }
    static void on_posted_dropped(PostedWork* arg) {
        delete arg->work;
        arg->work = nullptr;
    }
    static void on_shutdown_timeout(StackImplTag* magic, su_timer_t*, su_timer_arg_t*) {
        log::warn("sip_shutdown_timeout").msg("nua did not finish in time; stopping anyway");
        su_root_break(static_cast<Impl*>(magic)->root);
    }
};

void Stack::Impl::run(std::promise<std::string>& ready) {
    thread_id = std::this_thread::get_id();
    if (std::string problem = check_bindable(config); !problem.empty()) {
        ready.set_value("cannot listen on " + bind_url(config) + ": " + problem);
        return;
    }
    su_init();
    root = su_root_create(this);
    if (root == nullptr) {
        su_deinit();
        ready.set_value("su_root_create failed");
        return;
    }
    su_root_threading(root, 1);
    const std::string url = bind_url(config);
    const std::string allow =
        "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, NOTIFY, SUBSCRIBE, UPDATE";
    nua = nua_create(
        root, &Impl::on_event, this, NUTAG_URL(url.c_str()), NUTAG_MEDIA_ENABLE(0),
        NUTAG_AUTOANSWER(0), NUTAG_AUTOACK(1), NUTAG_ENABLEINVITE(1),
        NUTAG_SESSION_TIMER(config.session_expires_s), NUTAG_MIN_SE(config.min_se_s),
        NUTAG_SESSION_REFRESHER(nua_any_refresher), NUTAG_UPDATE_REFRESH(1),
        NUTAG_ALLOW(allow.c_str()),
        TAG_IF(!config.allow_events.empty(), NUTAG_ALLOW_EVENTS(config.allow_events.c_str())),
        SIPTAG_USER_AGENT_STR(config.user_agent.c_str()), NTATAG_MAXSIZE(config.max_message_bytes),
        TAG_END());
    if (nua == nullptr) {
        su_root_destroy(root);
        root = nullptr;
        su_deinit();
        ready.set_value("cannot listen on " + url + " (address in use or not local?)");
        return;
    }
    {
        std::lock_guard lock(post_mutex);
        accepting = true;
    }
    log::info("sip_listening").field("url", url).msg("SIP transport up");
    ready.set_value({});
    su_root_run(root);

    {
        std::lock_guard lock(post_mutex);
        accepting = false;
    }
    if (shutdown_timer != nullptr) su_timer_destroy(shutdown_timer);
    for (auto& [id, record] : handles)
        nua_handle_destroy(record->nh);
    handles.clear();
    nua_destroy(nua);
    nua = nullptr;
    su_root_destroy(root);  // drops (and deinitializes) messages still queued
    root = nullptr;
    su_deinit();
}

void Stack::Impl::dispatch(nua_event_t event, int status, const char* phrase, nua_handle_t* nh,
                           HandleRecord* record, const sip_t* sip, tagi_t tags[]) {
    if (event == nua_r_shutdown) {
        if (status >= 200) su_root_break(root);
        return;
    }
    bool new_handle = false;
    if (nh != nullptr && record == nullptr) {
        if (shutting_down && event == nua_i_invite) {
            nua_respond(nh, 503, "Service Unavailable", SIPTAG_RETRY_AFTER_STR("5"), TAG_END());
        }
        auto owned = std::make_unique<HandleRecord>();
        owned->id = next_id++;
        owned->nh = nh;
        record = owned.get();
        nua_handle_bind(nh, record);
        handles.emplace(record->id, std::move(owned));
        new_handle = true;
    }
    Event copied = copy_event(event, status, phrase, sip, tags, nua_current_request(nua));
    copied.handle = record != nullptr ? record->id : 0;
    copied.new_handle = new_handle;
    bool terminated = event == nua_i_state && copied.call_state == CallState::terminated;
    if (event == nua_i_subscribe && nh != nullptr) {
        answer_subscribe(nh, sip, copied);
        // A refused initial SUBSCRIBE leaves nothing to keep.
        if (new_handle && copied.status >= 300) terminated = true;
    }
    if (event == nua_r_notify && status >= 200 && record != nullptr &&
        (status >= 300 || record->final_notify)) {
        terminated = true;  // the subscription is over (ended by us, or the peer is gone)
    }
    if (!(shutting_down && new_handle && event == nua_i_invite)) {
        try {
            listener.on_sip_event(std::move(copied));
        } catch (const std::exception& e) {
            log::error("sip_listener_failed").field("event", nua_event_name(event)).msg(e.what());
        }
    }
    if (record != nullptr && (terminated || (new_handle && answered_by_nua(event)))) {
        destroy_handle(record);
    }
}

void Stack::Impl::answer_subscribe(nua_handle_t* nh, const sip_t* sip, Event& copied) {
    auto accepts = [&](const std::string& type) {
        if (copied.accept.empty()) return true;  // the package's default type
        for (const std::string& ok :
             {type, std::string("*/*"), type.substr(0, type.find('/')) + "/*"}) {
            if (copied.accept.find(ok) != std::string::npos) return true;
        }
        return false;
    };
    int status = 202;
    if (config.allow_events.empty() || copied.event_header != config.allow_events) {
        status = 489;
    } else if (!accepts(config.notify_content_type)) {
        status = 406;
    }
    unsigned expires = config.max_subscription_s;
    if (sip != nullptr && sip->sip_expires != nullptr) {
        expires = static_cast<unsigned>(sip->sip_expires->ex_delta);
        if (expires != 0) {
            expires = std::clamp(expires, config.min_subscription_s, config.max_subscription_s);
        }
    }
    copied.status = status;
    copied.expires = status < 300 ? expires : 0;
    const std::string expires_text = std::to_string(expires);
    nua_respond(nh, status, sip_status_phrase(status), NUTAG_WITH_THIS(nua),
                TAG_IF(status < 300, SIPTAG_EXPIRES_STR(expires_text.c_str())),
                TAG_IF(status == 406, SIPTAG_ACCEPT_STR(config.notify_content_type.c_str())),
                TAG_IF(status == 489, SIPTAG_ALLOW_EVENTS_STR(config.allow_events.c_str())),
                TAG_END());
}

void Stack::Impl::destroy_handle(HandleRecord* record) {
    nua_handle_bind(record->nh, nullptr);
    nua_handle_destroy(record->nh);
    handles.erase(record->id);
}

void Stack::Impl::begin_shutdown(int grace_ms) {
    if (shutting_down) return;
    shutting_down = true;
    // nua_shutdown sends BYE on every call still up and answers new requests itself.
    nua_shutdown(nua);
    shutdown_timer = su_timer_create(su_root_task(root), grace_ms);
    su_timer_set(shutdown_timer, &Impl::on_shutdown_timeout, nullptr);
}

Stack::Stack(StackConfig config, Listener& listener)
    : config_(config), impl_(std::make_unique<Impl>(std::move(config), listener)) {}

Result<std::unique_ptr<Stack>> Stack::start(const StackConfig& config, Listener& listener) {
    std::unique_ptr<Stack> stack(new Stack(config, listener));
    std::promise<std::string> ready;
    auto outcome = ready.get_future();
    Impl* impl = stack->impl_.get();
    impl->thread = std::thread([impl, &ready] { impl->run(ready); });
    std::string error = outcome.get();
    if (!error.empty()) {
        impl->thread.join();
        return make_error("sip: " + error);
    }
    return stack;
}

Stack::~Stack() {
    stop();
}

bool Stack::post(std::function<void()> work) {
    std::lock_guard lock(impl_->post_mutex);
    if (!impl_->accepting) return false;
    su_msg_r msg = SU_MSG_R_INIT;
    if (su_msg_create(msg, su_root_task(impl_->root), su_root_task(impl_->root), &Impl::on_posted,
                      sizeof(PostedWork)) != 0) {
        return false;
    }
    su_msg_deinitializer(msg, &Impl::on_posted_dropped);
    su_msg_data(msg)->work = new std::function<void()>(std::move(work));
    return su_msg_send(msg) == 0;
}

void Stack::respond(HandleId handle, int status, ResponseOptions options) {
    Impl* impl = impl_.get();
    post([impl, handle, status, options = std::move(options)] {
        HandleRecord* record = impl->find(handle);
        if (record == nullptr) return;
        std::string extra;
        for (const Header& h : options.headers) {
            extra += header_safe(h.name) + ": " + header_safe(h.value) + "\r\n";
        }
        const std::string contact = header_safe(options.contact);
        // nua keeps the phrase pointer until it builds the response later in this loop: give it
        // sofia's static phrase for the code, never a pointer into this closure.
        const char* static_phrase = sip_status_phrase(status);
        nua_respond(record->nh, status, static_phrase != nullptr ? static_phrase : "Unknown",
                    TAG_IF(!contact.empty(), SIPTAG_CONTACT_STR(contact.c_str())),
                    TAG_IF(!options.content_type.empty(),
                           SIPTAG_CONTENT_TYPE_STR(options.content_type.c_str())),
                    TAG_IF(!options.body.empty(), SIPTAG_PAYLOAD_STR(options.body.c_str())),
                    TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
    });
}

void Stack::bye(HandleId handle) {
    Impl* impl = impl_.get();
    post([impl, handle] {
        if (HandleRecord* record = impl->find(handle)) nua_bye(record->nh, TAG_END());
    });
}

void Stack::notify(HandleId handle, std::string body, bool terminated, std::string reason) {
    Impl* impl = impl_.get();
    post([impl, handle, body = std::move(body), terminated,
          reason = header_safe(std::move(reason))] {
        HandleRecord* record = impl->find(handle);
        if (record == nullptr) return;
        if (terminated) record->final_notify = true;
        const std::string state = !terminated      ? std::string("active")
                                  : reason.empty() ? std::string("terminated")
                                                   : "terminated;reason=" + reason;
        nua_notify(record->nh, SIPTAG_EVENT_STR(impl->config.allow_events.c_str()),
                   // nua writes "active;expires=N" itself; a state string without the expiry
                   // would make it end the subscription at once.
                   TAG_IF(terminated, SIPTAG_SUBSCRIPTION_STATE_STR(state.c_str())),
                   NUTAG_SUBSTATE(terminated ? nua_substate_terminated : nua_substate_active),
                   SIPTAG_CONTENT_TYPE_STR(impl->config.notify_content_type.c_str()),
                   TAG_IF(!body.empty(), SIPTAG_PAYLOAD_STR(body.c_str())), TAG_END());
    });
}

void Stack::stop(int grace_ms) {
    if (!impl_ || !impl_->thread.joinable()) return;
    Impl* impl = impl_.get();
    if (!post([impl, grace_ms] { impl->begin_shutdown(grace_ms); })) {
        // Not accepting work: the loop already ended.
    }
    impl_->thread.join();
}

bool Stack::on_sip_thread() const {
    return std::this_thread::get_id() == impl_->thread_id;
}

}  // namespace sidebar::sip
