// Normalising a RosterSnapshot: ordering, de-duplication, escaping, unique user keys.
#include "mixer/roster/roster_view.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "mixer/roster/xml_text.hpp"

namespace sidebar::mixer::roster {
namespace {

const char* media_status(const RosterMember& m) {
    // From the participant's point of view (RFC 4575 5.7.4): a muted member only receives.
    if (m.muted && m.deaf) return "inactive";
    if (m.muted) return "recvonly";
    if (m.deaf) return "sendonly";
    return "sendrecv";
}

std::string focus_uri(std::string_view user, const std::string& host) {
    return "sip:" + std::string(user) + "@" + host;
}

}  // namespace

const char* endpoint_status(const UserView& user, Scope scope) {
    // RFC 4575 5.6.3: muted-via-focus = the endpoint can listen to the conference but its media is
    // not mixed into it: exactly a main-room member that was moved into a sidebar.
    return scope == Scope::main && user.sidebar != 0 ? "muted-via-focus" : "connected";
}

void make_view(const RosterSnapshot& snapshot, ConferenceView& view) {
    const std::string room = clean_xml_text(snapshot.room, 64);
    const std::string host = clean_xml_text(snapshot.focus_host, 128);
    view.entity.clear();
    append_xml_escaped(view.entity, focus_uri("conf=" + room, host));
    view.name = xml_text(snapshot.room_name);
    view.max_members = snapshot.max_members;

    std::vector<const RosterSidebar*> sidebars;
    for (const RosterSidebar& s : snapshot.sidebars)
        if (s.number != 0) sidebars.push_back(&s);
    std::stable_sort(sidebars.begin(), sidebars.end(),
                     [](const auto* a, const auto* b) { return a->number < b->number; });
    sidebars.erase(std::unique(sidebars.begin(), sidebars.end(),
                               [](const auto* a, const auto* b) { return a->number == b->number; }),
                   sidebars.end());
    const auto sidebar_exists = [&](uint32_t n) {
        const auto it = std::lower_bound(
            sidebars.begin(), sidebars.end(), n,
            [](const RosterSidebar* s, uint32_t number) { return s->number < number; });
        return it != sidebars.end() && (*it)->number == n;
    };

    std::vector<const RosterMember*> members;
    members.reserve(snapshot.members.size());
    for (const RosterMember& m : snapshot.members)
        members.push_back(&m);
    std::stable_sort(members.begin(), members.end(),
                     [](const auto* a, const auto* b) { return a->number < b->number; });
    members.erase(std::unique(members.begin(), members.end(),
                              [](const auto* a, const auto* b) { return a->number == b->number; }),
                  members.end());

    // Member URIs are reserved first, so a caller whose From imitates another member's URI (or
    // repeats another caller's From) cannot take over that member's user entry.
    view.users.resize(members.size());
    std::unordered_set<std::string> keys;
    for (std::size_t i = 0; i < members.size(); ++i) {
        UserView& u = view.users[i];
        u.number = members[i]->number;
        append_xml_escaped(u.endpoint,
                           focus_uri("member=" + room + "." + std::to_string(u.number), host));
        keys.insert(u.endpoint);
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
        const RosterMember& m = *members[i];
        UserView& u = view.users[i];
        u.key = xml_text(m.entity);
        if (u.key.empty() || !keys.insert(u.key).second) u.key = u.endpoint;
        u.display = xml_text(m.display_name);
        u.media_status = media_status(m);
        u.codec = xml_text(m.codec, 32);
        u.joined_at = xml_text(m.joined_at, 64);
        u.speaking = m.speaking;
        u.sidebar = m.sidebar != 0 && sidebar_exists(m.sidebar) ? m.sidebar : 0;
    }

    view.sidebars.resize(sidebars.size());
    for (std::size_t i = 0; i < sidebars.size(); ++i) {
        SidebarView& s = view.sidebars[i];
        s.number = sidebars[i]->number;
        append_xml_escaped(s.entity,
                           focus_uri("conf=" + room + ".sb" + std::to_string(s.number), host));
        s.subject = xml_text(sidebars[i]->subject);
    }
    for (const UserView& u : view.users) {
        if (u.sidebar == 0) continue;
        const auto it =
            std::lower_bound(view.sidebars.begin(), view.sidebars.end(), u.sidebar,
                             [](const SidebarView& s, uint32_t n) { return s.number < n; });
        it->users.push_back(&u);
    }
}

}  // namespace sidebar::mixer::roster
