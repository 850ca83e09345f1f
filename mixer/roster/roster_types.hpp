// The room as the conference event package (RFC 4575) shows it: plain values the mixer copies out
// of its room state, so the document builders need no access to the live room.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sidebar::mixer {

struct RosterMember {
    uint32_t number = 0;       // member number in the room: 1, 2, 3 ...
    std::string entity;        // the caller's URI (From), e.g. sip:alice@example.com
    std::string display_name;  // from the caller's From header: hostile until escaped
    std::string call_id;       // not published (see conference_info.hpp)
    bool muted = false;
    bool deaf = false;
    bool speaking = false;
    uint32_t sidebar = 0;   // 0 = main room; otherwise the sidebar number
    std::string codec;      // "PCMU", ...
    std::string joined_at;  // RFC 3339 time
};

struct RosterSidebar {
    uint32_t number = 0;
    std::string subject;
};

struct RosterSnapshot {
    std::string room;
    std::string room_name;
    std::string focus_host;  // "127.0.0.1:5070"
    std::vector<RosterMember> members;
    std::vector<RosterSidebar> sidebars;
    uint32_t max_members = 0;  // 0 = no limit shown
};

}  // namespace sidebar::mixer
