// The SDP parser's outer layer: whole-body checks (size, NUL, control characters, UTF-8), line
// splitting with its limits, line order (v= first; session lines before the first m=; only
// i/c/b/k/a inside a media section), and the checks that need the whole description (o=, s=,
// t= present; a c= for every active m= line). Field syntax lives in sdp_fields.cpp and
// sdp_attributes.cpp.
#include "common/sdp/sdp_parser.hpp"

#include <cstdio>
#include <string>

#include "common/sdp/sdp_fields.hpp"
#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp {

namespace {

using text::quoted;

Error at_line(std::size_t line, const std::string& message) {
    return make_error("sdp: line " + std::to_string(line) + ": " + message);
}

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3;
        if (b0 == 0xe0) lo = 0xa0;
        if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4;
        if (b0 == 0xf0) lo = 0x90;
        if (b0 == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
    }
    return len;
}

Status check_bytes(std::string_view text) {
    if (text.empty()) return make_error("sdp: the body is empty");
    if (text.size() > kMaxSdpBytes) {
        return make_error("sdp: the body is " + std::to_string(text.size()) +
                          " bytes, more than the " + std::to_string(kMaxSdpBytes) + " allowed");
    }
    std::size_t line = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') ++line;
        if (c == 0) {
            return at_line(line, "NUL byte at offset " + std::to_string(i));
        }
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", c);
            return at_line(
                line, std::string("control character ") + hex + " at offset " + std::to_string(i));
        }
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = utf8_sequence(text, i);
        if (len == 0) return at_line(line, "invalid UTF-8 at offset " + std::to_string(i));
        i += len;
    }
    return Ok{};
}

class Parser {
  public:
    Status line(std::size_t number, std::string_view text);
    Status finish() const;
    SessionDescription take() { return std::move(sd_); }

  private:
    Status session_line(char type, std::string_view value);
    Status media_line(char type, std::string_view value);

    SessionDescription sd_;
    bool seen_v_ = false;
    bool seen_o_ = false;
    bool seen_s_ = false;
};

Status once(bool already, char type) {
    if (already) return make_error(std::string(1, type) + "= appears twice");
    return Ok{};
}

Status Parser::line(std::size_t number, std::string_view text) {
    if (text.size() < 2 || text[1] != '=' || text[0] < 'a' || text[0] > 'z') {
        return at_line(number, quoted(text) + " is not <letter>=<value>");
    }
    const char type = text[0];
    const std::string_view value = text.substr(2);
    if (!seen_v_) {
        if (type != 'v') return at_line(number, "the first line must be v=, not " + quoted(text));
        if (value != "0") return at_line(number, "v=" + quoted(value) + " is not version 0");
        seen_v_ = true;
        return Ok{};
    }
    Status status = sd_.media.empty() ? session_line(type, value) : media_line(type, value);
    if (!status) return at_line(number, status.message());
    return status;
}

Status Parser::session_line(char type, std::string_view value) {
    switch (type) {
        case 'v':
            return once(true, type);
        case 'o': {
            if (auto s = once(seen_o_, type); !s) return s;
            auto origin = fields::parse_origin(value);
            if (!origin) return origin.error();
            sd_.origin = std::move(*origin);
            seen_o_ = true;
            return Ok{};
        }
        case 's':
            if (auto s = once(seen_s_, type); !s) return s;
            sd_.session_name = std::string(value);
            seen_s_ = true;
            return Ok{};
        case 'i':
            if (auto s = once(sd_.information.has_value(), type); !s) return s;
            sd_.information = std::string(value);
            return Ok{};
        case 'u':
            if (auto s = once(sd_.uri.has_value(), type); !s) return s;
            sd_.uri = std::string(value);
            return Ok{};
        case 'e':
            sd_.emails.emplace_back(value);
            return Ok{};
        case 'p':
            sd_.phones.emplace_back(value);
            return Ok{};
        case 'c': {
            if (auto s = once(sd_.connection.has_value(), type); !s) return s;
            auto connection = fields::parse_connection(value);
            if (!connection) return connection.error();
            sd_.connection = std::move(*connection);
            return Ok{};
        }
        case 'b': {
            auto bandwidth = fields::parse_bandwidth(value);
            if (!bandwidth) return bandwidth.error();
            sd_.bandwidths.push_back(std::move(*bandwidth));
            return Ok{};
        }
        case 't': {
            auto timing = fields::parse_timing(value);
            if (!timing) return timing.error();
            sd_.timings.push_back(std::move(*timing));
            return Ok{};
        }
        case 'r':
            if (sd_.timings.empty()) return make_error("r= comes before any t= line");
            sd_.timings.back().repeats.emplace_back(value);
            return Ok{};
        case 'z':
            if (auto s = once(sd_.time_zones.has_value(), type); !s) return s;
            sd_.time_zones = std::string(value);
            return Ok{};
        case 'k':
            if (auto s = once(sd_.encryption_key.has_value(), type); !s) return s;
            sd_.encryption_key = std::string(value);
            return Ok{};
        case 'a':
        case 'm':
            break;
        default:
            return make_error("unknown line type '" + std::string(1, type) + "='");
    }
    if (type == 'm') return media_line(type, value);
    const std::size_t colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    if (!text::is_token(name)) return make_error("attribute name " + quoted(name) + " is invalid");
    return fields::apply_session_attribute(
        sd_, name,
        colon == std::string_view::npos ? std::nullopt
                                        : std::optional<std::string_view>(value.substr(colon + 1)));
}

