// The room directory: which conference rooms exist and their settings (DESIGN.md 6). Both
// services reach it only through this interface, so a shared database can replace the embedded
// SQLite store when there are several machines (DESIGN.md 7).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::directory {

struct Room {
    std::string number;              // what callers dial: 1..16 digits
    std::string name;                // for people: logs, roster, prompts
    std::optional<std::string> pin;  // digits; none = open room
    std::optional<std::string> moderator_pin;
    int max_members = 50;
    // Default gain at which a sidebar hears its main room; none = "off" (hears nothing of it).
    std::optional<double> sidebar_parent_gain_db = -12.0;
    bool record = false;

    bool operator==(const Room&) const = default;
};

// Checks a room's fields; the message names the field (used for config seeding and admin input).
Status validate(const Room& room);

class RoomDirectory {
  public:
    virtual ~RoomDirectory() = default;
    virtual Result<std::optional<Room>> find(std::string_view number) = 0;
    virtual Result<std::vector<Room>> list() = 0;
    // Creates the room or replaces the one with the same number.
    virtual Status upsert(const Room& room) = 0;
    virtual Status remove(std::string_view number) = 0;
};

enum class PinCheck { open_room, accepted, moderator, wrong_pin, no_such_room };

// The PIN rules both services share: an open room needs no PIN; otherwise the member or the
// moderator PIN. Compared in constant time.
PinCheck check_pin(const std::optional<Room>& room, std::string_view entered);

}  // namespace sidebar::directory
