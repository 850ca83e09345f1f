// FrameQueue: the bounded hand-off from media threads to the recording writer thread. Several
// media threads push (one per room) and one writer pops; every cell is allocated up front, so a
// push is a copy of 640 bytes and two atomic operations: it never blocks and never allocates.
// (Vyukov's bounded MPMC array queue, used with a single consumer.)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "mixer/recording/recording_types.hpp"

namespace sidebar::mixer {

class FrameQueue {
  public:
    // Holds `capacity` frames, at least two: with one cell, "full for this lap" (position + 1) and
    // "free for the next lap" (position + capacity) would be the same sequence number.
    explicit FrameQueue(std::size_t capacity);
    FrameQueue(const FrameQueue&) = delete;
    FrameQueue& operator=(const FrameQueue&) = delete;

    // Any thread. False when the queue is full (the frame is not queued).
    bool try_push(uint64_t id, std::span<const int16_t, kRecordingFrameSamples> frame);

    // The writer thread only. Calls `consume(id, frame)` on the oldest frame and frees its cell;
    // false when no frame is ready (empty, or the oldest claimed cell is still being filled).
    template <typename F>
    bool try_pop(F&& consume) {
        Cell& cell = cells_[tail_ % capacity_];
        if (cell.seq.load(std::memory_order_acquire) != tail_ + 1) return false;
        consume(cell.id, std::span<const int16_t, kRecordingFrameSamples>(cell.samples));
        cell.seq.store(tail_ + capacity_, std::memory_order_release);
        ++tail_;
        return true;
    }

    std::size_t capacity() const { return capacity_; }
    // Positions claimed by producers so far (any thread), and consumed (the writer thread only).
    uint64_t claimed() const { return head_.load(std::memory_order_acquire); }
    uint64_t consumed() const { return tail_; }

  private:
    struct alignas(64) Cell {
        // == position: free for the producer of that position; == position + 1: holds its frame.
        std::atomic<uint64_t> seq{0};
        uint64_t id = 0;
        int16_t samples[kRecordingFrameSamples] = {};
    };

    std::size_t capacity_;
    std::unique_ptr<Cell[]> cells_;
    alignas(64) std::atomic<uint64_t> head_{0};  // next position a producer claims
    alignas(64) uint64_t tail_ = 0;              // next position the consumer reads
};

}  // namespace sidebar::mixer
