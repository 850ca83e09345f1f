// RMS and peak levels.
#include "common/audio/level.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace sidebar::audio {

double dbfs_to_amplitude(double dbfs) {
    return 32768.0 * std::pow(10.0, dbfs / 20.0);
}

double amplitude_to_dbfs(double amplitude) {
    if (!(amplitude > 0.0)) return kSilenceDbfs;
    return std::max(kSilenceDbfs, 20.0 * std::log10(amplitude / 32768.0));
}

double rms_dbfs(std::span<const int16_t> samples) {
    if (samples.empty()) return kSilenceDbfs;
    double sum = 0.0;
    for (const int16_t s : samples)
        sum += double(s) * double(s);
    const double rms = std::sqrt(sum / double(samples.size()));
    // A sine of peak A has RMS A/sqrt(2): scale so that it reads like its peak.
    return amplitude_to_dbfs(rms * std::sqrt(2.0));
}

double peak_dbfs(std::span<const int16_t> samples) {
    int peak = 0;
    for (const int16_t s : samples)
        peak = std::max(peak, std::abs(int(s)));
    return amplitude_to_dbfs(double(peak));
}

}  // namespace sidebar::audio
