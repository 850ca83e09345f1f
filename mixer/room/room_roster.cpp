// A room's conference event package (RFC 4575): the roster as subscribers see it, the full
// state for a new subscription and partial updates after changes.
#include <ctime>

#include "common/log/log.hpp"
#include "mixer/room/room.hpp"
#include "mixer/roster/conference_info.hpp"

namespace sidebar::mixer {

namespace {

constexpr std::size_t kMaxSubscribers = 64;  // per room: the IVR and a few admin tools

std::string rfc3339(int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace

RosterSnapshot Room::roster() const {
    RosterSnapshot out;
    out.room = info_.number;
    out.room_name = info_.name;
    out.focus_host = services_.config->contact_host();
    out.max_members = static_cast<uint32_t>(info_.max_members);
    for (const auto& [number, member] : members_) {
        RosterMember m;
        m.number = number;
        m.entity = member.uri;
        m.display_name = member.display_name;
        m.call_id = member.call_id;
        m.muted = engine_.is_muted(number);
        m.deaf = engine_.is_deaf(number);
        m.speaking = member.speaking;
        m.codec = std::string(codec::to_string(member.stream->codec()));
        m.sidebar = sidebar_of_member(number);
        m.joined_at = rfc3339(member.joined_unix);
        out.members.push_back(std::move(m));
    }
    for (const auto& [number, sidebar] : sidebars_) {
        out.sidebars.push_back(RosterSidebar{number, "sidebar " + std::to_string(number)});
    }
    return out;
}

void Room::subscribe(sip::HandleId handle, std::string call_id, bool refresh) {
    notify_roster();  // bring everybody to the present before the newcomer's full state
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const Subscriber& s) { return s.handle == handle; });
    if (it == subscribers_.end()) {
        if (refresh) return;  // a refresh of a subscription we no longer hold
        if (subscribers_.size() >= kMaxSubscribers) {
            log::warn("subscribe_refused")
                .field("room", info_.number)
                .field("call-id", call_id)
                .msg("too many subscribers");
            services_.sip->notify(handle, "", true, "rejected");
            return;
        }
        subscribers_.push_back(Subscriber{handle, std::move(call_id), 0});
        it = std::prev(subscribers_.end());
        log::info("subscribed")
            .field("room", info_.number)
            .field("call-id", it->call_id)
            .msg("conference event package");
    }
    last_roster_ = roster();
    services_.sip->notify(handle, ConferenceInfo::full(last_roster_, ++it->version));
}

void Room::unsubscribe(sip::HandleId handle, bool send_final) {
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const Subscriber& s) { return s.handle == handle; });
    if (it == subscribers_.end()) return;
    if (send_final)
        services_.sip->notify(handle, ConferenceInfo::full(last_roster_, ++it->version), true, "");
    log::info("unsubscribed")
        .field("room", info_.number)
        .field("call-id", it->call_id)
        .msg(send_final ? "by the subscriber" : "subscriber gone");
    subscribers_.erase(it);
}

void Room::notify_roster() {
    if (subscribers_.empty()) return;
    RosterSnapshot now = roster();
    if (!ConferenceInfo::differs(last_roster_, now)) return;
    for (Subscriber& s : subscribers_) {
        services_.sip->notify(s.handle, ConferenceInfo::partial(last_roster_, now, ++s.version));
    }
    last_roster_ = std::move(now);
}

}  // namespace sidebar::mixer
