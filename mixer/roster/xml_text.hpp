// Text from callers (display names, URIs, subjects) made safe for an XML document: valid UTF-8,
// no control characters, bounded length, and escaped. A hostile From header must not be able to
// break or inflate the conference-info document every subscriber parses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sidebar::mixer {

// Longest text (in bytes, before escaping) any single value may take in the document.
inline constexpr std::size_t kMaxXmlTextBytes = 256;

// Keeps only well-formed UTF-8 characters that XML 1.0 allows, minus the C0/C1 control characters
// other than tab and newline; cuts at a character boundary so the result has at most max_bytes.
std::string clean_xml_text(std::string_view raw, std::size_t max_bytes = kMaxXmlTextBytes);

// Appends text escaped for both character data and attribute values (& < > " ' and tab/newline as
// character references, so attribute-value normalization cannot change them).
void append_xml_escaped(std::string& out, std::string_view text);

// clean_xml_text then append_xml_escaped, returned as a new string.
std::string xml_text(std::string_view raw, std::size_t max_bytes = kMaxXmlTextBytes);

}  // namespace sidebar::mixer
