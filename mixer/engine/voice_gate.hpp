// The noise gate that decides, per 20 ms frame, whether a member is talking: a frame whose RMS is
// at or above the threshold opens it, and it stays open for a hangover so that the pauses between
// words do not chop the speech. Only talking sources are summed, which keeps line noise of many
// idle phones out of the room and lets idle listeners share one frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sidebar::mixer {

// What silence reads as (the audio module's convention), so level arithmetic stays finite.
inline constexpr double kSilentLevelDbfs = -200.0;

// Sum of squares of a frame: the one pass over the samples the gate needs.
int64_t frame_energy(std::span<const int16_t> samples);

// RMS level in dBFS of a frame of `samples` samples with `energy`; a full-scale sine reads 0 dBFS.
double energy_to_dbfs(int64_t energy, std::size_t samples);

class VoiceGate {
  public:
    VoiceGate(double threshold_dbfs, int hangover_ticks, std::size_t frame_samples);

    // One tick: `energy` of this tick's frame (0 when there was no input) and the member's
    // remaining hangover, updated. Returns whether the gate is open after it.
    bool update(int64_t energy, int& hangover_left) const;

  private:
    double threshold_energy_;
    int hangover_ticks_;
};

}  // namespace sidebar::mixer
