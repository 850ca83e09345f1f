// Fuzz target for sidebar::log's escaping: whatever bytes a peer sends, the logged value is one
// printable token (no byte below 0x20, no DEL, no newline) and a bare value has no separator.
// Also exercises the endpoint and duration parsers of config, which take admin text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/config/values.hpp"
#include "common/log/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string out;
    sidebar::log::append_value(out, text);
    for (const char ch : out) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) __builtin_trap();
    }
    const bool quoted = !out.empty() && out.front() == '"';
    if (quoted && (out.size() < 2 || out.back() != '"')) __builtin_trap();
    if (!quoted && (out.find_first_of(" =\"\\") != std::string::npos || out.empty())) {
        __builtin_trap();
    }
    if (out.size() > 4 * sidebar::log::kMaxValueBytes + 64) __builtin_trap();
    std::string key;
    sidebar::log::append_key(key, text);
    if (key.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
        std::string::npos) {
        __builtin_trap();
    }

    if (auto ep = sidebar::config::parse_endpoint(text, true)) {
        auto again = sidebar::config::parse_endpoint(ep->to_string(), true);
        if (!again || !(*again == *ep)) __builtin_trap();
    }
    (void)sidebar::config::parse_duration(text);
    (void)sidebar::config::is_ip_address(text);
    return 0;
}
