// Serializes a SessionDescription to SDP text with CRLF line ends, lines in RFC 4566 order.
// For any description parse() returned, parse(write(x)) == x, with one exception: a body that
// came with bare LF line ends and was within a line count of kMaxSdpBytes can grow past that
// limit when written with CRLF.
#pragma once

#include <string>

#include "common/sdp/session_description.hpp"

namespace sidebar::sdp {

std::string write(const SessionDescription& session);

}  // namespace sidebar::sdp
