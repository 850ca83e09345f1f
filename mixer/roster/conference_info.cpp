// ConferenceInfo: full and partial RFC 4575 documents from roster snapshots.
#include "mixer/roster/conference_info.hpp"

#include "mixer/roster/roster_diff.hpp"
#include "mixer/roster/roster_view.hpp"
#include "mixer/roster/roster_xml.hpp"

namespace sidebar::mixer {

using roster::ConferenceView;

std::string ConferenceInfo::full(const RosterSnapshot& snapshot, uint32_t version) {
    ConferenceView view;
    roster::make_view(snapshot, view);
    std::string out;
    out.reserve(512 + view.users.size() * 640);
    roster::write_root_open(out, view, "full", version);
    roster::write_main_description(out, view);
    roster::write_state(out, view.users.size());
    roster::write_users_full(out, roster::all_users(view), roster::Scope::main);
    if (!view.sidebars.empty()) {
        out += "<sidebars-by-val>";
        for (const roster::SidebarView& s : view.sidebars)
            roster::write_sidebar_full(out, s);
        out += "</sidebars-by-val>";
    }
    roster::write_root_close(out);
    return out;
}

std::string ConferenceInfo::partial(const RosterSnapshot& before, const RosterSnapshot& after,
                                    uint32_t version) {
    ConferenceView old_view;
    ConferenceView new_view;
    roster::make_view(before, old_view);
    roster::make_view(after, new_view);
    if (old_view.entity != new_view.entity) return full(after, version);
    std::string out;
    roster::write_root_open(out, new_view, "partial", version);
    roster::write_conference_diff(out, old_view, new_view);
    roster::write_root_close(out);
    return out;
}

bool ConferenceInfo::differs(const RosterSnapshot& before, const RosterSnapshot& after) {
    ConferenceView old_view;
    ConferenceView new_view;
    roster::make_view(before, old_view);
    roster::make_view(after, new_view);
    if (old_view.entity != new_view.entity) return true;
    std::string body;
    return roster::write_conference_diff(body, old_view, new_view);
}

}  // namespace sidebar::mixer
