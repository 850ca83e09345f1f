// nua event → sip::Event: owned copies of the fields the services use.
#include "common/sip/event_copy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace sidebar::sip {
namespace {

std::string text(const char* s) {
    return s != nullptr ? std::string(s) : std::string();
}

CallState call_state_of(int state) {
    switch (state) {
        case nua_callstate_calling:
            return CallState::calling;
        case nua_callstate_proceeding:
            return CallState::proceeding;
        case nua_callstate_completing:
            return CallState::completing;
        case nua_callstate_received:
            return CallState::received;
        case nua_callstate_early:
            return CallState::early;
        case nua_callstate_completed:
            return CallState::completed;
        case nua_callstate_ready:
            return CallState::ready;
        case nua_callstate_terminating:
            return CallState::terminating;
        case nua_callstate_terminated:
            return CallState::terminated;
        default:
            return CallState::init;  // init, authenticating
    }
}

// A display name as people read it: surrounding quotes removed, \" and \\ unescaped.
std::string display_name(const char* raw) {
    std::string s = text(raw);
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return s;
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\' && i + 2 < s.size()) ++i;
        out += s[i];
    }
    return out;
}

std::string url_text(const url_t* url) {
    if (url == nullptr) return {};
    std::array<char, 1024> buffer{};
    const isize_t n = url_e(buffer.data(), buffer.size(), url);
    if (n <= 0 || static_cast<std::size_t>(n) >= buffer.size()) return {};
    return std::string(buffer.data(), static_cast<std::size_t>(n));
}

std::string unescaped(const char* s) {
    if (s == nullptr) return {};
    std::string out(s);
    // url_unescape writes at most strlen(s) + 1 bytes.
    std::string buffer(out.size() + 1, '\0');
    url_unescape(buffer.data(), s);
    buffer.resize(std::char_traits<char>::length(buffer.c_str()));
    return buffer;
}

std::string host_port(const url_t* url) {
    if (url == nullptr || url->url_host == nullptr) return {};
    std::string out = url->url_host;
    if (url->url_port != nullptr) out += ":" + std::string(url->url_port);
    return out;
}

