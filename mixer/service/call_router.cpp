// Routing SIP events: new INVITEs to rooms (with every refusal the issue asks for), and the
// rest of each dialog to the room that holds it.
#include "mixer/service/call_router.hpp"

#include <boost/asio/post.hpp>
#include <chrono>

#include "common/dtmf/dtmf_relay.hpp"
#include "common/log/log.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sip/resource_uri.hpp"

namespace sidebar::mixer {

namespace asio = boost::asio;

CallRouter::CallRouter(asio::io_context& control, directory::RoomDirectory& directory,
                       const token::JoinTokenSigner& tokens, const ControllerTrust& trust,
                       MediaThreads& media, RoomServices services)
    : control_(control),
      directory_(directory),
      tokens_(tokens),
      trust_(trust),
      media_(media),
      services_(std::move(services)) {
    // A room placing a call (the menu INVITE) names its dialog here first, through the control
    // thread, before the SIP thread can report anything about it.
    services_.on_call_placed = [this](sip::HandleId handle, std::shared_ptr<Room> room) {
        asio::post(control_, [this, handle, room = std::move(room)] {
            calls_[handle] = room;
            services_.counters->calls_active->inc();
        });
    };
}

void CallRouter::on_sip_event(sip::Event event) {
    asio::post(control_, [this, event = std::move(event)] { handle(event); });
}

std::shared_ptr<Room> CallRouter::find_room(const std::string& number) const {
    auto it = rooms_.find(number);
    return it == rooms_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Room>> CallRouter::rooms() const {
    std::vector<std::shared_ptr<Room>> out;
    for (const auto& [number, room] : rooms_)
        out.push_back(room);
    return out;
}

void CallRouter::handle(const sip::Event& event) {
    switch (event.kind) {
        case sip::EventKind::incoming_invite:
            if (event.new_handle) {
                on_new_invite(event);
            } else {
                on_reinvite(event);
            }
            return;
        case sip::EventKind::incoming_info:
            on_info(event);
            return;
        case sip::EventKind::incoming_bye:
            on_ended(event, "bye");
            return;
        case sip::EventKind::incoming_cancel:
            on_ended(event, "cancel");
            return;
        case sip::EventKind::call_state:
            if (event.call_state == sip::CallState::terminated) on_ended(event, "terminated");
            return;
        case sip::EventKind::incoming_subscribe:
            on_subscribe(event);
            return;
        case sip::EventKind::incoming_refer:
            on_refer(event);
            return;
        case sip::EventKind::response:
            if (event.method == "NOTIFY" && event.status >= 300) end_subscription(event.handle);
            if (event.method == "INVITE") on_invite_response(event);
            return;
        default:
            log::debug("sip_event")
                .field("event", event.nua_name)
                .field("call-id", event.call_id)
                .field("status", event.status)
                .msg(event.phrase);
            return;
    }
}

void CallRouter::refuse(const sip::Event& event, int status, std::string_view why,
                        sip::ResponseOptions options) {
    log::info("invite_refused")
        .field("call-id", event.call_id)
        .field("to", event.request_user)
        .field("from", event.from.uri)
        .field("source", event.source_address)
        .field("status", status)
        .msg(why);
    services_.counters->invites_refused->inc();
    services_.sip->respond(event.handle, status, std::move(options));
}

std::optional<sdp::SessionDescription> CallRouter::offer_of(const sip::Event& event,
                                                            std::string_view what) {
    const std::string host = services_.config->contact_host();
    if (event.body.empty() || event.content_type != "application/sdp") {
        const std::string text = std::string(what) + " without an SDP offer is not served";
        refuse(event, 488, text, sip::with_warning(399, host, text));
        return std::nullopt;
    }
    auto offer = sdp::parse(event.body);
    if (!offer) {
        refuse(event, 488, "SDP refused: " + offer.message(),
               sip::with_warning(399, host, "malformed SDP"));
        return std::nullopt;
    }
    return std::move(*offer);
}

std::string CallRouter::contact_for(const sip::Event& event, const std::string& user) const {
    std::string uri = "sip:" + user + "@" + services_.config->contact_host();
    if (event.transport == "tcp") uri += ";transport=tcp";
    return "<" + uri + ">;isfocus";
}

void CallRouter::on_new_invite(const sip::Event& event) {
    const MixerConfig& config = *services_.config;
    auto resource = sip::parse_resource(event.request_user);
    if (!resource) return refuse(event, 404, "no such conference resource");
    if (resource->kind == sip::Resource::Kind::sidebar_factory) {
        return on_sidebar_invite(event, *resource);
    }
    if (resource->kind == sip::Resource::Kind::member) {
        return on_channel_invite(event, *resource);
    }
    if (resource->kind != sip::Resource::Kind::conference) {
        if (!trusted_or_refused(event)) return;
        // A sidebar is joined by REFER (naming the member), not by INVITE.
        return refuse(event, 403, "a sidebar takes REFER; INVITE conf=<room> or sidebar=<room>");
    }
    const auto active = services_.counters->calls_active->value();
    if (active >= config.limits.max_calls) {
        sip::ResponseOptions options;
        options.headers.push_back({"Retry-After", "30"});
        return refuse(event, 503, "call limit reached", std::move(options));
    }
    auto found = directory_.find(resource->room);
    if (!found) {
        log::error("directory_failed").field("room", resource->room).msg(found.message());
        return refuse(event, 500, "room directory failed");
    }
    std::optional<directory::Room> room = *found;
    if (!room && config.limits.create_rooms_on_demand) {
        directory::Room created;
        created.number = resource->room;
        created.name = resource->room;
        if (directory::validate(created)) room = created;
    }
    if (!room) return refuse(event, 404, "no such room");
    if (room->pin) {
        auto token = event.header("X-Join-Token");
        if (!token) return refuse(event, 403, "PIN room and no join token");
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        if (Status ok =
                tokens_.verify(*token, room->number, sip::address_of_record(event.from), now);
            !ok) {
            return refuse(event, 403, "join token refused: " + ok.message());
        }
    }
    auto offer = offer_of(event, "an INVITE");
    if (!offer) return;
    std::shared_ptr<Room> target = room_for(*room);
    calls_[event.handle] = target;
    services_.counters->calls_active->inc();

    JoinRequest request;
    request.handle = event.handle;
    request.call_id = event.call_id;
    request.from = event.from;
    request.user_agent = event.user_agent;
    request.source_address = event.source_address;
    request.offer = std::move(*offer);
    request.contact = contact_for(event, sip::resource_user(*resource));
    asio::post(target->io(), [target, request = std::move(request)]() mutable {
        target->admit(std::move(request));
    });
}

void CallRouter::on_subscribe(const sip::Event& event) {
    if (event.status >= 300) {
        log::info("subscribe_refused")
            .field("call-id", event.call_id)
            .field("event", event.event_header)
            .field("accept", event.accept)
            .field("status", event.status)
            .msg("answered by the SIP thread");
        return;
    }
    if (!event.new_handle) {
        auto it = subscriptions_.find(event.handle);
        if (it == subscriptions_.end()) return;
        std::shared_ptr<Room> room = it->second;
        if (event.expires == 0) {
            subscriptions_.erase(it);
            // nua answers an unsubscribe with the final NOTIFY itself.
            asio::post(room->io(), [room, h = event.handle] { room->unsubscribe(h, false); });
        } else {
            asio::post(room->io(), [room, h = event.handle, id = event.call_id] {
                room->subscribe(h, id, true);
            });
        }
        return;
    }
    auto resource = sip::parse_resource(event.request_user);
    std::optional<directory::Room> info;
    if (resource && resource->kind == sip::Resource::Kind::conference) {
        auto found = directory_.find(resource->room);
        if (found) info = *found;
    }
    if (!info) {
        log::info("subscribe_refused")
            .field("call-id", event.call_id)
            .field("to", event.request_user)
            .msg("no such room");
        services_.sip->notify(event.handle, "", true, "noresource");
        return;
    }
    std::shared_ptr<Room> room = room_for(*info);
    if (event.expires == 0) {  // a fetch: one full state, then the end
        asio::post(room->io(), [room, h = event.handle, id = event.call_id] {
            room->subscribe(h, id, false);
            room->unsubscribe(h, false);
        });
        return;
    }
    subscriptions_[event.handle] = room;
    asio::post(room->io(),
               [room, h = event.handle, id = event.call_id] { room->subscribe(h, id, false); });
}

void CallRouter::end_subscription(sip::HandleId handle) {
    auto it = subscriptions_.find(handle);
    if (it == subscriptions_.end()) return;
    std::shared_ptr<Room> room = it->second;
    subscriptions_.erase(it);
    asio::post(room->io(), [room, handle] { room->unsubscribe(handle, false); });
}

void CallRouter::on_reinvite(const sip::Event& event) {
    auto it = calls_.find(event.handle);
    if (it == calls_.end()) return services_.sip->respond(event.handle, 481);
    auto offer = offer_of(event, "a re-INVITE");
    if (!offer) return;
    std::shared_ptr<Room> room = it->second;
    asio::post(room->io(), [room, handle = event.handle, offer = std::move(*offer)] {
        room->reinvite(handle, offer);
    });
}

void CallRouter::on_info(const sip::Event& event) {
    auto it = calls_.find(event.handle);
    if (it == calls_.end()) return;
    auto relay = dtmf::parse_info_body(event.content_type, event.body);
    if (!relay) {
        log::info("info_ignored").field("call-id", event.call_id).msg(relay.message());
        return;
    }
    std::shared_ptr<Room> room = it->second;
    asio::post(room->io(), [room, handle = event.handle, digit = relay->digit] {
        room->digit(handle, digit, "sip-info");
    });
}

void CallRouter::on_ended(const sip::Event& event, std::string_view reason) {
    auto it = calls_.find(event.handle);
    if (it == calls_.end()) return;
    std::shared_ptr<Room> room = it->second;
    if (reason == "terminated") {
        calls_.erase(it);
        services_.counters->calls_active->dec();
    }
    asio::post(room->io(), [room, handle = event.handle, reason = std::string(reason)] {
        room->leave(handle, reason);
    });
}

std::shared_ptr<Room> CallRouter::room_for(const directory::Room& info) {
    auto it = rooms_.find(info.number);
    if (it != rooms_.end()) return it->second;
    auto room = std::make_shared<Room>(media_.next(), info, services_);
    rooms_.emplace(info.number, room);
    log::info("room_opened")
        .field("room", info.number)
        .field("name", info.name)
        .msg("first caller");
    return room;
}

}  // namespace sidebar::mixer
