// FrameQueue producers: claim a position with a CAS, copy the frame, publish it.
#include "mixer/recording/frame_queue.hpp"

#include <algorithm>

namespace sidebar::mixer {

FrameQueue::FrameQueue(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 2)), cells_(std::make_unique<Cell[]>(capacity_)) {
    for (std::size_t i = 0; i < capacity_; ++i) {
        cells_[i].seq.store(i, std::memory_order_relaxed);
    }
}

bool FrameQueue::try_push(uint64_t id, std::span<const int16_t, kRecordingFrameSamples> frame) {
    uint64_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
        Cell& cell = cells_[pos % capacity_];
        const uint64_t seq = cell.seq.load(std::memory_order_acquire);
        if (seq == pos) {
            // Free for this position: claim it (another producer may win; then retry).
            if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
                cell.id = id;
                std::copy(frame.begin(), frame.end(), cell.samples);
                cell.seq.store(pos + 1, std::memory_order_release);
                return true;
            }
        } else if (seq < pos) {
            return false;  // the cell still holds the frame from one lap ago: full
        } else {
            pos = head_.load(std::memory_order_relaxed);  // another producer moved on
        }
    }
}

}  // namespace sidebar::mixer
