// Fuzz target for SIP INFO DTMF bodies: the input is parsed as application/dtmf-relay and as
// application/dtmf; whatever parses is built again and must parse back to the same digit.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/dtmf/dtmf_relay.hpp"

using namespace sidebar::dtmf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    auto relay = parse_dtmf_relay(body);
    if (relay) {
        auto built = build_dtmf_relay(*relay);
        if (!built) __builtin_trap();
        auto again = parse_dtmf_relay(*built);
        if (!again || !(*again == *relay)) __builtin_trap();
    } else if (relay.message().empty()) {
        __builtin_trap();
    }
    auto plain = parse_dtmf(body);
    if (plain) {
        auto built = build_dtmf(plain->digit);
        if (!built) __builtin_trap();
        auto again = parse_dtmf(*built);
        if (!again || again->digit != plain->digit) __builtin_trap();
    }
    (void)parse_info_body(size > 0 && (data[0] & 1) ? "application/dtmf" : "application/dtmf-relay",
                          body);
    return 0;
}
