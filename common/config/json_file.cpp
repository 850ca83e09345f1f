// Reading a configuration file within a size limit, and JSON errors with line:column.
#include "common/config/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

namespace sidebar::config {

namespace {

constexpr std::size_t kMaxDepth = 64;

using Json = nlohmann::json;

// One open object or array while parsing: what duplicate-key checks and error paths need.
struct Frame {
    bool is_array = false;
    std::size_t index = 0;
    std::string key;  // the member being read, for objects
    std::set<std::string> keys;
};

std::string frame_path(const std::vector<Frame>& stack) {
    std::string path;
    for (std::size_t i = 0; i + 1 < stack.size(); ++i) {
        const Frame& f = stack[i];
        if (f.is_array) {
            // Appended piecewise: "[" + std::string trips g++ 12's -Wrestrict false positive.
            path += '[';
            path += std::to_string(f.index);
            path += ']';
        } else {
            if (!path.empty()) path += '.';
            path += f.key;
        }
    }
    return path;
}

// Keeps an error message on one printable line: nlohmann quotes the offending input in it.
std::string printable(std::string_view text) {
    std::string out;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        out += (c < 0x20 || c == 0x7f) ? '?' : ch;
    }
    return out;
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 5: <why>".
std::string reason_of(const Json::exception& e) {
    const std::string_view what = e.what();
    std::size_t start = what.find("] ");
    start = start == std::string_view::npos ? 0 : start + 2;
    const std::size_t colon = what.find(": ", start);
    if (what.substr(start).starts_with("parse error") && colon != std::string_view::npos) {
        start = colon + 2;
    }
    return printable(what.substr(start));
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition pos;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            line_start = i + 1;
        }
    }
    pos.column = offset - line_start + 1;
    return pos;
}

Json parse_json_text(std::string_view text, std::string_view origin) {
    std::vector<Frame> stack;
    const std::string where(origin);
    // nlohmann stops at a NUL as if the input ended there, which would hide what follows it.
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        const TextPosition pos = position_of(text, nul);
        throw ConfigError(where + ":" + std::to_string(pos.line) + ":" +
                          std::to_string(pos.column) + ": JSON syntax error: NUL byte");
    }
    auto enter_value = [&stack] {
        if (!stack.empty() && stack.back().is_array) ++stack.back().index;
    };
    Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
        switch (event) {
            case Json::parse_event_t::object_start:
            case Json::parse_event_t::array_start:
                if (stack.size() >= kMaxDepth) {
                    throw ConfigError(where + ": JSON nested deeper than " +
                                      std::to_string(kMaxDepth) + " levels at " +
                                      (stack.size() > 1 ? frame_path(stack) : "the top"));
                }
                stack.push_back(Frame{event == Json::parse_event_t::array_start, 0, {}, {}});
                break;
            case Json::parse_event_t::key: {
                Frame& f = stack.back();
                f.key = parsed.get<std::string>();
                if (!f.keys.insert(f.key).second) {
                    stack.push_back(Frame{});
                    throw ConfigError(where + ": duplicate key " + printable(frame_path(stack)));
                }
                break;
            }
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                enter_value();
                break;
            case Json::parse_event_t::value:
                enter_value();
                break;
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), check);
    } catch (const Json::parse_error& e) {
        // e.byte is 1-based and points at the last character read.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        const TextPosition pos = position_of(text, offset);
        throw ConfigError(where + ":" + std::to_string(pos.line) + ":" +
                          std::to_string(pos.column) + ": JSON syntax error: " + reason_of(e));
    } catch (const Json::exception& e) {
        throw ConfigError(where + ": JSON error: " + reason_of(e));
    }
}

Json load_json_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        throw ConfigError(path + ": cannot open: " + std::strerror(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        throw ConfigError(path + ": cannot stat: " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) throw ConfigError(path + ": is a directory, not a JSON file");
    if (!S_ISREG(st.st_mode)) throw ConfigError(path + ": is not a regular file");
    if (static_cast<uint64_t>(st.st_size) > kMaxConfigBytes) {
        throw ConfigError(path + ": is " + std::to_string(st.st_size) + " bytes, more than the " +
                          std::to_string(kMaxConfigBytes) + "-byte limit for a configuration file");
    }
    std::string text(kMaxConfigBytes + 1, '\0');
    std::size_t used = 0;
    while (used < text.size()) {
        const ssize_t n = ::read(fd, text.data() + used, text.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw ConfigError(path + ": cannot read: " + std::strerror(errno));
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    if (used > kMaxConfigBytes) {  // it grew after fstat
        throw ConfigError(path + ": is more than the " + std::to_string(kMaxConfigBytes) +
                          "-byte limit for a configuration file");
    }
    text.resize(used);
    return parse_json_text(text, path);
}

}  // namespace sidebar::config
