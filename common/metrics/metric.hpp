// The metric values: Counter, Gauge, IntGauge and Histogram. Updates are relaxed atomics so that a
// media thread never takes a lock; the HTTP thread reads them while rendering. A value read during
// rendering may miss updates made at the same moment, which Prometheus tolerates.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace sidebar::metrics {

// A monotonically increasing count (requests, packets, drops).
class Counter {
  public:
    void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    uint64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<uint64_t> value_{0};
};

// A value that goes up and down, in floating point (levels, ratios, seconds).
class Gauge {
  public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    void add(double delta);
    double value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

// A value that goes up and down in whole numbers (rooms, members, connections).
class IntGauge {
  public:
    void set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
    void add(int64_t delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
    void inc() { add(1); }
    void dec() { add(-1); }
    int64_t value() const { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<int64_t> value_{0};
};

// Observations counted into fixed buckets (upper bounds, inclusive, strictly increasing), plus
// the implicit +Inf bucket. Buckets are stored per bucket, not cumulative, so that one observation
// touches one counter; rendering makes them cumulative.
class Histogram {
  public:
    // `bounds` must be finite and strictly increasing (checked by the Registry).
    explicit Histogram(std::vector<double> bounds);

    // NaN observations are ignored: one would turn the sum into NaN for good.
    void observe(double v);

    const std::vector<double>& bounds() const { return bounds_; }

    struct Snapshot {
        std::vector<uint64_t> cumulative;  // bounds().size() + 1 entries, the last is +Inf
        double sum = 0.0;
        uint64_t count = 0;  // equals cumulative.back()
    };
    Snapshot snapshot() const;

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
    std::atomic<double> sum_{0.0};
};

}  // namespace sidebar::metrics
