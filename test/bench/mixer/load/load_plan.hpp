// Who is who in a load run, shared by the media and sidebar modes: which room a member joins,
// which role its audio plays, and the quantiles the RESULT lines print.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "test/bench/mixer/load/loadgen_options.hpp"
#include "test/bench/mixer/load/rtp_payloads.hpp"

namespace sidebar::loadgen {

inline std::string room_of(const Options& o, std::size_t member) {
    return std::to_string(o.room_base + static_cast<int>(member) / o.room_size);
}

inline Role role_of(const Options& o, std::size_t member) {
    const int pos = static_cast<int>(member) % o.room_size;
    if (member == 0) return Role::clicker;
    if (member < 2) return Role::quiet;  // member 1 is the probe; it must hear the click clearly
    return pos >= o.room_size - o.talkers_per_room ? Role::talker : Role::quiet;
}

// Quantile q of microsecond samples (nearest rank below), -1 when there are none.
inline double quantile_us(std::vector<int64_t> v, double q) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return static_cast<double>(v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))]);
}

}  // namespace sidebar::loadgen
