// The SQLite room directory, on real SQLite files.
#include "common/directory/sqlite_room_directory.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace sidebar::directory;

namespace {

Room make_room(std::string number, std::optional<std::string> pin = std::nullopt) {
    Room room;
    room.number = std::move(number);
    room.pin = std::move(pin);
    return room;
}

}  // namespace

namespace {

// A fresh folder for one test's database files, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path =
            std::filesystem::temp_directory_path() /
            ("sidebar-directory-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    static inline int counter = 0;
};

}  // namespace

SCENARIO("rooms are stored, found, listed, replaced and removed", "[directory]") {
    auto dir = SqliteRoomDirectory::open(":memory:");
    REQUIRE(dir.ok());
    auto& rooms = **dir;

    Room demo = make_room("1000");
    demo.name = "Demo";
    Room board = make_room("2000", "1234");
    board.name = "Board";
    board.moderator_pin = "9999";
    board.max_members = 8;
    board.sidebar_parent_gain_db = std::nullopt;
    board.record = true;
    REQUIRE(rooms.upsert(board).ok());
    REQUIRE(rooms.upsert(demo).ok());

    auto found = rooms.find("2000");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK(**found == board);

    auto missing = rooms.find("3000");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());

    auto all = rooms.list();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].number == "1000");

    Room renamed = demo;
    renamed.name = "Renamed";
    REQUIRE(rooms.upsert(renamed).ok());
    CHECK((*rooms.find("1000"))->name == "Renamed");

    REQUIRE(rooms.remove("1000").ok());
    CHECK_FALSE(rooms.find("1000")->has_value());
}

SCENARIO("an invalid room is not stored", "[directory]") {
    auto dir = SqliteRoomDirectory::open(":memory:");
    REQUIRE(dir.ok());
    auto st = (*dir)->upsert(make_room("12'; DROP TABLE rooms; --"));
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find("number: expected 1 to 16 digits") != std::string::npos);
    CHECK((*dir)->list().ok());
}

SCENARIO("two services open the same file and see each other's rooms", "[directory]") {
    TempDir tmp;
    const std::string file = (tmp.path / "rooms.sqlite").string();
    auto mixer = SqliteRoomDirectory::open(file);
    auto ivr = SqliteRoomDirectory::open(file);
    REQUIRE(mixer.ok());
    REQUIRE(ivr.ok());
    REQUIRE((*mixer)->upsert(make_room("4000", "42")).ok());
    auto seen = (*ivr)->find("4000");
    REQUIRE(seen.ok());
    REQUIRE(seen->has_value());
    CHECK((*seen)->pin == "42");
}

SCENARIO("a file that is not a database is refused naming the file", "[directory]") {
    TempDir tmp;
    const std::string file = (tmp.path / "garbage.sqlite").string();
    std::ofstream(file) << std::string(4096, 'x');
    auto dir = SqliteRoomDirectory::open(file);
    REQUIRE_FALSE(dir.ok());
    CHECK(dir.message().find(file) != std::string::npos);

    auto nowhere = SqliteRoomDirectory::open((tmp.path / "no/such/dir/rooms.sqlite").string());
    REQUIRE_FALSE(nowhere.ok());
}
