// DigitDeduplicator: match each sighting to the oldest recent press of the same digit that its
// route has not reported yet.
#include "common/dtmf/digit_dedup.hpp"

namespace sidebar::dtmf {

bool DigitDeduplicator::accept(char digit, DigitRoute route, int64_t now_us) {
    const auto bit = static_cast<uint8_t>(route);
    Press* match = nullptr;
    for (Press& p : presses_) {
        if (!p.valid) continue;
        if (now_us - p.at_us > window_us_ || now_us < p.at_us - window_us_) {
            p.valid = false;  // too old (or the clock went back): forget it
            continue;
        }
        if (p.digit == digit && (p.routes & bit) == 0 &&
            (match == nullptr || p.at_us < match->at_us)) {
            match = &p;
        }
    }
    if (match != nullptr) {
        match->routes |= bit;
        return false;
    }
    presses_[next_] = Press{digit, bit, now_us, true};
    next_ = (next_ + 1) % kKept;
    return true;
}

}  // namespace sidebar::dtmf
