// The audio the load generator sends, encoded once before the run so the generator spends its
// CPU on packets, not on encoding: one second (50 frames) per role, sent in a loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/util/result.hpp"

namespace sidebar::loadgen {

enum class Role { quiet, talker, clicker };

inline constexpr std::size_t kCycleFrames = 50;  // one second
inline constexpr std::size_t kClickFrame = 25;   // the clicker's loud frame within the cycle
inline constexpr int kClickAmplitude = 16000;    // about -6 dBFS
inline constexpr int kToneAmplitude = 1000;      // about -30 dBFS: a talker, well above the gate
inline constexpr int kNoiseAmplitude = 8;        // below the mixer's -55 dBFS voice gate
inline constexpr int kClickDetect = 8000;        // a received sample above this is the click

struct PayloadCycle {
    std::vector<std::vector<uint8_t>> frames;  // kCycleFrames payloads
};

struct Payloads {
    codec::Kind kind = codec::Kind::pcmu;
    uint8_t payload_type = 0;
    uint32_t timestamp_step = 160;
    PayloadCycle quiet, talker, clicker;
    const PayloadCycle& of(Role role) const;
};

// Encodes the three cycles for PCMU or Opus.
Result<Payloads> make_payloads(codec::Kind kind);

}  // namespace sidebar::loadgen
