// Tone generation for prompts, call-progress sounds and tests: one or two sines at a level in
// dBFS, in segments (on/off cadences, chime notes), with the phase continuous across the 20 ms
// frames a caller pulls, so consecutive frames join without clicks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sidebar::audio {

inline constexpr int kToneRate = 16000;
inline constexpr std::size_t kToneFrameSamples = 320;  // 20 ms at 16 kHz

struct ToneSegment {
    double freq1_hz = 0.0;           // 0 for a silent segment
    double freq2_hz = 0.0;           // 0 for a single tone
    double level_dbfs = -20;         // peak level of each component (a 0 dBFS sine peaks at 32768)
    int duration_ms = 0;             // 0: lasts forever
    double decay_ms = 0.0;           // exponential decay time constant (a struck chime); 0: steady
    double ramp_ms = 0.0;            // raised-cosine fade in and out, against clicks at the edges
    double freq2_relative_db = 0.0;  // level of the second component relative to the first
};

class ToneGenerator {
  public:
    // Plays `segments` in order, then silence; or from the first again when `repeat`.
    explicit ToneGenerator(std::vector<ToneSegment> segments, bool repeat = false,
                           int sample_rate = kToneRate);

    // A steady sine; the level is the sine's own (0 dBFS is a full-scale sine).
    static ToneGenerator sine(double hz, double level_dbfs, int sample_rate = kToneRate);
    // Two steady sines, each at `level_dbfs` (as DTMF specifies each component's level).
    static ToneGenerator dual(double hz1, double hz2, double level_dbfs,
                              int sample_rate = kToneRate);
    // Call-progress ringback: 425 Hz, 1 s on, 4 s off (ITU-T E.180 common values), -20 dBFS.
    static ToneGenerator ringback(int sample_rate = kToneRate);
    // A soft two-note chime (E5 then C5, each decaying), e.g. for "someone joined", then silence.
    static ToneGenerator chime(double level_dbfs = -18.0, int sample_rate = kToneRate);
    // Three short beeps of the reorder pair (480 + 620 Hz), 0.75 s in all: a request failed.
    static ToneGenerator error(double level_dbfs = -18.0, int sample_rate = kToneRate);

    // Fills `out` with the next samples.
    void fill(std::span<int16_t> out);
    // True when a non-repeating sequence has played to its end (what follows is silence).
    bool done() const { return !repeat_ && index_ >= segments_.size(); }
    // Back to the start of the first segment.
    void reset();

  private:
    void start_segment();
    double envelope() const;

    std::vector<ToneSegment> segments_;
    bool repeat_;
    int rate_;
    std::size_t index_ = 0;
    uint64_t pos_ = 0;     // samples into the current segment
    uint64_t length_ = 0;  // of the current segment; 0 = forever
    uint64_t ramp_ = 0;    // samples of fade
    double amp1_ = 0, amp2_ = 0;
    double decay_ = 1.0;  // per-sample factor
    double env_ = 1.0;    // current decay envelope
    // Each component is a unit phasor rotated by a fixed step per sample: cheaper than sin() per
    // sample and exactly continuous across calls.
    double c1_ = 1, s1_ = 0, step_c1_ = 1, step_s1_ = 0;
    double c2_ = 1, s2_ = 0, step_c2_ = 1, step_s2_ = 0;
};

}  // namespace sidebar::audio
