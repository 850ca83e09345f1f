// The mixer's resources as Request-URI user parts (DESIGN.md section 5.1): conf=<room>,
// conf=<room>.sb<n>, sidebar=<room>, member=<room>.<n>. Parsed strictly: anything else is not
// one of ours and gets a 404.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sidebar::sip {

struct Resource {
    enum class Kind { conference, sidebar, sidebar_factory, member };
    Kind kind = Kind::conference;
    std::string room;     // 1..32 of [A-Za-z0-9_-]
    uint32_t number = 0;  // sidebar number (sidebar) or member number (member); 1..999999
};

std::optional<Resource> parse_resource(std::string_view user);

// The user part for a resource: the inverse of parse_resource.
std::string resource_user(const Resource& resource);

bool valid_room_name(std::string_view room);

}  // namespace sidebar::sip
