// Conversions between decibels and Q15 gains.
#include "common/mix/gain.hpp"

#include <cmath>
#include <limits>

namespace sidebar::mix {

Gain dbfs_to_gain(double db) {
    if (!(db > -200.0)) return kSilentGain;  // also NaN
    const double linear = std::pow(10.0, db / 20.0) * double(kUnityGain);
    if (linear >= double(kMaxSourceGain)) return kMaxSourceGain;
    return static_cast<Gain>(std::lround(linear));
}

double gain_to_db(Gain gain) {
    if (gain <= 0) return -std::numeric_limits<double>::infinity();
    return 20.0 * std::log10(double(gain) / double(kUnityGain));
}

}  // namespace sidebar::mix
