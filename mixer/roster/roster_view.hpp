// The snapshot normalised for publishing: members sorted and de-duplicated by number, every
// outside value cleaned and escaped once, each user given a unique key (the user entity), and
// the statuses RFC 4575 shows computed. Full documents and diffs are both built from this.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mixer/roster/roster_types.hpp"

namespace sidebar::mixer::roster {

// All strings are already XML-escaped.
struct UserView {
    uint32_t number = 0;
    std::string key;  // <user entity>: the caller's URI, or the member URI when that is unusable
    std::string display;       // <display-text>
    std::string endpoint;      // sip:member=<room>.<n>@<host>
    std::string media_status;  // sendrecv / recvonly / sendonly / inactive
    std::string codec;
    std::string joined_at;
    bool speaking = false;
    uint32_t sidebar = 0;  // 0, or a sidebar that exists in the snapshot
};

struct SidebarView {
    uint32_t number = 0;
    std::string entity;  // sip:conf=<room>.sb<n>@<host>
    std::string subject;
    std::vector<const UserView*> users;  // into ConferenceView::users, by number
};

struct ConferenceView {
    std::string entity;  // sip:conf=<room>@<host>
    std::string name;
    uint32_t max_members = 0;
    std::vector<UserView> users;        // by number
    std::vector<SidebarView> sidebars;  // by number; users filled in

    ConferenceView() = default;
    // SidebarView::users points into users: copying would leave them dangling.
    ConferenceView(const ConferenceView&) = delete;
    ConferenceView& operator=(const ConferenceView&) = delete;
};

// Where a user is shown: the main roster (members in a sidebar are "muted-via-focus" there) or
// the roster of the sidebar it is in ("connected").
enum class Scope { main, sidebar };

const char* endpoint_status(const UserView& user, Scope scope);

// Fills view from snapshot (view must be fresh).
void make_view(const RosterSnapshot& snapshot, ConferenceView& view);

}  // namespace sidebar::mixer::roster