Status Parser::media_line(char type, std::string_view value) {
    if (type == 'm') {
        if (sd_.media.size() >= kMaxMediaSections) {
            return make_error("more than " + std::to_string(kMaxMediaSections) + " m= lines");
        }
        auto media = fields::parse_media_line(value);
        if (!media) return media.error();
        sd_.media.push_back(std::move(*media));
        return Ok{};
    }
    MediaDescription& m = sd_.media.back();
    switch (type) {
        case 'i':
            if (auto s = once(m.information.has_value(), type); !s) return s;
            m.information = std::string(value);
            return Ok{};
        case 'c': {
            if (auto s = once(m.connection.has_value(), type); !s) return s;
            auto connection = fields::parse_connection(value);
            if (!connection) return connection.error();
            m.connection = std::move(*connection);
            return Ok{};
        }
        case 'b': {
            auto bandwidth = fields::parse_bandwidth(value);
            if (!bandwidth) return bandwidth.error();
            m.bandwidths.push_back(std::move(*bandwidth));
            return Ok{};
        }
        case 'k':
            if (auto s = once(m.encryption_key.has_value(), type); !s) return s;
            m.encryption_key = std::string(value);
            return Ok{};
        case 'a':
            break;
        default:
            if (std::string_view("vosuepcbtrzk").find(type) != std::string_view::npos) {
                return make_error("'" + std::string(1, type) +
                                  "=' is not allowed after the first m= line");
            }
            return make_error("unknown line type '" + std::string(1, type) + "='");
    }
    const std::size_t colon = value.find(':');
    const std::string_view name = value.substr(0, colon);
    if (!text::is_token(name)) return make_error("attribute name " + quoted(name) + " is invalid");
    return fields::apply_media_attribute(
        m, name,
        colon == std::string_view::npos ? std::nullopt
                                        : std::optional<std::string_view>(value.substr(colon + 1)));
}

Status Parser::finish() const {
    if (!seen_v_) return make_error("sdp: there is no v= line");
    if (!seen_o_) return make_error("sdp: there is no o= line");
    if (!seen_s_) return make_error("sdp: there is no s= line");
    if (sd_.timings.empty()) return make_error("sdp: there is no t= line");
    for (std::size_t i = 0; i < sd_.media.size(); ++i) {
        const MediaDescription& m = sd_.media[i];
        if (m.port != 0 && !effective_connection(sd_, m)) {
            return make_error("sdp: m= line " + std::to_string(i + 1) + " (" + m.media + ", port " +
                              std::to_string(m.port) +
                              ") has no c= line at media or session level");
        }
    }
    return Ok{};
}

}  // namespace

Result<SessionDescription> parse(std::string_view text) {
    if (auto s = check_bytes(text); !s) return s.error();
    Parser parser;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t lf = text.find('\n');
        std::string_view raw = text.substr(0, lf);
        text = lf == std::string_view::npos ? std::string_view() : text.substr(lf + 1);
        if (++number > kMaxLines) {
            return make_error("sdp: more than " + std::to_string(kMaxLines) + " lines");
        }
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw.size() > kMaxLineLength) {
            return at_line(number, "the line is " + std::to_string(raw.size()) +
                                       " bytes long, more than the " +
                                       std::to_string(kMaxLineLength) + " allowed");
        }
        if (raw.find('\r') != std::string_view::npos) {
            return at_line(number, "a CR that does not end the line");
        }
        const std::string_view line = text::trim(raw);
        if (line.empty()) continue;
        if (line.size() != raw.size() && (raw.front() == ' ' || raw.front() == '\t')) {
            return at_line(number, quoted(raw) + " starts with white space");
        }
        if (auto s = parser.line(number, line); !s) return s.error();
    }
    if (auto s = parser.finish(); !s) return s.error();
    return parser.take();
}

}  // namespace sidebar::sdp
