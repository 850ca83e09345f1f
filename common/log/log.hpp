// Structured one-line logging: `log::info("member.join").field("call-id", id).msg("joined");`
// writes, when the temporary goes out of scope,
//   2026-11-25T04:10:00.123Z INFO  mixer  event=member.join call-id=a84b4c76e66710 msg="joined"
// Lines below the global threshold cost one atomic load. Each line is written with one call to
// the sink under a lock, so lines from several threads never interleave.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/log/format.hpp"

namespace sidebar::log {

// Receives each whole line, ending in '\n'. Called under the logger's lock: keep it short and
// never log from inside it.
using Sink = std::function<void(std::string_view line)>;

void set_level(Level threshold);
Level level();
bool enabled(Level level);
// "debug", "info", "warn" (or "warning"), "error"; nullopt for anything else.
std::optional<Level> parse_level(std::string_view text);

// The service column ("mixer", "ivr"); set once at start, before other threads log.
void set_service(std::string_view name);
// Where lines go; an empty Sink restores the default, stderr.
void set_sink(Sink sink);

// A field value: text, or a number or bool formatted without allocating. Constructors are
// constrained so that nothing converts to bool by accident (a double or a pointer would).
class Value {
  public:
    Value(std::string_view text) : text_(text) {}  // NOLINT(google-explicit-constructor)
    Value(const char* text) : text_(text == nullptr ? "" : text) {}  // NOLINT
    Value(const std::string& text) : text_(text) {}                  // NOLINT
    template <typename T>
    requires std::same_as<T, bool> Value(T b)
        : text_(b ? "true" : "false") {}  // NOLINT(google-explicit-constructor)
    template <std::integral T>
    requires(!std::same_as<T, bool>) Value(T number) {  // NOLINT(google-explicit-constructor)
        if constexpr (std::is_signed_v<T>) {
            set_number(static_cast<int64_t>(number));
        } else {
            set_unsigned(static_cast<uint64_t>(number));
        }
    }
    template <std::floating_point T>
    Value(T number) {  // NOLINT(google-explicit-constructor)
        if constexpr (std::is_same_v<T, float>) {
            set_float(number);
        } else {
            set_double(static_cast<double>(number));
        }
    }
    Value(const Value& other);
    Value& operator=(const Value&) = delete;

    std::string_view text() const { return text_; }

  private:
    void set_number(int64_t number);
    void set_unsigned(uint64_t number);
    void set_double(double number);
    void set_float(float number);

    char digits_[32] = {};
    std::string_view text_;  // into digits_ or the caller's string
};

struct Field {
    std::string_view key;
    Value value;
};

// Builds one line and writes it from its destructor. Use it as a temporary (or a short-lived
// local); when the level is filtered out every call is a no-op.
class Event {
  public:
    Event(Level level, std::string_view name);
    ~Event();
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;

    Event& field(std::string_view key, const Value& value);
    // The human-readable text, always quoted and written last.
    Event& msg(std::string_view text);

  private:
    Level level_;
    bool enabled_;
    bool has_msg_ = false;
    std::string body_;  // "event=... k=v ..."
    std::string msg_;
};

inline Event debug(std::string_view name) {
    return Event(Level::debug, name);
}
inline Event info(std::string_view name) {
    return Event(Level::info, name);
}
inline Event warn(std::string_view name) {
    return Event(Level::warn, name);
}
inline Event error(std::string_view name) {
    return Event(Level::error, name);
}

// One-call forms: log::info("member.join", {{"call-id", id}, {"member", 3}}, "joined");
void write(Level level, std::string_view name, std::initializer_list<Field> fields,
           std::string_view message = {});
inline void debug(std::string_view name, std::initializer_list<Field> fields,
                  std::string_view message = {}) {
    write(Level::debug, name, fields, message);
}
inline void info(std::string_view name, std::initializer_list<Field> fields,
                 std::string_view message = {}) {
    write(Level::info, name, fields, message);
}
inline void warn(std::string_view name, std::initializer_list<Field> fields,
                 std::string_view message = {}) {
    write(Level::warn, name, fields, message);
}
inline void error(std::string_view name, std::initializer_list<Field> fields,
                  std::string_view message = {}) {
    write(Level::error, name, fields, message);
}

}  // namespace sidebar::log
