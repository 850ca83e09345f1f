// Sequence number and timestamp unwrapping.
#include "common/rtp/sequence.hpp"

namespace sidebar::rtp {

namespace {

// Moves `last` by the signed modular distance from its low bits to `value`. A distance of
// exactly half the range is taken as forward, so a stream that advances by that much still
// advances.
template <typename Unsigned>
int64_t advance(int64_t last, Unsigned value) {
    const auto low = static_cast<Unsigned>(last);
    const auto forward = static_cast<Unsigned>(value - low);
    constexpr Unsigned half = Unsigned(1) << (sizeof(Unsigned) * 8 - 1);
    if (forward <= half) return last + int64_t{forward};
    return last - int64_t{static_cast<Unsigned>(low - value)};
}

}  // namespace

int64_t SequenceUnwrapper::unwrap(uint16_t sequence) {
    last_ = last_ ? advance<uint16_t>(*last_, sequence) : int64_t{sequence};
    return *last_;
}

int64_t TimestampUnwrapper::unwrap(uint32_t timestamp) {
    last_ = last_ ? advance<uint32_t>(*last_, timestamp) : int64_t{timestamp};
    return *last_;
}

}  // namespace sidebar::rtp
