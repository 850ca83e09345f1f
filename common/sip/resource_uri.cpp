// Strict parsing of the mixer's Request-URI user parts.
#include "common/sip/resource_uri.hpp"

#include <charconv>

namespace sidebar::sip {
namespace {

constexpr std::size_t kMaxRoomLength = 32;
constexpr uint32_t kMaxNumber = 999999;

std::optional<uint32_t> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 6 || text.front() == '0') return std::nullopt;
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > kMaxNumber) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

bool valid_room_name(std::string_view room) {
    if (room.empty() || room.size() > kMaxRoomLength) return false;
    for (char c : room) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::optional<Resource> parse_resource(std::string_view user) {
    const auto eq = user.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view scheme = user.substr(0, eq);
    const std::string_view rest = user.substr(eq + 1);
    Resource out;
    if (scheme == "sidebar") {
        if (!valid_room_name(rest)) return std::nullopt;
        out.kind = Resource::Kind::sidebar_factory;
        out.room = std::string(rest);
        return out;
    }
    const auto dot = rest.find('.');
    const std::string_view room = rest.substr(0, dot);
    if (!valid_room_name(room)) return std::nullopt;
    out.room = std::string(room);
    if (scheme == "conf") {
        if (dot == std::string_view::npos) {
            out.kind = Resource::Kind::conference;
            return out;
        }
        const std::string_view tail = rest.substr(dot + 1);
        if (tail.size() < 3 || tail.substr(0, 2) != "sb") return std::nullopt;
        auto n = parse_number(tail.substr(2));
        if (!n) return std::nullopt;
        out.kind = Resource::Kind::sidebar;
        out.number = *n;
        return out;
    }
    if (scheme == "member") {
        if (dot == std::string_view::npos) return std::nullopt;
        auto n = parse_number(rest.substr(dot + 1));
        if (!n) return std::nullopt;
        out.kind = Resource::Kind::member;
        out.number = *n;
        return out;
    }
    return std::nullopt;
}

std::string resource_user(const Resource& resource) {
    switch (resource.kind) {
        case Resource::Kind::conference:
            return "conf=" + resource.room;
        case Resource::Kind::sidebar:
            return "conf=" + resource.room + ".sb" + std::to_string(resource.number);
        case Resource::Kind::sidebar_factory:
            return "sidebar=" + resource.room;
        case Resource::Kind::member:
            return "member=" + resource.room + "." + std::to_string(resource.number);
    }
    return {};
}

}  // namespace sidebar::sip
