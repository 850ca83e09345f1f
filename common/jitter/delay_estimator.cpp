// Sliding-window transit spread and the target delay derived from it.
#include "common/jitter/delay_estimator.hpp"

#include <algorithm>

namespace sidebar::jitter {

void SlidingExtremes::add(int64_t value) {
    const uint64_t index = next_index_++;
    for (Ring* ring : {&mins_, &maxs_}) {
        if (ring->size > 0 && ring->front().index + kWindow <= index) ring->pop_front();
    }
    while (mins_.size > 0 && mins_.back().value >= value)
        mins_.pop_back();
    mins_.push_back({index, value});
    while (maxs_.size > 0 && maxs_.back().value <= value)
        maxs_.pop_back();
    maxs_.push_back({index, value});
}

void SlidingExtremes::reset() {
    mins_.head = mins_.size = 0;
    maxs_.head = maxs_.size = 0;
    next_index_ = 0;
}

DelayEstimator::DelayEstimator(int64_t min_delay_us, int64_t max_delay_us)
    : min_delay_us_(min_delay_us), max_delay_us_(max_delay_us), target_us_(min_delay_us) {}

void DelayEstimator::update() {
    const int64_t required = std::clamp(spread_us() + kMarginUs, min_delay_us_, max_delay_us_);
    if (required >= target_us_) {
        target_us_ = required;
    } else {
        target_us_ = std::max(required, target_us_ - kDecayPerPullUs);
    }
}

}  // namespace sidebar::jitter
