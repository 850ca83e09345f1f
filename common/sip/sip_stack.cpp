// The SIP thread: su_root and nua live and die on it; other threads post work in.
#include "common/sip/sip_stack.hpp"

#include <algorithm>

#include "common/log/log.hpp"
#include "common/sip/event_copy.hpp"
#include "common/sip/sip_stack_impl.hpp"
#include "common/sip/transport_check.hpp"

namespace sidebar::sip {

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

}  // namespace

std::string header_safe(std::string value) {
    for (char& c : value) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return value;
}

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
        NUTAG_ALLOW(allow.c_str()), NUTAG_APPL_METHOD("REFER"),
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
    sweep_timer = su_timer_create(su_root_task(root), kSweepIntervalMs);
    if (sweep_timer != nullptr) su_timer_set_for_ever(sweep_timer, &Impl::on_sweep, nullptr);
    log::info("sip_listening").field("url", url).msg("SIP transport up");
    ready.set_value({});
    su_root_run(root);

    {
        std::lock_guard lock(post_mutex);
        accepting = false;
    }
    if (shutdown_timer != nullptr) su_timer_destroy(shutdown_timer);
    if (sweep_timer != nullptr) su_timer_destroy(sweep_timer);
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
    if (event == nua_i_refer && nh != nullptr) {
        if (new_handle) record->refer_only = true;
        answer_refer(nh, copied);
        if (new_handle && copied.status >= 300) {
            // Released by the sweep once its server transaction is surely over: destroyed any
            // sooner, Debian's nua leaves something behind that nua_shutdown later trips over
            // (nua_dialog_repeat_shutdown reads freed memory, seen under AddressSanitizer).
            refused_refers.push_back({record->id, std::chrono::steady_clock::now()});
        }
        if (new_handle) {
            // Debian's nua sends the first NOTIFY ("100 Trying", pending) of a REFER that
            // starts a dialog by itself, even before the answer goes out (so a refused one gets
            // it too, then the 403).
            record->notify_in_flight = true;
        } else if (copied.status < 300) {
            // Inside a dialog it sends none: the referrer still hears that it is under way.
            send_refer_notify(*record, copied.refer_event, "SIP/2.0 100 Trying\r\n", false);
        }
    }
    if (event == nua_r_notify && status >= 200 && record != nullptr) {
        record->notify_in_flight = false;
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
    } else if (record != nullptr && !record->notify_in_flight && !record->queued_notifies.empty()) {
        auto next = std::move(record->queued_notifies.front());
        record->queued_notifies.pop_front();
        record->notify_in_flight = true;
        next();
    }
}

void Stack::Impl::sweep() {
    const auto now = std::chrono::steady_clock::now();
    while (!refused_refers.empty() && now - refused_refers.front().at > kRefusedReferLinger) {
        if (HandleRecord* record = find(refused_refers.front().id)) destroy_handle(record);
        refused_refers.pop_front();
    }
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
    return impl_->enqueue(std::move(work));
}

bool Stack::Impl::enqueue(std::function<void()> work) {
    std::lock_guard lock(post_mutex);
    if (!accepting) return false;
    su_msg_r msg = SU_MSG_R_INIT;
    if (su_msg_create(msg, su_root_task(root), su_root_task(root), &Impl::on_posted,
                      sizeof(PostedWork)) != 0) {
        return false;
    }
    su_msg_deinitializer(msg, &Impl::on_posted_dropped);
    su_msg_data(msg)->work = new std::function<void()>(std::move(work));
    return su_msg_send(msg) == 0;
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
