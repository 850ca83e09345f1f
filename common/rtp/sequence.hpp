// Unwrapping of RTP's 16-bit sequence numbers and 32-bit timestamps into 64-bit counters that
// keep increasing across wraps, for the jitter buffer and for anything that orders packets.
#pragma once

#include <cstdint>
#include <optional>

namespace sidebar::rtp {

// Each value is placed at the one of its wrap-around aliases nearest the previous value, so a
// packet reordered across the 65535 -> 0 wrap still lands before its successors. The first
// value unwraps to itself; one older than the first by up to half the range unwraps below it
// (negative when before 0), which is why the result is signed.
class SequenceUnwrapper {
  public:
    int64_t unwrap(uint16_t sequence);
    // The previous unwrap() result, without unwrapping anything.
    std::optional<int64_t> last() const { return last_; }
    void reset() { last_.reset(); }

  private:
    std::optional<int64_t> last_;
};

// The same for 32-bit RTP timestamps.
class TimestampUnwrapper {
  public:
    int64_t unwrap(uint32_t timestamp);
    std::optional<int64_t> last() const { return last_; }
    void reset() { last_.reset(); }

  private:
    std::optional<int64_t> last_;
};

}  // namespace sidebar::rtp
