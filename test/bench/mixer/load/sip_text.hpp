// Just enough SIP text handling for the load generator: build the few requests it sends and
// read the few fields it needs from what the mixer answers. Everything read is bounded and a
// malformed message yields nullopt, never a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sidebar::loadgen {

struct SipMessage {
    bool is_request = false;
    std::string method;  // requests
    int status = 0;      // responses
    std::string call_id;
    uint32_t cseq = 0;
    std::string cseq_method;
    std::string to_tag;
    std::string contact_uri;  // from Contact, without <> and parameters
    std::string head;         // the whole header block, for echoing Via/From/To/CSeq
    std::string body;
};

// Parses one datagram; nullopt when it is not a SIP message we can read.
std::optional<SipMessage> parse_sip(std::string_view datagram);

// The value of the first header named `name` (or its compact form), trimmed.
std::optional<std::string_view> header_value(std::string_view head, std::string_view name,
                                             std::string_view compact);

// The port of the first m=audio line of an SDP body; nullopt when absent or not a number.
std::optional<uint16_t> sdp_audio_port(std::string_view body);

// A 200 OK answering `request` (echoes Via, From, To, Call-ID, CSeq; no body).
std::string ok_response(const SipMessage& request);

}  // namespace sidebar::loadgen
