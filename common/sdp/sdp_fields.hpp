// Parsers for the value of each SDP line type (the text after "x="), used by sdp_parser.cpp.
// Each returns an error message without the "sdp: line N:" prefix, which the caller adds.
// Internal to the sdp module.
#pragma once

#include <string_view>

#include "common/sdp/session_description.hpp"
#include "common/util/result.hpp"

namespace sidebar::sdp::fields {

Result<Origin> parse_origin(std::string_view value);
Result<Connection> parse_connection(std::string_view value);
Result<Bandwidth> parse_bandwidth(std::string_view value);
Result<Timing> parse_timing(std::string_view value);
// The m= line itself; the returned description has no attributes yet.
Result<MediaDescription> parse_media_line(std::string_view value);

// a=<name>[:<value>] applied to the session or to one m= section.
Status apply_session_attribute(SessionDescription& session, std::string_view name,
                               std::optional<std::string_view> value);
Status apply_media_attribute(MediaDescription& media, std::string_view name,
                             std::optional<std::string_view> value);

}  // namespace sidebar::sdp::fields
