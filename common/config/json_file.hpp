// Loading configuration JSON from a file or a string, with errors an admin can act on: the file
// name, line:column of a syntax error, and a size limit so a wrong path (a log, a recording) is
// refused quickly.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/config/config_error.hpp"

namespace sidebar::config {

inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

// Parses `text`; `origin` names it in errors ("/etc/sidebar/mixer.json", "embedded default").
// Throws ConfigError "<origin>:<line>:<column>: JSON syntax error: <what>", also for a key that
// appears twice in one object (JSON allows it, but one of the two would be silently ignored).
nlohmann::json parse_json_text(std::string_view text, std::string_view origin);

// Reads and parses `path`. Throws ConfigError for a missing or unreadable file, a directory, a
// file over kMaxConfigBytes, and syntax errors as above.
nlohmann::json load_json_file(const std::string& path);

// 1-based line and column of byte offset `offset` (0-based) in `text`.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace sidebar::config
