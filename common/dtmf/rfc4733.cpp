// RFC 4733 section 2.3 event blocks, parsed and built byte by byte.
#include "common/dtmf/rfc4733.hpp"

#include <algorithm>
#include <string>

namespace sidebar::dtmf {

Result<TelephoneEvents> parse_telephone_events(std::span<const uint8_t> payload) {
    if (payload.empty()) return make_error("rfc4733: empty telephone-event payload");
    if (payload.size() % kEventBlockSize != 0) {
        return make_error("rfc4733: payload of " + std::to_string(payload.size()) +
                          " bytes is not a whole number of 4-byte event blocks");
    }
    const std::size_t count = payload.size() / kEventBlockSize;
    if (count > TelephoneEvents::kMaxEvents) {
        return make_error("rfc4733: " + std::to_string(count) + " event blocks, more than " +
                          std::to_string(TelephoneEvents::kMaxEvents));
    }
    TelephoneEvents out;
    for (std::size_t i = 0; i < count; ++i) {
        const auto block = payload.subspan(i * kEventBlockSize, kEventBlockSize);
        TelephoneEvent& e = out.events[i];
        e.event = block[0];
        e.end = (block[1] & 0x80) != 0;
        e.reserved = (block[1] & 0x40) != 0;
        e.volume = block[1] & 0x3F;
        e.duration = static_cast<uint16_t>(block[2] << 8 | block[3]);
    }
    out.count = count;
    return out;
}

std::array<uint8_t, kEventBlockSize> build_telephone_event(const TelephoneEvent& event) {
    return {event.event,
            static_cast<uint8_t>((event.end ? 0x80 : 0) | (event.reserved ? 0x40 : 0) |
                                 (event.volume & 0x3F)),
            static_cast<uint8_t>(event.duration >> 8), static_cast<uint8_t>(event.duration)};
}

Result<std::size_t> build_telephone_events(std::span<const TelephoneEvent> events,
                                           std::span<uint8_t> out) {
    if (events.empty()) return make_error("rfc4733: no events to build");
    if (events.size() > TelephoneEvents::kMaxEvents) {
        return make_error("rfc4733: " + std::to_string(events.size()) + " events, more than " +
                          std::to_string(TelephoneEvents::kMaxEvents));
    }
    const std::size_t size = events.size() * kEventBlockSize;
    if (out.size() < size) {
        return make_error("rfc4733: " + std::to_string(events.size()) + " events need " +
                          std::to_string(size) + " bytes, buffer has " +
                          std::to_string(out.size()));
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].volume > kMaxVolume) {
            return make_error("rfc4733: volume " + std::to_string(events[i].volume) +
                              " is above 63");
        }
        const auto block = build_telephone_event(events[i]);
        std::copy(block.begin(), block.end(), out.begin() + static_cast<long>(i * kEventBlockSize));
    }
    return size;
}

}  // namespace sidebar::dtmf
