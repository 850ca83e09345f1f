// ToneGenerator: segments of one or two rotating phasors with optional decay and fades.
#include "common/audio/tone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "common/audio/level.hpp"

namespace sidebar::audio {

namespace {

void set_step(double hz, int rate, double& c, double& s) {
    const double w = 2.0 * std::numbers::pi * hz / double(rate);
    c = std::cos(w);
    s = std::sin(w);
}

void renormalize(double& c, double& s) {
    const double r = 1.0 / std::sqrt(c * c + s * s);
    c *= r;
    s *= r;
}

// A usable frequency: positive and below Nyquist; anything else plays as silence.
bool audible(double hz, int rate) {
    return hz > 0.0 && hz < rate / 2.0;
}

}  // namespace

ToneGenerator::ToneGenerator(std::vector<ToneSegment> segments, bool repeat, int sample_rate)
    : segments_(std::move(segments)),
      repeat_(repeat && !segments_.empty()),
      rate_(std::max(1, sample_rate)) {
    start_segment();
}

ToneGenerator ToneGenerator::sine(double hz, double level_dbfs, int sample_rate) {
    return ToneGenerator({ToneSegment{hz, 0.0, level_dbfs, 0, 0.0, 0.0, 0.0}}, false, sample_rate);
}

ToneGenerator ToneGenerator::dual(double hz1, double hz2, double level_dbfs, int sample_rate) {
    return ToneGenerator({ToneSegment{hz1, hz2, level_dbfs, 0, 0.0, 0.0, 0.0}}, false, sample_rate);
}

ToneGenerator ToneGenerator::ringback(int sample_rate) {
    return ToneGenerator({ToneSegment{425.0, 0.0, -20.0, 1000, 0.0, 5.0, 0.0},
                          ToneSegment{0.0, 0.0, 0.0, 4000, 0.0, 0.0, 0.0}},
                         true, sample_rate);
}

ToneGenerator ToneGenerator::chime(double level_dbfs, int sample_rate) {
    // Each note pairs its fundamental with a quieter octave, which reads as a bell, not a beep.
    return ToneGenerator({ToneSegment{659.25, 1318.5, level_dbfs, 350, 120.0, 4.0, -10.0},
                          ToneSegment{523.25, 1046.5, level_dbfs, 600, 180.0, 4.0, -10.0}},
                         false, sample_rate);
}

ToneGenerator ToneGenerator::error(double level_dbfs, int sample_rate) {
    // Three short beeps at the reorder/congestion pair (480 + 620 Hz, North American practice):
    // "that did not work", and over in under a second.
    const ToneSegment beep{480.0, 620.0, level_dbfs, 150, 0.0, 5.0, 0.0};
    const ToneSegment gap{0.0, 0.0, level_dbfs, 100};
    return ToneGenerator({beep, gap, beep, gap, beep}, false, sample_rate);
}

void ToneGenerator::reset() {
    index_ = 0;
    start_segment();
}

void ToneGenerator::start_segment() {
    pos_ = 0;
    env_ = 1.0;
    c1_ = 1, s1_ = 0, c2_ = 1, s2_ = 0;
    if (index_ >= segments_.size()) {
        amp1_ = amp2_ = 0.0;
        length_ = 0;
        return;
    }
    const ToneSegment& seg = segments_[index_];
    double amp = dbfs_to_amplitude(std::min(seg.level_dbfs, 6.0));
    double amp2 = dbfs_to_amplitude(std::min(seg.level_dbfs + seg.freq2_relative_db, 6.0));
    if (!std::isfinite(amp)) amp = 0.0;  // a NaN level plays as silence
    if (!std::isfinite(amp2)) amp2 = 0.0;
    amp1_ = audible(seg.freq1_hz, rate_) ? amp : 0.0;
    amp2_ = audible(seg.freq2_hz, rate_) ? amp2 : 0.0;
    set_step(seg.freq1_hz, rate_, step_c1_, step_s1_);
    set_step(seg.freq2_hz, rate_, step_c2_, step_s2_);
    length_ = seg.duration_ms > 0 ? uint64_t(seg.duration_ms) * uint64_t(rate_) / 1000 : 0;
    ramp_ = seg.ramp_ms > 0.0 ? uint64_t(seg.ramp_ms * rate_ / 1000.0) : 0;
    if (length_ > 0) ramp_ = std::min(ramp_, length_ / 2);
    decay_ = seg.decay_ms > 0.0 ? std::exp(-1000.0 / (seg.decay_ms * rate_)) : 1.0;
}

double ToneGenerator::envelope() const {
    double g = env_;
    if (ramp_ > 0) {
        const uint64_t from_end = length_ > 0 ? length_ - pos_ : ramp_;
        const uint64_t edge = std::min(pos_, from_end);
        if (edge < ramp_) {
            g *= 0.5 - 0.5 * std::cos(std::numbers::pi * double(edge) / double(ramp_));
        }
    }
    return g;
}

void ToneGenerator::fill(std::span<int16_t> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        if (index_ >= segments_.size()) {
            std::fill(out.begin() + long(i), out.end(), int16_t{0});
            return;
        }
        const uint64_t left = length_ > 0 ? length_ - pos_ : UINT64_MAX;
        const std::size_t n = std::size_t(std::min<uint64_t>(left, out.size() - i));
        for (std::size_t k = 0; k < n; ++k) {
            const double v = envelope() * (amp1_ * s1_ + amp2_ * s2_);
            out[i + k] = static_cast<int16_t>(std::lrint(std::clamp(v, -32768.0, 32767.0)));
            const double c1 = c1_ * step_c1_ - s1_ * step_s1_;
            s1_ = s1_ * step_c1_ + c1_ * step_s1_;
            c1_ = c1;
            const double c2 = c2_ * step_c2_ - s2_ * step_s2_;
            s2_ = s2_ * step_c2_ + c2_ * step_s2_;
            c2_ = c2;
            env_ *= decay_;
            ++pos_;
        }
        i += n;
        renormalize(c1_, s1_);
        renormalize(c2_, s2_);
        if (length_ > 0 && pos_ >= length_) {
            ++index_;
            if (index_ >= segments_.size() && repeat_) index_ = 0;
            start_segment();
        }
    }
}

}  // namespace sidebar::audio
