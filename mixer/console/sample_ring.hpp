// SampleRing: a bounded, lock-free single-producer/single-consumer queue of int16 samples. It is
// how audio crosses between PortAudio's real-time callback thread and the room's media thread:
// neither side ever locks or allocates after construction, so the callback cannot be blocked by
// the media thread (or by the allocator).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace sidebar::mixer {

class SampleRing {
  public:
    // Holds at least `min_capacity` samples (rounded up to a power of two; at least 2).
    explicit SampleRing(std::size_t min_capacity);

    SampleRing(const SampleRing&) = delete;
    SampleRing& operator=(const SampleRing&) = delete;

    std::size_t capacity() const { return mask_ + 1; }

    // Producer side. Appends as many of `in` as fit; returns how many did (the rest is dropped
    // by the caller's choice, never silently here).
    std::size_t write(std::span<const int16_t> in);

    // Consumer side. Moves up to out.size() of the oldest samples into `out`; returns how many.
    std::size_t read(std::span<int16_t> out);
    // Consumer side: forgets up to `count` of the oldest samples (used to drop the oldest audio
    // when the queue is deeper than wanted, which only the consumer may do); returns how many.
    std::size_t discard(std::size_t count);

    // Samples queued. Exact for the consumer; a lower bound of free room for the producer.
    std::size_t size() const;

  private:
    std::unique_ptr<int16_t[]> data_;
    std::size_t mask_ = 0;
    // Monotonic counters (wrapping is harmless: only their difference is used). Each on its own
    // cache line so the two threads do not false-share.
    alignas(64) std::atomic<std::size_t> head_{0};  // written by the producer
    alignas(64) std::atomic<std::size_t> tail_{0};  // written by the consumer
};

}  // namespace sidebar::mixer
