// How much playout delay the network needs. Each packet's transit (arrival time minus its RTP
// timestamp as time) goes into a sliding window; the spread between the fastest and the slowest
// transit is the delay that lets the slowest packet arrive in time. The target follows that
// spread up at once (a late packet hurts now) and back down slowly (a calm spell may not last).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sidebar::jitter {

// Minimum and maximum over the last kWindow values, O(1) amortised per value (monotonic queues
// in fixed rings: no allocation on the packet path).
class SlidingExtremes {
  public:
    static constexpr std::size_t kWindow = 256;  // about 5 s of 20 ms packets

    void add(int64_t value);
    void reset();
    bool empty() const { return mins_.size == 0; }
    int64_t min() const { return mins_.front().value; }
    int64_t max() const { return maxs_.front().value; }

  private:
    struct Entry {
        uint64_t index;
        int64_t value;
    };
    struct Ring {
        std::array<Entry, kWindow> entries{};
        std::size_t head = 0;
        std::size_t size = 0;

        Entry& front() { return entries[head]; }
        const Entry& front() const { return entries[head]; }
        Entry& back() { return entries[(head + size - 1) % kWindow]; }
        void push_back(Entry e) { entries[(head + size++) % kWindow] = e; }
        void pop_back() { --size; }
        void pop_front() {
            head = (head + 1) % kWindow;
            --size;
        }
    };

    Ring mins_;  // increasing values from front to back
    Ring maxs_;  // decreasing values from front to back
    uint64_t next_index_ = 0;
};

class DelayEstimator {
  public:
    DelayEstimator(int64_t min_delay_us, int64_t max_delay_us);

    void on_arrival(int64_t transit_us) { transits_.add(transit_us); }
    // Moves the target once per 20 ms pull.
    void update();
    // Forgets the stream (SSRC change); the target stays where it was.
    void reset() { transits_.reset(); }

    bool has_data() const { return !transits_.empty(); }
    int64_t min_transit_us() const { return transits_.empty() ? 0 : transits_.min(); }
    int64_t spread_us() const { return transits_.empty() ? 0 : transits_.max() - transits_.min(); }
    int64_t target_us() const { return target_us_; }

  private:
    // Above the spread, because a packet's arrival and the 20 ms pull clock are out of phase.
    static constexpr int64_t kMarginUs = 20'000;
    // Downward speed: 10 ms per second of calm, so a burst's delay is given back over seconds.
    static constexpr int64_t kDecayPerPullUs = 200;

    SlidingExtremes transits_;
    int64_t min_delay_us_;
    int64_t max_delay_us_;
    int64_t target_us_;
};

}  // namespace sidebar::jitter
