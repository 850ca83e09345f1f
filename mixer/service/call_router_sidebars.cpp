// Routing the controller's requests (DESIGN.md 5.3, 5.4): INVITE to sidebar=<room> creates a
// sidebar, REFER naming member=<room>.<k> moves a member into a sidebar or back, INVITE to
// member=<room>.<k> opens a service channel. Only trusted controllers get this far; everything
// else gets 403 and a log line naming the source. Also the answers to the rooms' own calls.
#include <boost/asio/post.hpp>
#include <charconv>
#include <cmath>

#include "common/log/log.hpp"
#include "mixer/service/call_router.hpp"

namespace sidebar::mixer {

namespace asio = boost::asio;

namespace {

constexpr double kMinParentGainDb = -60.0;

// X-Parent-Gain: "off" or a number of dB in -60..0. The outer optional is empty for a bad value.
std::optional<std::optional<double>> parse_parent_gain(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text == "off") return std::optional<double>();
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
        value < kMinParentGainDb || value > 0.0) {
        return std::nullopt;
    }
    return std::optional<double>(value);
}

void log_refused_controller(const sip::Event& event, const std::string& why) {
    log::warn("controller_refused")
        .field("call-id", event.call_id)
        .field("method", event.method)
        .field("to", event.request_user)
        .field("source", event.source_address)
        .msg(why);
}

// The member a REFER names: Refer-To sip:member=<room>.<k>@host.
std::optional<sip::Resource> referred_member(const sip::Event& event) {
    const std::string user = event.refer_to.substr(0, event.refer_to.find('@'));
    if (!user.starts_with("sip:")) return std::nullopt;
    auto member = sip::parse_resource(user.substr(4));
    if (!member || member->kind != sip::Resource::Kind::member) return std::nullopt;
    return member;
}

}  // namespace

bool CallRouter::trusted_or_refused(const sip::Event& event) {
    const std::string why = trust_.refusal(event);
    if (why.empty()) return true;
    log_refused_controller(event, why);
    refuse(event, 403, "not a trusted controller");
    return false;
}

int CallRouter::refer_answer(const sip::Event& event) const {
    if (const std::string why = trust_.refusal(event); !why.empty()) {
        log_refused_controller(event, why);
        return 403;
    }
    auto target = sip::parse_resource(event.request_user);
    if (!target || (target->kind != sip::Resource::Kind::conference &&
                    target->kind != sip::Resource::Kind::sidebar)) {
        log::info("refer_refused")
            .field("call-id", event.call_id)
            .field("to", event.request_user)
            .msg("not a room or sidebar URI");
        return 404;
    }
    if (!referred_member(event)) {
        log::info("refer_refused")
            .field("call-id", event.call_id)
            .field("refer-to", event.refer_to)
            .msg("Refer-To does not name a member (sip:member=<room>.<n>@host)");
        return 400;
    }
    return 202;
}

void CallRouter::on_sidebar_invite(const sip::Event& event, const sip::Resource& resource) {
    if (!trusted_or_refused(event)) return;
    SidebarRequest request;
    if (auto header = event.header("X-Parent-Gain")) {
        auto gain = parse_parent_gain(*header);
        if (!gain) {
            const std::string text = "X-Parent-Gain must be off or -60..0 dB";
            return refuse(event, 400, text,
                          sip::with_warning(399, services_.config->contact_host(), text));
        }
        request.parent_gain_db = *gain;
    }
    std::shared_ptr<Room> room = find_room(resource.room);
    if (!room) return refuse(event, 404, "no such room in the call");
    auto offer = offer_of(event, "an INVITE");
    if (!offer) return;
    calls_[event.handle] = room;
    services_.counters->calls_active->inc();
    request.handle = event.handle;
    request.call_id = event.call_id;
    request.source_address = event.source_address;
    request.offer = std::move(*offer);
    request.tcp = event.transport == "tcp";
    asio::post(room->io(), [room, request = std::move(request)]() mutable {
        room->create_sidebar(std::move(request));
    });
}

void CallRouter::on_channel_invite(const sip::Event& event, const sip::Resource& resource) {
    if (!trusted_or_refused(event)) return;
    std::shared_ptr<Room> room = find_room(resource.room);
    if (!room) return refuse(event, 404, "no such room in the call");
    auto offer = offer_of(event, "an INVITE");
    if (!offer) return;
    calls_[event.handle] = room;
    services_.counters->calls_active->inc();
    ChannelRequest request;
    request.handle = event.handle;
    request.call_id = event.call_id;
    request.source_address = event.source_address;
    request.offer = std::move(*offer);
    request.member = resource.number;
    request.tcp = event.transport == "tcp";
    asio::post(room->io(), [room, request = std::move(request)]() mutable {
        room->open_channel(std::move(request));
    });
}

void CallRouter::on_invite_response(const sip::Event& event) {
    auto it = calls_.find(event.handle);
    if (it == calls_.end() || event.status < 200) return;
    std::shared_ptr<Room> room = it->second;
    asio::post(room->io(), [room, handle = event.handle, status = event.status,
                            type = event.content_type, body = event.body]() mutable {
        room->channel_answered(handle, status, std::move(type), std::move(body));
    });
}

void CallRouter::on_refer(const sip::Event& event) {
    if (event.status >= 300) return;  // refused on the SIP thread (and logged there)
    auto target = sip::parse_resource(event.request_user);
    auto member = referred_member(event);
    std::shared_ptr<Room> room = target ? find_room(target->room) : nullptr;
    if (!target || !member || !room || member->room != target->room) {
        log::info("refer_failed")
            .field("call-id", event.call_id)
            .field("to", event.request_user)
            .field("refer-to", event.refer_to)
            .msg(room ? "member of another room" : "no such room in the call");
        services_.sip->notify_refer(event.handle, event.refer_event, "SIP/2.0 404 Not Found", true);
        return;
    }
    ReferRequest request;
    request.handle = event.handle;
    request.call_id = event.call_id;
    request.refer_event = event.refer_event;
    request.sidebar = target->kind == sip::Resource::Kind::sidebar ? target->number : 0;
    request.member = member->number;
    asio::post(room->io(),
               [room, request = std::move(request)]() mutable { room->refer(std::move(request)); });
}

}  // namespace sidebar::mixer
