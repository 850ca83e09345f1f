// Update and snapshot code of the metric values.
#include "common/metrics/metric.hpp"

#include <algorithm>
#include <cmath>

namespace sidebar::metrics {

namespace {

void atomic_add(std::atomic<double>& target, double delta) {
    // A CAS loop rather than fetch_add: the same code path on every libstdc++ we build with.
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
    }
}

}  // namespace

void Gauge::add(double delta) {
    atomic_add(value_, delta);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        buckets_[i].store(0, std::memory_order_relaxed);
    }
}

void Histogram::observe(double v) {
    if (std::isnan(v)) return;
    // First bound >= v: buckets are "less than or equal" (le).
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    const auto index = static_cast<std::size_t>(it - bounds_.begin());
    buckets_[index].fetch_add(1, std::memory_order_relaxed);
    atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot snap;
    snap.cumulative.resize(bounds_.size() + 1);
    uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        snap.cumulative[i] = running;
    }
    snap.count = running;
    snap.sum = sum_.load(std::memory_order_relaxed);
    return snap;
}

}  // namespace sidebar::metrics
