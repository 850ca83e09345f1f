// Validation and PIN rules for rooms, independent of where rooms are stored.
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/directory/room_directory.hpp"

namespace sidebar::directory {

namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool pin_matches(const std::optional<std::string>& pin, std::string_view entered) {
    return pin && pin->size() == entered.size() &&
           CRYPTO_memcmp(pin->data(), entered.data(), entered.size()) == 0;
}

}  // namespace

Status validate(const Room& room) {
    if (room.number.empty() || room.number.size() > 16 || !all_digits(room.number)) {
        return make_error("number: expected 1 to 16 digits, got \"" + room.number + "\"");
    }
    if (room.name.size() > 128) return make_error("name: longer than 128 characters");
    for (const auto* pin : {&room.pin, &room.moderator_pin}) {
        if (*pin && (pin->value().empty() || pin->value().size() > 16 || !all_digits(**pin))) {
            return make_error(std::string(pin == &room.pin ? "pin" : "moderator_pin") +
                              ": expected 1 to 16 digits");
        }
    }
    if (room.max_members < 1 || room.max_members > 1000) {
        return make_error("max_members: expected an integer in 1..1000, got " +
                          std::to_string(room.max_members));
    }
    if (room.sidebar_parent_gain_db &&
        (!std::isfinite(*room.sidebar_parent_gain_db) || *room.sidebar_parent_gain_db > 0.0 ||
         *room.sidebar_parent_gain_db < -60.0)) {
        return make_error("sidebar_parent_gain_db: expected a number in -60..0 or \"off\"");
    }
    return Ok{};
}

PinCheck check_pin(const std::optional<Room>& room, std::string_view entered) {
    if (!room) return PinCheck::no_such_room;
    if (!room->pin) return PinCheck::open_room;
    if (pin_matches(room->moderator_pin, entered)) return PinCheck::moderator;
    if (pin_matches(room->pin, entered)) return PinCheck::accepted;
    return PinCheck::wrong_pin;
}

}  // namespace sidebar::directory
