// DigitDeduplicator: one key press can reach us by two routes at once (RFC 4733 and the in-band
// echo of the same tone, or SIP INFO and RFC 4733). A digit is reported once: a sighting of the
// same digit from a different route within the window is the same press. Sightings from the
// same route are always new presses ("55" is two fives).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sidebar::dtmf {

enum class DigitRoute : uint8_t { rfc4733 = 1, sip_info = 2, inband = 4 };

class DigitDeduplicator {
  public:
    // Routes differ in latency (SIP INFO goes through the proxy chain): the window covers that.
    explicit DigitDeduplicator(int64_t window_us = 500'000) : window_us_(window_us) {}

    // True when the digit should be reported; false when it is the press another route already
    // reported. `now_us` is the caller's monotonic clock.
    bool accept(char digit, DigitRoute route, int64_t now_us);

  private:
    struct Press {
        char digit = 0;
        uint8_t routes = 0;  // DigitRoute bits that reported it
        int64_t at_us = 0;
        bool valid = false;
    };
    static constexpr std::size_t kKept = 16;  // presses within one window: far more than a hand

    int64_t window_us_;
    std::array<Press, kKept> presses_{};
    std::size_t next_ = 0;
};

}  // namespace sidebar::dtmf
