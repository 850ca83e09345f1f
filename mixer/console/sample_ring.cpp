// SampleRing: SPSC ring with acquire/release ordering on the two indices.
#include "mixer/console/sample_ring.hpp"

#include <algorithm>
#include <bit>

namespace sidebar::mixer {

SampleRing::SampleRing(std::size_t min_capacity) {
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(min_capacity, 2));
    data_ = std::make_unique<int16_t[]>(capacity);
    mask_ = capacity - 1;
}

std::size_t SampleRing::size() const {
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    return head - tail;
}

std::size_t SampleRing::write(std::span<const int16_t> in) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t room = capacity() - (head - tail);
    const std::size_t n = std::min(room, in.size());
    const std::size_t start = head & mask_;
    const std::size_t first = std::min(n, capacity() - start);
    std::copy_n(in.data(), first, data_.get() + start);
    std::copy_n(in.data() + first, n - first, data_.get());
    head_.store(head + n, std::memory_order_release);
    return n;
}

std::size_t SampleRing::read(std::span<int16_t> out) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t n = std::min(head - tail, out.size());
    const std::size_t start = tail & mask_;
    const std::size_t first = std::min(n, capacity() - start);
    std::copy_n(data_.get() + start, first, out.data());
    std::copy_n(data_.get(), n - first, out.data() + first);
    tail_.store(tail + n, std::memory_order_release);
    return n;
}

std::size_t SampleRing::discard(std::size_t count) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t n = std::min(head - tail, count);
    tail_.store(tail + n, std::memory_order_release);
    return n;
}

}  // namespace sidebar::mixer
