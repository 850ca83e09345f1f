// Pitch-repetition packet-loss concealment at any sample rate, for G.722's 16 kHz output.
//
// spandsp's plc (used for G.711) hard-codes 8 kHz: its pitch search spans 40..120 samples (66 to
// 200 Hz only at 8 kHz), its correlation window is 160 samples and its fade 400. Run on 16 kHz
// audio it would look for pitch between 133 and 400 Hz, so a low voice would be repeated at a wrong
// period, and it would fade out in 25 ms. Resampling to 8 kHz around it would cost two extra
// resamplers on every good frame, lose the 4-8 kHz band, and the filters' delay would misalign the
// history with the audio already played. So this is the same algorithm (the G.711 Appendix I
// family: AMDF pitch estimate, repeat the last pitch cycle with quarter-period overlap-adds at the
// joins, linear fade to silence over 50 ms, blend back into real audio) with every constant
// derived from the rate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sidebar::codec {

class WaveformPlc {
  public:
    explicit WaveformPlc(int sample_rate);

    // Records good audio. After a gap it first blends the start of `pcm` with the continuing
    // concealment, so it may change up to a quarter pitch period of it.
    void rx(std::span<int16_t> pcm);
    // Writes concealment for lost audio; repeated calls continue and fade the same signal.
    void fill(std::span<int16_t> out);

    int pitch_period() const { return period_; }

  private:
    void remember(std::span<const int16_t> pcm);
    int estimate_period();
    void start_gap(std::span<int16_t> out, std::size_t& written);

    int min_period_;                // highest pitch searched (200 Hz)
    int max_period_;                // lowest pitch searched (66 Hz)
    int window_;                    // 20 ms of history compared when estimating the pitch
    float fade_step_;               // gain lost per sample: silence after 50 ms
    std::vector<int16_t> history_;  // the latest window_ + max_period_ samples, oldest first
    std::vector<int> pairs_;        // pitch-search scratch: sums of sample pairs (half rate)
    std::vector<int> wide_;         // pitch-search scratch: history_ widened to int
    std::vector<float> cycle_;      // one pitch period, ends joined, repeated during a gap
    int period_ = 0;
    int offset_ = 0;   // position in cycle_
    int missing_ = 0;  // samples concealed in the current gap
};

}  // namespace sidebar::codec
