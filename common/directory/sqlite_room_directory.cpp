// SQLite implementation of the room directory.
#include "common/directory/sqlite_room_directory.hpp"

#include <sqlite3.h>

#include <utility>

namespace sidebar::directory {

namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS rooms (
    number TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    pin TEXT,
    moderator_pin TEXT,
    max_members INTEGER NOT NULL DEFAULT 50,
    sidebar_parent_gain_db REAL,
    record INTEGER NOT NULL DEFAULT 0
);
)sql";

// A prepared statement, finalized when it goes out of scope.
class Statement {
  public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return rc_ == SQLITE_OK; }
    std::string error() const { return sqlite3_errmsg(db_); }
    sqlite3_stmt* get() { return stmt_; }

    void bind(int index, std::string_view text) {
        sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
    }
    void bind(int index, const std::optional<std::string>& text) {
        if (text)
            bind(index, std::string_view(*text));
        else
            sqlite3_bind_null(stmt_, index);
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    int rc_;
};

std::optional<std::string> column_text(sqlite3_stmt* stmt, int col) {
    if (sqlite3_column_type(stmt, col) == SQLITE_NULL) return std::nullopt;
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
}

Room read_room(sqlite3_stmt* stmt) {
    Room room;
    room.number = column_text(stmt, 0).value_or("");
    room.name = column_text(stmt, 1).value_or("");
    room.pin = column_text(stmt, 2);
    room.moderator_pin = column_text(stmt, 3);
    room.max_members = sqlite3_column_int(stmt, 4);
    room.sidebar_parent_gain_db = sqlite3_column_type(stmt, 5) == SQLITE_NULL
                                      ? std::nullopt
                                      : std::optional<double>(sqlite3_column_double(stmt, 5));
    room.record = sqlite3_column_int(stmt, 6) != 0;
    return room;
}

constexpr const char* kColumns =
    "number, name, pin, moderator_pin, max_members, sidebar_parent_gain_db, record";

}  // namespace

Result<std::unique_ptr<SqliteRoomDirectory>> SqliteRoomDirectory::open(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close(db);
        return make_error("room directory " + path + ": " + why);
    }
    std::unique_ptr<SqliteRoomDirectory> dir(new SqliteRoomDirectory(db));
    // Another process (the other service) may hold the write lock for a moment.
    sqlite3_busy_timeout(db, 2000);
    for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA foreign_keys=ON;", kSchema}) {
        if (auto st = dir->exec(sql); !st)
            return make_error("room directory " + path + ": " + st.message());
    }
    Statement version(db, "PRAGMA user_version;");
    if (!version.ok() || sqlite3_step(version.get()) != SQLITE_ROW) {
        return make_error("room directory " + path + ": cannot read schema version");
    }
    const int found = sqlite3_column_int(version.get(), 0);
    if (found > kSchemaVersion) {
        return make_error("room directory " + path + ": schema version " + std::to_string(found) +
                          " is newer than this program's " + std::to_string(kSchemaVersion));
    }
    if (found < kSchemaVersion) {
        auto st =
            dir->exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";").c_str());
        if (!st) return make_error("room directory " + path + ": " + st.message());
    }
    return dir;
}

SqliteRoomDirectory::~SqliteRoomDirectory() {
    sqlite3_close(db_);
}

Status SqliteRoomDirectory::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string why = err ? err : "unknown error";
        sqlite3_free(err);
        return make_error(why);
    }
    return Ok{};
}

Result<std::optional<Room>> SqliteRoomDirectory::find(std::string_view number) {
    std::lock_guard lock(mutex_);
    Statement stmt(db_,
                   (std::string("SELECT ") + kColumns + " FROM rooms WHERE number = ?1;").c_str());
    if (!stmt.ok()) return make_error("room directory: " + stmt.error());
    stmt.bind(1, number);
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) return std::optional<Room>();
    if (rc != SQLITE_ROW) return make_error("room directory: " + stmt.error());
    return std::optional<Room>(read_room(stmt.get()));
}

Result<std::vector<Room>> SqliteRoomDirectory::list() {
    std::lock_guard lock(mutex_);
    Statement stmt(
        db_, (std::string("SELECT ") + kColumns + " FROM rooms ORDER BY length(number), number;")
                 .c_str());
    if (!stmt.ok()) return make_error("room directory: " + stmt.error());
    std::vector<Room> rooms;
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        rooms.push_back(read_room(stmt.get()));
    if (rc != SQLITE_DONE) return make_error("room directory: " + stmt.error());
    return rooms;
}

Status SqliteRoomDirectory::upsert(const Room& room) {
    if (auto valid = validate(room); !valid)
        return make_error("room " + room.number + ": " + valid.message());
    std::lock_guard lock(mutex_);
    Statement stmt(db_, (std::string("INSERT OR REPLACE INTO rooms (") + kColumns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);")
                            .c_str());
    if (!stmt.ok()) return make_error("room directory: " + stmt.error());
    stmt.bind(1, std::string_view(room.number));
    stmt.bind(2, std::string_view(room.name));
    stmt.bind(3, room.pin);
    stmt.bind(4, room.moderator_pin);
    sqlite3_bind_int(stmt.get(), 5, room.max_members);
    if (room.sidebar_parent_gain_db) {
        sqlite3_bind_double(stmt.get(), 6, *room.sidebar_parent_gain_db);
    } else {
        sqlite3_bind_null(stmt.get(), 6);
    }
    sqlite3_bind_int(stmt.get(), 7, room.record ? 1 : 0);
    if (sqlite3_step(stmt.get()) != SQLITE_DONE)
        return make_error("room directory: " + stmt.error());
    return Ok{};
}

Status SqliteRoomDirectory::remove(std::string_view number) {
    std::lock_guard lock(mutex_);
    Statement stmt(db_, "DELETE FROM rooms WHERE number = ?1;");
    if (!stmt.ok()) return make_error("room directory: " + stmt.error());
    stmt.bind(1, number);
    if (sqlite3_step(stmt.get()) != SQLITE_DONE)
        return make_error("room directory: " + stmt.error());
    return Ok{};
}

}  // namespace sidebar::directory
