// The SIP thread's insides, shared by sip_stack.cpp (the thread, nua's events, shutdown) and
// sip_stack_requests.cpp (answers, calls and NOTIFYs asked for by other threads). Internal to
// common/sip: nothing outside includes it.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/sip/sip_stack.hpp"
#include "common/sip/sofia_includes.hpp"

namespace sidebar::sip {

// RFC 3261 Timer J (64 x T1): a UDP server transaction is gone by then.
inline constexpr auto kRefusedReferLinger = std::chrono::seconds(33);
inline constexpr su_duration_t kSweepIntervalMs = 5000;

// Values we put in headers come partly from configuration and peers: no line breaks.
std::string header_safe(std::string value);

struct StackImplTag {};

struct PostedWork {
    std::function<void()>* work;  // owned; null once run
};

struct HandleRecord {
    HandleId id = 0;
    nua_handle_t* nh = nullptr;
    bool final_notify = false;  // a terminating NOTIFY was sent
    bool refer_only = false;    // made by an out-of-dialog REFER: nothing else lives on it
    // NOTIFYs go one at a time: nua folds a NOTIFY asked for while another is in flight into
    // that transaction (same CSeq, the first body), so the second one's body would be lost.
    bool notify_in_flight = false;
    std::deque<std::function<void()>> queued_notifies;
};

struct Stack::Impl : StackImplTag {
    Impl(StackConfig config, Listener& listener) : config(std::move(config)), listener(listener) {}

    StackConfig config;
    Listener& listener;
    std::thread thread;
    std::thread::id thread_id;
    su_root_t* root = nullptr;
    nua_t* nua = nullptr;
    su_timer_t* shutdown_timer = nullptr;
    su_timer_t* sweep_timer = nullptr;
    // Handles of refused out-of-dialog REFERs, released by sweep() after kRefusedReferLinger.
    struct Refused {
        HandleId id;
        std::chrono::steady_clock::time_point at;
    };
    std::deque<Refused> refused_refers;

    std::mutex post_mutex;
    bool accepting = false;  // post() may send to root (guarded by post_mutex)

    // SIP thread only.
    std::unordered_map<HandleId, std::unique_ptr<HandleRecord>> handles;
    std::atomic<HandleId> next_id{1};  // taken on the SIP thread and by reserve_handle()
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
    void answer_refer(nua_handle_t* nh, Event& copied);
    // Queues `work` behind what the SIP thread has to do already (su_msg_send to our root).
    bool enqueue(std::function<void()> work);
    void send_refer_notify(HandleRecord& record, const std::string& refer_event,
                           const std::string& body, bool terminated);
    // Runs `send` (which calls nua_notify) now, or after the NOTIFY in flight is answered.
    void send_notify(HandleRecord& record, std::function<void()> send);

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
    void sweep();
    static void on_sweep(StackImplTag* magic, su_timer_t*, su_timer_arg_t*) {
        static_cast<Impl*>(magic)->sweep();
    }
    static void on_shutdown_timeout(StackImplTag* magic, su_timer_t*, su_timer_arg_t*) {
        log::warn("sip_shutdown_timeout").msg("nua did not finish in time; stopping anyway");
        su_root_break(static_cast<Impl*>(magic)->root);
    }
};

}  // namespace sidebar::sip
