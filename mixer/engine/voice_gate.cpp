// Frame energy and the gate's threshold test, kept in the energy domain so that the per-tick path
// needs no logarithm.
#include "mixer/engine/voice_gate.hpp"

#include <cmath>

namespace sidebar::mixer {

int64_t frame_energy(std::span<const int16_t> samples) {
    int64_t sum = 0;
    for (const int16_t s : samples)
        sum += int32_t{s} * int32_t{s};
    return sum;
}

double energy_to_dbfs(int64_t energy, std::size_t samples) {
    if (energy <= 0 || samples == 0) return kSilentLevelDbfs;
    // A sine of peak A has RMS A/sqrt(2): scale so that it reads like its peak.
    const double rms = std::sqrt(double(energy) / double(samples));
    return 20.0 * std::log10(rms * std::sqrt(2.0) / 32768.0);
}

VoiceGate::VoiceGate(double threshold_dbfs, int hangover_ticks, std::size_t frame_samples)
    : hangover_ticks_(hangover_ticks) {
    // energy >= samples * (A / sqrt(2))^2 where A is the peak of a sine at the threshold.
    const double amplitude = 32768.0 * std::pow(10.0, threshold_dbfs / 20.0);
    threshold_energy_ = double(frame_samples) * amplitude * amplitude / 2.0;
}

bool VoiceGate::update(int64_t energy, int& hangover_left) const {
    if (energy > 0 && double(energy) >= threshold_energy_) {
        hangover_left = hangover_ticks_;
        return true;
    }
    if (hangover_left > 0) {
        --hangover_left;
        return true;
    }
    return false;
}

}  // namespace sidebar::mixer
