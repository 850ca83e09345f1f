// Escaping and column layout of log lines.
#include "common/log/format.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace sidebar::log {

namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char byte) {
    out += "\\x";
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
}

bool is_bare_safe(unsigned char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\';
}

// Length of the valid UTF-8 sequence that starts at s[i] (2..4), or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2, min = 0x80, cp = b0 & 0x1fu;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3, min = 0x800, cp = b0 & 0x0fu;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4, min = 0x10000, cp = b0 & 0x07u;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    // C1 controls and the Unicode line/paragraph separators would let a value look like a line
    // break in some viewers: escape them byte by byte.
    if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029) return 0;
    return len;
}

// Where to cut `value` at or before kMaxValueBytes without splitting a UTF-8 sequence.
std::size_t cut_point(std::string_view value) {
    std::size_t cut = kMaxValueBytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80 &&
           cut > kMaxValueBytes - 3) {
        --cut;
    }
    return cut;
}

void append_escaped(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t len = utf8_sequence_length(s, i);
            if (len == 0) {
                append_hex_byte(out, c);
                ++i;
            } else {
                out.append(s.substr(i, len));
                i += len;
            }
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    append_hex_byte(out, c);
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
}

}  // namespace

std::string_view to_string(Level level) {
    switch (level) {
        case Level::debug:
            return "DEBUG";
        case Level::info:
            return "INFO";
        case Level::warn:
            return "WARN";
        case Level::error:
            return "ERROR";
    }
    return "?";
}

void append_value(std::string& out, std::string_view value, bool always_quote) {
    const bool truncated = value.size() > kMaxValueBytes;
    const std::string_view shown = truncated ? value.substr(0, cut_point(value)) : value;
    bool bare = !always_quote && !truncated && !shown.empty();
    for (std::size_t i = 0; bare && i < shown.size(); ++i) {
        bare = is_bare_safe(static_cast<unsigned char>(shown[i]));
    }
    if (bare) {
        out.append(shown);
        return;
    }
    out += '"';
    append_escaped(out, shown);
    if (truncated) {
        out += "...(truncated, ";
        out += std::to_string(value.size());
        out += " bytes)";
    }
    out += '"';
}

void append_key(std::string& out, std::string_view key) {
    if (key.empty()) {
        out += '_';
        return;
    }
    for (const char ch : key.substr(0, 64)) {
        const auto c = static_cast<unsigned char>(ch);
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        out += ok ? ch : '_';
    }
}

void append_timestamp(std::string& out, std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms_total = duration_cast<milliseconds>(time.time_since_epoch()).count();
    auto secs = static_cast<std::time_t>(ms_total / 1000);
    auto ms = static_cast<int>(ms_total % 1000);
    if (ms < 0) {
        ms += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::array<char, 40> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                                tm.tm_sec, ms);
    if (n > 0) out.append(buf.data(), std::min<std::size_t>(std::size_t(n), buf.size() - 1));
}

void append_prefix(std::string& out, std::chrono::system_clock::time_point time, Level level,
                   std::string_view service) {
    append_timestamp(out, time);
    out += ' ';
    const std::string_view name = to_string(level);
    out.append(name);
    out.append(6 - name.size(), ' ');
    // The service name is set by our own main(), but keep it to one safe token anyway.
    const std::size_t before = out.size();
    append_key(out, service.empty() ? std::string_view("-") : service);
    const std::size_t width = out.size() - before;
    out.append(width < 6 ? 7 - width : 2, ' ');
}

}  // namespace sidebar::log
