// Fuzz target for RFC 4733: the input is parsed as one telephone-event payload (and rebuilt,
// which must give the same bytes), then read as a sequence of event packets for a receiver:
//   per packet: 1 header byte (low 4 bits: payload length, bit 4: marker, top 3 bits: 20 ms
//   steps of time), 2 bytes of timestamp (big-endian, times 8 from a base), then the payload.
// The receiver's output must stay consistent: every release follows a press of its digit.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/dtmf/rfc4733.hpp"
#include "common/dtmf/rfc4733_receiver.hpp"

using namespace sidebar::dtmf;

namespace {

void round_trip(std::span<const uint8_t> input) {
    auto parsed = parse_telephone_events(input);
    if (!parsed) {
        if (parsed.message().empty()) __builtin_trap();
        return;
    }
    std::vector<uint8_t> rebuilt(input.size());
    auto built = build_telephone_events(parsed->view(), rebuilt);
    if (!built || *built != input.size()) __builtin_trap();
    for (std::size_t i = 0; i < input.size(); ++i)
        if (rebuilt[i] != input[i]) __builtin_trap();
}

void receive(std::span<const uint8_t> input) {
    Rfc4733Receiver receiver;
    std::vector<DigitEvent> events;
    int64_t now = 0;
    uint16_t seq = 0;
    std::size_t off = 0;
    while (off + 3 <= input.size()) {
        const uint8_t header = input[off];
        const std::size_t len = header & 0x0F;
        const bool marker = (header & 0x10) != 0;
        now += int64_t(header >> 5) * 20'000;
        const uint32_t ts = 1000 + 8 * (uint32_t(input[off + 1]) << 8 | input[off + 2]);
        off += 3;
        const std::size_t n = std::min(len, input.size() - off);
        (void)receiver.on_packet(seq++, ts, marker, input.subspan(off, n), now, events);
        off += n;
    }
    receiver.poll(now + 10'000'000, events);
    char pressed = 0;
    bool open = false;
    for (const DigitEvent& e : events) {
        if (e.type == DigitEvent::Type::pressed) {
            if (open) __builtin_trap();  // a press while another is unreleased
            pressed = e.digit;
            open = true;
        } else {
            if (!open || e.digit != pressed) __builtin_trap();
            open = false;
        }
    }
    if (open || receiver.in_event()) __builtin_trap();  // the final poll releases everything
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> input(data, size);
    round_trip(input);
    receive(input);
    return 0;
}
