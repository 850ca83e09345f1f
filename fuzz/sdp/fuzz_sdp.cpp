// libFuzzer entry for the SDP parser, writer and offer/answer: whatever parses must write back
// to text that parses to the same description, and negotiating it (as an offer, and as an
// answer to itself) must not crash; a negotiated answer must be valid SDP that the offer's side
// accepts with the same codec.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/sdp/offer_answer.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_writer.hpp"

using namespace sidebar::sdp;

namespace {

Capabilities dual_stack() {
    Capabilities caps;
    caps.ipv6_address = "2001:db8::10";
    return caps;
}

Capabilities narrow_v6_mux() {
    Capabilities caps;
    caps.codecs = {sidebar::codec::Kind::pcma, sidebar::codec::Kind::pcmu};
    caps.ipv4_address.clear();
    caps.ipv6_address = "::1";
    caps.rtcp_mux = true;
    caps.telephone_event = false;
    caps.direction = Direction::recvonly;
    return caps;
}

void check_answer(const SessionDescription& offer, const Capabilities& caps) {
    const auto n = negotiate_answer(offer, caps, 2);
    if (!n.ok()) {
        if (n.warning_code() == 0 || n.reason().empty()) __builtin_trap();
        for (char c : n.reason()) {
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') __builtin_trap();
        }
        return;
    }
    const std::string text = write(n->answer);
    const auto reparsed = parse(text);
    if (!reparsed.ok() || !(*reparsed == n->answer)) __builtin_trap();
    if (n->answer.media.size() != offer.media.size()) __builtin_trap();
    // The offerer's side accepts our answer and agrees on the codec.
    const auto back = process_answer(offer, n->answer);
    if (!back.ok()) __builtin_trap();
    if (back->codec.kind != n->codec.kind || back->codec.payload_type != n->codec.payload_type ||
        back->media_index != n->media_index ||
        back->telephone_event.has_value() != n->telephone_event.has_value()) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto first = parse(input);
    if (!first.ok()) {
        if (first.message().rfind("sdp: ", 0) != 0) __builtin_trap();
        return 0;
    }
    const std::string text = write(*first);
    const auto second = parse(text);
    if (!second.ok()) {
        // The one legitimate difference: CRLF where the input had LF can push a body that was
        // just under the size limit over it.
        if (text.size() <= kMaxSdpBytes) __builtin_trap();
        return 0;
    }
    if (!(*second == *first)) __builtin_trap();
    if (write(*second) != text) __builtin_trap();

    static const Capabilities kDefault{};
    static const Capabilities kDualStack = dual_stack();
    static const Capabilities kNarrow = narrow_v6_mux();
    check_answer(*first, kDefault);
    check_answer(*first, kDualStack);
    check_answer(*first, kNarrow);
    // Hostile input as an answer to itself: any result, no crash.
    (void)process_answer(*first, *first);
    return 0;
}
