// UTF-8 validation, control-character removal, truncation and escaping for roster documents.
#include "mixer/roster/xml_text.hpp"

#include <cstdint>

namespace sidebar::mixer {
namespace {

// Length of the well-formed UTF-8 sequence at in[i] and its code point, or 0 when malformed
// (overlong forms, surrogates, values above U+10FFFF and truncated sequences are all malformed).
std::size_t decode_utf8(std::string_view in, std::size_t i, uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(in[i]);
    std::size_t len = 0;
    uint32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (in.size() - i < len) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(in[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// XML 1.0 Char production, without the control characters we refuse to publish.
bool publishable(uint32_t cp) {
    if (cp == '\t' || cp == '\n') return true;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
    if (cp == 0xFFFE || cp == 0xFFFF) return false;
    return true;
}

}  // namespace

std::string clean_xml_text(std::string_view raw, std::size_t max_bytes) {
    std::string out;
    out.reserve(raw.size() < max_bytes ? raw.size() : max_bytes);
    std::size_t i = 0;
    while (i < raw.size()) {
        uint32_t cp = 0;
        const std::size_t len = decode_utf8(raw, i, cp);
        if (len == 0) {  // drop one byte of a malformed sequence and resynchronise
            ++i;
            continue;
        }
        if (publishable(cp)) {
            if (out.size() + len > max_bytes) break;
            out.append(raw.substr(i, len));
        }
        i += len;
    }
    return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\t':
                out += "&#9;";
                break;
            case '\n':
                out += "&#10;";
                break;
            default:
                out += c;
                break;
        }
    }
}

std::string xml_text(std::string_view raw, std::size_t max_bytes) {
    std::string out;
    append_xml_escaped(out, clean_xml_text(raw, max_bytes));
    return out;
}

}  // namespace sidebar::mixer
