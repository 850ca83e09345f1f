// Request-target parsing: path segments and query parameters.
#include "common/http/path.hpp"

namespace sidebar::http {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) {
                return make_error("truncated percent-encoding");
            }
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return make_error("bad percent-encoding");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

Result<std::vector<std::string>> split_path(std::string_view path) {
    if (path.empty() || path.front() != '/') return make_error("path must start with '/'");
    std::vector<std::string> segments;
    if (path.size() == 1) return segments;
    std::size_t start = 1;
    while (true) {
        const std::size_t slash = path.find('/', start);
        const std::string_view raw = path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (raw.empty()) return make_error("empty path segment");
        auto decoded = percent_decode(raw, false);
        if (!decoded) return decoded.error();
        if (*decoded == "." || *decoded == "..") return make_error("dot segment in path");
        if (decoded->find('\0') != std::string::npos) return make_error("NUL in path");
        segments.push_back(std::move(decoded).value());
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

Result<std::map<std::string, std::string>> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    std::size_t count = 0;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        if (++count > kMaxQueryParams) return make_error("too many query parameters");
        const std::size_t eq = pair.find('=');
        auto name = percent_decode(pair.substr(0, eq), true);
        auto value = percent_decode(
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!name || !value) return make_error("bad percent-encoding in query");
        out.emplace(std::move(name).value(), std::move(value).value());
    }
    return out;
}

}  // namespace sidebar::http
