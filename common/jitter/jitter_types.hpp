// Value types the jitter buffer takes in and hands out: the received packet, the buffer's
// configuration, its counters, and the playout decision for one 20 ms pull.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sidebar::jitter {

// One received RTP packet of the stream, as the RTP layer parsed it. The payload is copied in
// by put(); the caller's buffer can be reused at once.
struct IncomingPacket {
    uint32_t ssrc = 0;
    uint16_t seq = 0;
    uint32_t timestamp = 0;
    bool marker = false;
    std::span<const uint8_t> payload;
    // Arrival time on the caller's monotonic clock (steady_clock in microseconds), the same
    // clock get() is given.
    int64_t arrival_us = 0;
    // Audio length in RTP timestamp units when the caller knows it; 0 lets the buffer infer it
    // from the next packet's timestamp (and the playout correct it from the decoder).
    uint32_t duration = 0;
};

struct JitterConfig {
    int clock_rate = 8000;  // RTP clock of the payload: 8000 for G.711/G.722, 48000 for Opus
    int min_delay_ms = 40;
    int max_delay_ms = 200;
    std::size_t capacity = 64;  // packets held at most; bounds memory against floods
    // Largest payload accepted (1..1500). Every slot reserves this much, so a stream whose codec
    // never sends more (G.711: 480 bytes for 60 ms) can hold far less memory.
    std::size_t max_payload_bytes = 1500;
};

// What put() did with a packet.
enum class PutOutcome {
    accepted,
    duplicate,  // the same sequence number is already held or was recently received
    late,       // arrived after its play time had passed
    overflow,   // buffer full and the packet was the oldest: dropped
    invalid,    // empty or oversized payload
};

struct JitterStats {
    uint64_t received = 0;     // packets given to put()
    uint64_t played = 0;       // payload units handed out for decoding
    uint64_t lost = 0;         // units concealed because their packet never came in time
    uint64_t underruns = 0;    // pulls (or parts) concealed because nothing was buffered
    uint64_t late = 0;         // packets dropped: arrived after their play time
    uint64_t duplicates = 0;   // packets dropped: sequence number already seen
    uint64_t overflow = 0;     // packets dropped because the buffer was full
    uint64_t invalid = 0;      // packets dropped: empty or oversized payload
    uint64_t skipped = 0;      // packets dropped to shorten the delay (fast sender, above max)
    uint64_t inserted = 0;     // concealed pulls inserted to lengthen the delay
    uint64_t resyncs = 0;      // stream restarts: SSRC change or a sequence/timestamp jump
    int current_delay_ms = 0;  // how long the audio now playing waited beyond the fastest path
    int target_delay_ms = 0;
    std::size_t buffered_packets = 0;
};

enum class UnitKind {
    payload,  // decode `payload`
    lost,     // the stream has a hole here: conceal, or recover from `fec_source`
    filler,   // nothing to play yet (underrun, inserted delay, waiting for a talkspurt): conceal
};

struct PlayoutUnit {
    UnitKind kind = UnitKind::filler;
    uint16_t seq = 0;        // payload units
    uint32_t timestamp = 0;  // RTP timestamp where the unit starts (payload and lost units)
    uint32_t duration = 0;   // RTP timestamp units
    std::span<const uint8_t> payload;
    // For a lost unit: the payload of the packet right after the hole, when held, so a codec
    // with in-band FEC (Opus) can rebuild the lost audio from it.
    std::span<const uint8_t> fec_source;
};

// The decision for one 20 ms pull. Payload spans stay valid until the next get().
struct PlayoutFrame {
    static constexpr std::size_t kMaxUnits = 8;  // 20 ms of 2.5 ms packets

    bool started = false;  // false while buffering at call start: play silence
    std::array<PlayoutUnit, kMaxUnits> unit_storage{};
    std::size_t unit_count = 0;

    // Empty while started means the audio of an earlier, longer payload still covers the pull.
    std::span<const PlayoutUnit> units() const { return {unit_storage.data(), unit_count}; }
};

}  // namespace sidebar::jitter
