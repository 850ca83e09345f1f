// Text of one log line: the timestamp, the level and service columns, and key=value fields whose
// values are quoted and escaped so that nothing a remote peer sends (a SIP header value, a display
// name) can end the line early or forge a second one.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace sidebar::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// "DEBUG", "INFO", "WARN", "ERROR".
std::string_view to_string(Level level);

// Longest value (in input bytes) written whole; longer ones are cut with a marker.
inline constexpr std::size_t kMaxValueBytes = 1024;

// Appends `value` as it appears after "key=": bare when it is printable ASCII with no space,
// quote, '=' or backslash; otherwise in double quotes, with \" \\ \n \r \t and \xNN for other
// control bytes, C1 controls, U+2028/U+2029 and bytes that are not valid UTF-8. Values longer
// than kMaxValueBytes are cut and end in "...(truncated, N bytes)".
void append_value(std::string& out, std::string_view value, bool always_quote = false);

// Appends `key`, keeping only [A-Za-z0-9._-] (anything else becomes '_'): keys come from our
// code, but a key built from input must not break the format either.
void append_key(std::string& out, std::string_view key);

// "2026-11-25T04:10:00.123Z" (UTC, milliseconds).
void append_timestamp(std::string& out, std::chrono::system_clock::time_point time);

// "2026-11-25T04:10:00.123Z INFO  mixer  " : the columns before the event.
void append_prefix(std::string& out, std::chrono::system_clock::time_point time, Level level,
                   std::string_view service);

}  // namespace sidebar::log