NameAddr copy_addr(const sip_addr_t* addr) {
    NameAddr out;
    if (addr == nullptr) return out;
    out.display = display_name(addr->a_display);
    out.uri = url_text(addr->a_url);
    out.user = unescaped(addr->a_url->url_user);
    out.host = host_port(addr->a_url);
    out.tag = text(addr->a_tag);
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

EventKind kind_of(nua_event_t event) {
    switch (event) {
        case nua_i_invite:
            return EventKind::incoming_invite;
        case nua_i_ack:
            return EventKind::incoming_ack;
        case nua_i_cancel:
            return EventKind::incoming_cancel;
        case nua_i_bye:
            return EventKind::incoming_bye;
        case nua_i_options:
            return EventKind::incoming_options;
        case nua_i_info:
            return EventKind::incoming_info;
        case nua_i_refer:
            return EventKind::incoming_refer;
        case nua_i_subscribe:
            return EventKind::incoming_subscribe;
        case nua_i_notify:
            return EventKind::incoming_notify;
        case nua_i_message:
            return EventKind::incoming_message;
        case nua_i_update:
            return EventKind::incoming_update;
        case nua_i_method:
            return EventKind::incoming_other;
        case nua_i_state:
            return EventKind::call_state;
        case nua_i_error:
            return EventKind::error;
        case nua_r_invite:
        case nua_r_bye:
        case nua_r_options:
        case nua_r_refer:
        case nua_r_info:
        case nua_r_notify:
        case nua_r_subscribe:
        case nua_r_unsubscribe:
        case nua_r_message:
        case nua_r_update:
        case nua_r_cancel:
            return EventKind::response;
        default:
            return EventKind::other;
    }
}

void copy_source(msg_t* request, Event& out) {
    if (request == nullptr) return;
    const su_addrinfo_t* ai = msg_addrinfo(request);
    if (ai == nullptr || ai->ai_addr == nullptr) return;
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    if (ai->ai_addr->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
        inet_ntop(AF_INET, &v4->sin_addr, buffer.data(), buffer.size());
        out.source_port = ntohs(v4->sin_port);
    } else if (ai->ai_addr->sa_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
        inet_ntop(AF_INET6, &v6->sin6_addr, buffer.data(), buffer.size());
        out.source_port = ntohs(v6->sin6_port);
    }
    out.source_address = buffer.data();
}

void copy_headers(const sip_t* sip, Event& out) {
    for (const sip_unknown_t* h = sip->sip_unknown; h != nullptr; h = h->un_next) {
        if (out.headers.size() >= 32) break;  // bounded: a flood of headers is not our business
        out.headers.push_back(Header{text(h->un_name), text(h->un_value)});
    }
    if (sip->sip_event != nullptr) out.event_header = text(sip->sip_event->o_type);
    for (const sip_accept_t* a = sip->sip_accept; a != nullptr; a = a->ac_next) {
        if (!out.accept.empty()) out.accept += ", ";
        out.accept += text(a->ac_type);
    }
    if (sip->sip_refer_to != nullptr) out.refer_to = url_text(sip->sip_refer_to->r_url);
    if (sip->sip_user_agent != nullptr) out.user_agent = text(sip->sip_user_agent->g_string);
    if (sip->sip_via != nullptr && sip->sip_via->v_protocol != nullptr) {
        std::string protocol = lower(sip->sip_via->v_protocol);  // "sip/2.0/udp"
        const auto slash = protocol.rfind('/');
        out.transport = slash == std::string::npos ? protocol : protocol.substr(slash + 1);
    }
}

// The implicit subscription's Event header nua made for a REFER (type plus its id parameter).
std::string refer_event_text(const tagi_t tags[]) {
    const sip_event_t* refer_event = nullptr;
    tl_gets(tags, NUTAG_REFER_EVENT_REF(refer_event), TAG_END());
    if (refer_event == nullptr || refer_event->o_type == nullptr) return "refer";
    std::string out = refer_event->o_type;
    if (refer_event->o_params != nullptr) {
        for (const msg_param_t* p = refer_event->o_params; *p != nullptr; ++p) {
            out += ";";
            out += *p;
        }
    }
    return out;
}

}  // namespace

Event copy_event(nua_event_t event, int status, const char* phrase, const sip_t* sip,
                 const tagi_t tags[], msg_t* request) {
    Event out;
    out.kind = kind_of(event);
    out.nua_name = text(nua_event_name(event));
    out.status = status;
    out.phrase = text(phrase);
    if (event == nua_i_state) {
        int state = nua_callstate_init;
        tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
        out.call_state = call_state_of(state);
    }
    if (event == nua_i_refer) out.refer_event = refer_event_text(tags);
    if (out.kind != EventKind::response && out.kind != EventKind::call_state &&
        out.kind != EventKind::other) {
        copy_source(request, out);
    }
    if (sip == nullptr) return out;
    if (sip->sip_request != nullptr) {
        out.method = text(sip->sip_request->rq_method_name);
        out.request_uri = url_text(sip->sip_request->rq_url);
        out.request_user = unescaped(sip->sip_request->rq_url->url_user);
    } else if (sip->sip_cseq != nullptr) {
        out.method = text(sip->sip_cseq->cs_method_name);
    }
    if (sip->sip_call_id != nullptr) out.call_id = text(sip->sip_call_id->i_id);
    out.from = copy_addr(sip->sip_from);
    out.to = copy_addr(sip->sip_to);
    if (sip->sip_cseq != nullptr) out.cseq = sip->sip_cseq->cs_seq;
    if (sip->sip_content_type != nullptr && sip->sip_content_type->c_type != nullptr) {
        out.content_type = lower(sip->sip_content_type->c_type);
    }
    if (sip->sip_payload != nullptr && sip->sip_payload->pl_data != nullptr) {
        out.body.assign(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
    }
    copy_headers(sip, out);
    return out;
}

}  // namespace sidebar::sip
