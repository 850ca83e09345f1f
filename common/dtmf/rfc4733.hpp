// The RFC 4733 telephone-event payload (section 2.3): one or more 4-byte event blocks of event
// code, end bit, reserved bit, volume and duration. Parsing is bounds-checked and never throws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/util/result.hpp"

namespace sidebar::dtmf {

struct TelephoneEvent {
    uint8_t event = 0;      // 0-15 DTMF, 16 flash, others: tones this product does not know
    bool end = false;       // E bit: the last packets of the event
    bool reserved = false;  // R bit: senders set 0, receivers ignore it; kept for round trips
    uint8_t volume = 0;     // 0..63, the power level in -dBm0
    uint16_t duration = 0;  // RTP timestamp units since the event (segment) started

    bool operator==(const TelephoneEvent&) const = default;
};

// All the event blocks of one payload. RFC 4733 2.5.1.5 lets a packet carry several events, all
// but the last completed; more than a handful is no real sender's.
struct TelephoneEvents {
    static constexpr std::size_t kMaxEvents = 16;

    std::array<TelephoneEvent, kMaxEvents> events{};
    std::size_t count = 0;

    std::span<const TelephoneEvent> view() const { return {events.data(), count}; }
};

inline constexpr std::size_t kEventBlockSize = 4;
inline constexpr uint8_t kMaxVolume = 63;

Result<TelephoneEvents> parse_telephone_events(std::span<const uint8_t> payload);

// Writes the blocks to `out`; returns the bytes written. Fails on a volume above 63, no events,
// more than kMaxEvents, or an `out` too small.
Result<std::size_t> build_telephone_events(std::span<const TelephoneEvent> events,
                                           std::span<uint8_t> out);

// One block, for the common single-event packet. The volume must be 0..63.
std::array<uint8_t, kEventBlockSize> build_telephone_event(const TelephoneEvent& event);

}  // namespace sidebar::dtmf
