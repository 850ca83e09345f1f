// Work other threads ask of the SIP thread: answers, BYE, outgoing calls, NOTIFYs (one at a time
// per dialog), and the SIP thread's own answers to SUBSCRIBE and REFER.
#include "common/log/log.hpp"
#include "common/sip/sip_stack_impl.hpp"

namespace sidebar::sip {

void Stack::Impl::send_notify(HandleRecord& record, std::function<void()> send) {
    if (record.notify_in_flight) {
        record.queued_notifies.push_back(std::move(send));
        return;
    }
    record.notify_in_flight = true;
    send();
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

void Stack::Impl::answer_refer(nua_handle_t* nh, Event& copied) {
    int status = 403;
    if (config.refer_policy) {
        try {
            status = config.refer_policy(copied);
        } catch (const std::exception& e) {
            log::error("sip_refer_policy_failed").field("call-id", copied.call_id).msg(e.what());
            status = 500;
        }
    }
    if (status < 200 || status > 699) status = 500;
    copied.status = status;
    nua_respond(nh, status, sip_status_phrase(status), NUTAG_WITH_THIS(nua), TAG_END());
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

HandleId Stack::reserve_handle() {
    return impl_->next_id++;
}

void Stack::invite(HandleId handle, InviteOptions options) {
    Impl* impl = impl_.get();
    post([impl, handle, options = std::move(options)] {
        if (impl->shutting_down || impl->find(handle) != nullptr) return;
        const std::string to = header_safe(options.to);
        const std::string from = header_safe(options.from);
        const std::string contact = header_safe(options.contact);
        std::string extra;
        for (const Header& h : options.headers) {
            extra += header_safe(h.name) + ": " + header_safe(h.value) + "\r\n";
        }
        auto owned = std::make_unique<HandleRecord>();
        owned->id = handle;
        HandleRecord* record = owned.get();
        owned->nh = nua_handle(impl->nua, record, NUTAG_URL(to.c_str()), SIPTAG_TO_STR(to.c_str()),
                               SIPTAG_FROM_STR(from.c_str()), TAG_END());
        if (owned->nh == nullptr) {
            log::error("sip_invite_failed").field("to", to).msg("nua_handle failed");
            return;
        }
        impl->handles.emplace(handle, std::move(owned));
        nua_invite(record->nh, TAG_IF(!contact.empty(), SIPTAG_CONTACT_STR(contact.c_str())),
                   SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                   SIPTAG_PAYLOAD_STR(options.sdp.c_str()),
                   TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());
    });
}

void Stack::cancel(HandleId handle) {
    Impl* impl = impl_.get();
    post([impl, handle] {
        HandleRecord* record = impl->find(handle);
        if (record == nullptr) return;
        nua_cancel(record->nh, TAG_END());
    });
}

void Stack::notify(HandleId handle, std::string body, bool terminated, std::string reason) {
    Impl* impl = impl_.get();
    post([impl, handle, body = std::move(body), terminated,
          reason = header_safe(std::move(reason))] {
        HandleRecord* record = impl->find(handle);
        if (record == nullptr) return;
        impl->send_notify(*record, [impl, record, body, terminated, reason] {
            if (terminated) record->final_notify = true;
            const std::string state = !terminated      ? std::string("active")
                                      : reason.empty() ? std::string("terminated")
                                                       : "terminated;reason=" + reason;
            nua_notify(record->nh, SIPTAG_EVENT_STR(impl->config.allow_events.c_str()),
                       // nua writes "active;expires=N" itself; a state string without the
                       // expiry would make it end the subscription at once.
                       TAG_IF(terminated, SIPTAG_SUBSCRIPTION_STATE_STR(state.c_str())),
                       NUTAG_SUBSTATE(terminated ? nua_substate_terminated : nua_substate_active),
                       SIPTAG_CONTENT_TYPE_STR(impl->config.notify_content_type.c_str()),
                       TAG_IF(!body.empty(), SIPTAG_PAYLOAD_STR(body.c_str())), TAG_END());
        });
    });
}

void Stack::notify_refer(HandleId handle, std::string refer_event, std::string status_line,
                         bool terminated) {
    Impl* impl = impl_.get();
    post([impl, handle, refer_event = header_safe(std::move(refer_event)),
          body = header_safe(std::move(status_line)) + "\r\n", terminated] {
        HandleRecord* record = impl->find(handle);
        if (record == nullptr) return;
        impl->send_refer_notify(*record, refer_event, body, terminated);
    });
}

void Stack::Impl::send_refer_notify(HandleRecord& record, const std::string& refer_event,
                                    const std::string& body, bool terminated) {
    HandleRecord* r = &record;
    send_notify(record, [r, refer_event, body, terminated] {
        // Only a REFER-made handle ends with its subscription; the controlling INVITE dialog
        // a REFER may have come in lives on.
        if (terminated && r->refer_only) r->final_notify = true;
        nua_notify(
            r->nh, SIPTAG_EVENT_STR(refer_event.c_str()),
            TAG_IF(terminated, SIPTAG_SUBSCRIPTION_STATE_STR("terminated;reason=noresource")),
            NUTAG_SUBSTATE(terminated ? nua_substate_terminated : nua_substate_active),
            SIPTAG_CONTENT_TYPE_STR("message/sipfrag;version=2.0"),
            SIPTAG_PAYLOAD_STR(body.c_str()), TAG_END());
    });
}

}  // namespace sidebar::sip
