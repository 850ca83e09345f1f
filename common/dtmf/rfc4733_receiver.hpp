// Rfc4733Receiver: turns a stream of telephone-event packets into digit presses and releases.
// An event is identified by its RTP timestamp (its start). The digit is reported once, on the
// first packet that shows it, for responsiveness; its release (with the total duration) when
// the end packet arrives. Retransmitted end packets and late updates are suppressed; a long
// press whose duration wraps past 65535, or that the sender splits into segments (RFC 4733
// 2.5.1.3), stays one digit; a press whose end packets are all lost is released by a timeout.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/dtmf/rfc4733.hpp"
#include "common/util/result.hpp"

namespace sidebar::dtmf {

struct DigitEvent {
    enum class Type { pressed, released };

    Type type = Type::pressed;
    char digit = 0;
    uint32_t timestamp = 0;    // RTP timestamp of the event's start
    uint64_t duration = 0;     // released: RTP units, across wraps and segments
    uint32_t duration_ms = 0;  // released: the same in milliseconds
    bool timed_out = false;    // released because no end packet came in time

    bool operator==(const DigitEvent&) const = default;
};

struct ReceiverStats {
    uint64_t packets = 0;
    uint64_t malformed = 0;       // payloads that did not parse
    uint64_t unknown_events = 0;  // blocks with codes outside 0..16
    uint64_t redundant = 0;       // repeats of a finished event (end retransmissions, late updates)
    uint64_t stale = 0;           // blocks of an event older than the current one, never seen
    uint64_t timeouts = 0;        // digits released by the timeout
};

class Rfc4733Receiver {
  public:
    // clock_rate: the telephone-event RTP clock (8000 unless the SDP said otherwise; values
    // outside 1000..96000 fall back to 8000). end_timeout_us: silence after which an unfinished
    // digit is released.
    explicit Rfc4733Receiver(int clock_rate = 8000, int64_t end_timeout_us = 500'000);

    // One telephone-event RTP packet; the digit events it causes are appended to `out`. A payload
    // that does not parse is counted and refused with the reason; the receiver's state is kept.
    Status on_packet(uint16_t seq, uint32_t timestamp, bool marker,
                     std::span<const uint8_t> payload, int64_t now_us,
                     std::vector<DigitEvent>& out);

    // Releases an unfinished digit once nothing has come for the timeout. Call it from the
    // media clock (every 20 ms is plenty).
    void poll(int64_t now_us, std::vector<DigitEvent>& out);

    // A new RTP stream (SSRC change): releases an unfinished digit and forgets the old events.
    void reset(std::vector<DigitEvent>& out);

    bool in_event() const { return current_.active && !current_.ended; }
    const ReceiverStats& stats() const { return stats_; }

  private:
    struct Current {
        bool active = false;
        bool ended = false;
        uint8_t event = 0;
        uint32_t start_ts = 0;    // first segment's timestamp: the event's identity for callers
        uint32_t segment_ts = 0;  // the current segment's timestamp
        uint16_t last_duration = 0;
        uint64_t earlier = 0;  // RTP units of earlier segments and duration wraps
        int64_t last_packet_us = 0;
    };
    struct Finished {
        bool valid = false;
        uint8_t event = 0;
        uint32_t segment_ts = 0;
    };
    static constexpr std::size_t kFinishedKept = 8;

    void on_block(uint32_t start, const TelephoneEvent& block, int64_t now_us,
                  std::vector<DigitEvent>& out);
    void update_duration(uint16_t duration);
    bool continues_segment(uint32_t start, const TelephoneEvent& block) const;
    bool was_finished(uint32_t start, uint8_t event) const;
    void begin(uint32_t start, const TelephoneEvent& block, int64_t now_us,
               std::vector<DigitEvent>& out);
    void finish(bool timed_out, std::vector<DigitEvent>& out);

    int clock_rate_;
    int64_t end_timeout_us_;
    Current current_;
    std::array<Finished, kFinishedKept> finished_{};
    std::size_t finished_next_ = 0;
    ReceiverStats stats_;
};

}  // namespace sidebar::dtmf
