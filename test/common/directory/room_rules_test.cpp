// Room validation and the PIN rules both services share.
#include <catch2/catch.hpp>

#include "common/directory/room_directory.hpp"

using namespace sidebar::directory;

namespace {

Room make_room(std::string number, std::optional<std::string> pin = std::nullopt,
               std::optional<std::string> moderator_pin = std::nullopt) {
    Room room;
    room.number = std::move(number);
    room.pin = std::move(pin);
    room.moderator_pin = std::move(moderator_pin);
    return room;
}

}  // namespace

SCENARIO("rooms with bad fields are refused naming the field", "[directory]") {
    Room room = make_room("2000", "1234");
    room.name = "Board";
    CHECK(validate(room).ok());

    auto bad = room;
    bad.number = "20a0";
    CHECK(validate(bad).message() == "number: expected 1 to 16 digits, got \"20a0\"");
    bad = room;
    bad.number = "";
    CHECK_FALSE(validate(bad).ok());
    bad = room;
    bad.pin = "12 4";
    CHECK(validate(bad).message() == "pin: expected 1 to 16 digits");
    bad = room;
    bad.moderator_pin = "";
    CHECK(validate(bad).message() == "moderator_pin: expected 1 to 16 digits");
    bad = room;
    bad.max_members = 0;
    CHECK(validate(bad).message() == "max_members: expected an integer in 1..1000, got 0");
    bad = room;
    bad.sidebar_parent_gain_db = 6.0;
    CHECK_FALSE(validate(bad).ok());
    bad.sidebar_parent_gain_db = std::nullopt;  // "off"
    CHECK(validate(bad).ok());
}

SCENARIO("PIN rules", "[directory]") {
    const Room open = make_room("1000");
    const Room locked = make_room("2000", "1234", "9999");
    CHECK(check_pin(open, "") == PinCheck::open_room);
    CHECK(check_pin(locked, "1234") == PinCheck::accepted);
    CHECK(check_pin(locked, "9999") == PinCheck::moderator);
    CHECK(check_pin(locked, "123") == PinCheck::wrong_pin);
    CHECK(check_pin(locked, "12345") == PinCheck::wrong_pin);
    CHECK(check_pin(locked, "") == PinCheck::wrong_pin);
    CHECK(check_pin(std::nullopt, "1234") == PinCheck::no_such_room);
}
