// Rfc4733Sender: the telephone-event packets for one digit at a time (RFC 4733 2.5.1): a first
// packet with the marker bit, an update every packet interval with the growing duration, and
// the end packet sent three times so one loss does not cut the digit short. All packets of the
// event carry the event's start timestamp. The caller puts them into RTP.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/dtmf/rfc4733.hpp"
#include "common/util/result.hpp"

namespace sidebar::dtmf {

struct SenderOptions {
    int clock_rate = 8000;  // telephone-event/8000
    int interval_ms = 50;   // one packet per interval: the caller calls next() that often
    uint8_t volume = 10;    // -dBm0, 0..63
    int end_repeats = 3;
};

struct EventPacket {
    uint16_t seq = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    bool end = false;
    std::array<uint8_t, kEventBlockSize> payload{};
};

class Rfc4733Sender {
  public:
    // Refuses options out of range with the reason. `first_seq` is the next RTP sequence number
    // of the stream the events go into.
    static Result<Rfc4733Sender> create(const SenderOptions& options, uint16_t first_seq);

    // Starts a digit at RTP timestamp `timestamp`, lasting `duration_ms` (40..8000). Refused
    // while another digit is being sent, or for a character that is not a DTMF digit.
    Status start(char digit, uint32_t timestamp, int duration_ms);

    // The packet to send now; nullopt when no digit is being sent. Call once per interval.
    std::optional<EventPacket> next();

    bool active() const { return active_; }
    uint16_t next_seq() const { return seq_; }
    // Keeps the sender in step with audio packets sent on the same RTP stream.
    void set_next_seq(uint16_t seq) { seq_ = seq; }

  private:
    explicit Rfc4733Sender(const SenderOptions& options, uint16_t first_seq)
        : options_(options), seq_(first_seq) {}

    SenderOptions options_;
    uint16_t seq_;
    bool active_ = false;
    uint8_t event_ = 0;
    uint32_t timestamp_ = 0;
    uint32_t total_ = 0;    // RTP units
    uint32_t elapsed_ = 0;  // RTP units reported so far
    int packets_sent_ = 0;
    int ends_sent_ = 0;
};

}  // namespace sidebar::dtmf
