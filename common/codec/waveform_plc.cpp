// WaveformPlc: rate-independent pitch-repetition concealment (see the header for why it exists).
#include "common/codec/waveform_plc.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>

namespace sidebar::codec {
namespace {

int16_t saturate(float x) {
    return static_cast<int16_t>(std::clamp(std::lround(x), long{INT16_MIN}, long{INT16_MAX}));
}

}  // namespace

WaveformPlc::WaveformPlc(int sample_rate)
    : min_period_(sample_rate / 200),
      max_period_(sample_rate / 66),
      window_(sample_rate / 50),
      fade_step_(1.0f / (0.050f * static_cast<float>(sample_rate))),
      history_(static_cast<std::size_t>(window_ + max_period_), 0),
      pairs_(history_.size() / 2, 0),
      wide_(history_.size(), 0),
      cycle_(static_cast<std::size_t>(max_period_), 0.0f),
      period_(min_period_) {}

void WaveformPlc::remember(std::span<const int16_t> pcm) {
    const std::size_t size = history_.size();
    if (pcm.size() >= size) {
        std::copy(pcm.end() - static_cast<std::ptrdiff_t>(size), pcm.end(), history_.begin());
        return;
    }
    std::copy(history_.begin() + static_cast<std::ptrdiff_t>(pcm.size()), history_.end(),
              history_.begin());
    std::copy(pcm.begin(), pcm.end(), history_.end() - static_cast<std::ptrdiff_t>(pcm.size()));
}

namespace {

// Sum of |recent[j] - recent[j - lag]| over the window; plain int arithmetic (the window is at
// most 20 ms of 16-bit samples, far from overflow) so the compiler vectorises it.
int amdf(const int* recent, int window, int lag) {
    int sum = 0;
    for (int j = 0; j < window; ++j)
        sum += std::abs(recent[j] - recent[j - lag]);
    return sum;
}

// The lag in [lo, hi] with the smallest AMDF; ties go to the shorter period.
int best_lag(const int* recent, int window, int lo, int hi) {
    int best = INT_MAX;
    int lag = lo;
    for (int candidate = lo; candidate <= hi; ++candidate) {
        const int sum = amdf(recent, window, candidate);
        if (sum < best) {
            best = sum;
            lag = candidate;
        }
    }
    return lag;
}

}  // namespace

int WaveformPlc::estimate_period() {
    // Average magnitude difference between the last window_ samples and the same span one
    // candidate period earlier. A full search at 16 kHz is 160 lags of 320 samples, four times
    // spandsp's at 8 kHz, so the search runs first on pair sums (half the rate: a quarter of the
    // work, the pairing doubling as a low-pass) and is then refined at full rate around the winner.
    const int size = static_cast<int>(history_.size());
    const int pairs = size / 2;
    for (int k = 0; k < pairs; ++k) {
        const int i = size - 2 * (pairs - k);
        pairs_[static_cast<std::size_t>(k)] =
            history_[static_cast<std::size_t>(i)] + history_[static_cast<std::size_t>(i + 1)];
    }
    const int coarse = best_lag(pairs_.data() + pairs - window_ / 2, window_ / 2,
                                (min_period_ + 1) / 2, max_period_ / 2);
    for (int i = 0; i < size; ++i) {
        wide_[static_cast<std::size_t>(i)] = history_[static_cast<std::size_t>(i)];
    }
    return best_lag(wide_.data() + size - window_, window_, std::max(min_period_, 2 * coarse - 2),
                    std::min(max_period_, 2 * coarse + 2));
}

void WaveformPlc::start_gap(std::span<int16_t> out, std::size_t& written) {
    period_ = estimate_period();
    const int overlap = std::max(1, period_ / 4);
    const int end = static_cast<int>(history_.size());
    // The last period of real audio, its final quarter cross-faded into the quarter one period
    // earlier, so that repeating it does not click at every join.
    for (int i = 0; i < period_; ++i) {
        const float latest = history_[static_cast<std::size_t>(end - period_ + i)];
        const int into_tail = i - (period_ - overlap);
        if (into_tail < 0) {
            cycle_[static_cast<std::size_t>(i)] = latest;
        } else {
            const float w = static_cast<float>(into_tail + 1) / static_cast<float>(overlap);
            const float earlier = history_[static_cast<std::size_t>(end - 2 * period_ + i)];
            cycle_[static_cast<std::size_t>(i)] = latest * (1.0f - w) + earlier * w;
        }
    }
    // No look-ahead is available to blend the real audio into the synthetic, so the synthetic
    // start is blended with the time-reversed tail of the real audio instead.
    const std::size_t blend = std::min(out.size(), static_cast<std::size_t>(overlap));
    for (std::size_t i = 0; i < blend; ++i) {
        const float w = static_cast<float>(i + 1) / static_cast<float>(overlap);
        const float tail = history_[history_.size() - 1 - i];
        out[i] = saturate(tail * (1.0f - w) + cycle_[i] * w);
    }
    offset_ = static_cast<int>(blend);
    written = blend;
}

void WaveformPlc::fill(std::span<int16_t> out) {
    std::size_t i = 0;
    if (missing_ == 0) start_gap(out, i);
    float gain = 1.0f - static_cast<float>(missing_ + static_cast<int>(i)) * fade_step_;
    for (; i < out.size(); ++i) {
        if (gain <= 0.0f) {
            out[i] = 0;
            continue;
        }
        out[i] = saturate(cycle_[static_cast<std::size_t>(offset_)] * gain);
        gain -= fade_step_;
        if (++offset_ >= period_) offset_ = 0;
    }
    missing_ = std::min(missing_ + static_cast<int>(out.size()), INT_MAX / 2);
    remember(out);
}

void WaveformPlc::rx(std::span<int16_t> pcm) {
    if (missing_ > 0) {
        // Cross-fade from where the concealment would have gone next into the real audio.
        const float gain = std::max(0.0f, 1.0f - static_cast<float>(missing_) * fade_step_);
        const int overlap = std::max(1, period_ / 4);
        const std::size_t blend = std::min(pcm.size(), static_cast<std::size_t>(overlap));
        for (std::size_t i = 0; i < blend; ++i) {
            const float w = static_cast<float>(i + 1) / static_cast<float>(overlap);
            const float synthetic = cycle_[static_cast<std::size_t>(offset_)] * gain;
            pcm[i] = saturate(synthetic * (1.0f - w) + static_cast<float>(pcm[i]) * w);
            if (++offset_ >= period_) offset_ = 0;
        }
        missing_ = 0;
    }
    remember(pcm);
}

}  // namespace sidebar::codec
