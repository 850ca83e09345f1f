// Parses SDP text (RFC 4566) from a remote peer into a SessionDescription. Remote SDP is
// hostile input (DESIGN.md 5.5): the parser is bounded in everything it accepts and never
// throws; a refusal says which line and what was wrong ("sdp: line 7: m= port 70000 is out of
// range 0..65535").
#pragma once

#include <cstddef>
#include <string_view>

#include "common/sdp/session_description.hpp"
#include "common/util/result.hpp"

namespace sidebar::sdp {

// Limits on remote SDP. Real phones send 10-60 lines of under 200 bytes; WebRTC offers with
// many candidates reach a few hundred lines.
inline constexpr std::size_t kMaxSdpBytes = 64 * 1024;
inline constexpr std::size_t kMaxLines = 1000;
inline constexpr std::size_t kMaxLineLength = 2048;
inline constexpr std::size_t kMaxMediaSections = 32;
inline constexpr std::size_t kMaxFormats = 64;
inline constexpr int kMaxPortCount = 16;
inline constexpr int kMaxClockRate = 1'000'000;
inline constexpr int kMaxChannels = 64;
inline constexpr int kMaxPtimeMs = 1000;

// Accepts CRLF or bare LF line ends, blank lines and trailing spaces; requires v= first, one o=,
// one s=, at least one t=, and a c= (session or media level) for every m= line whose port is
// not 0. Unknown attributes are kept; unknown line types, NUL bytes, control characters and
// invalid UTF-8 are refused.
Result<SessionDescription> parse(std::string_view text);

}  // namespace sidebar::sdp
