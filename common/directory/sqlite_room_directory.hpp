// The embedded room directory: one SQLite file (WAL mode, so the mixer and the IVR on one machine
// can open the same file), or ":memory:" for tests.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/directory/room_directory.hpp"

struct sqlite3;

namespace sidebar::directory {

class SqliteRoomDirectory final : public RoomDirectory {
  public:
    // Opens (creating if needed) the database and its schema. Errors name the file and why.
    static Result<std::unique_ptr<SqliteRoomDirectory>> open(const std::string& path);
    ~SqliteRoomDirectory() override;

    Result<std::optional<Room>> find(std::string_view number) override;
    Result<std::vector<Room>> list() override;
    Status upsert(const Room& room) override;
    Status remove(std::string_view number) override;

  private:
    explicit SqliteRoomDirectory(sqlite3* db) : db_(db) {}
    Status exec(const char* sql);

    std::mutex mutex_;  // one connection, used from the SIP thread and admin threads
    sqlite3* db_;       // owned
};

}  // namespace sidebar::directory
