// The vocabulary of the mixing engine (DESIGN.md section 4 "The mixing model"): ids, the frame
// type, the engine's configuration, what a listener gets back, and the share keys that tell the
// media layer which listeners heard the same thing (so it encodes that frame once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/mix/mix_minus.hpp"

namespace sidebar::mixer {

using MemberId = uint32_t;   // chosen by the caller, unique in the room
using GroupId = uint32_t;    // kMainGroup for the main room; sidebars get ids from create_sidebar
using ChannelId = uint32_t;  // service channels; 0 is never a channel

inline constexpr GroupId kMainGroup = 0;
inline constexpr std::size_t kFrame = 320;
static_assert(kFrame == mix::kFrameSamples);
using ConstFrame = std::span<const int16_t, kFrame>;

// Bounds that keep every 32-bit sum exact (each source adds at most 2 x 32768 per sample, so
// 10000 of them stay far below 2^31) and the engine's memory bounded whatever the caller is
// driven to do by remote peers.
inline constexpr std::size_t kMaxMembers = 10000;
inline constexpr std::size_t kMaxSidebars = 1024;
inline constexpr std::size_t kMaxChannelsPerMember = 4;
inline constexpr int kMaxAnnouncementsPerTick = 16;  // per group and per member; more are dropped

struct EngineConfig {
    double gate_threshold_dbfs = -55.0;  // a source below this (frame RMS) and past its hangover
                                         // does not contribute
    int gate_hangover_ticks = 15;        // 300 ms
    double duck_db = -10.0;              // room level a member hears while a service channel is
                                         // open to it
    bool withhold_voice_on_channel = true;
    std::optional<double> default_parent_gain_db = -12.0;  // sidebar hears main at this;
                                                           // nullopt = off
};

struct ListenerOutput {
    ConstFrame pcm;          // valid until the next mix()
    uint64_t share_key = 0;  // listeners with equal keys got identical pcm; 0 = silence
};

// Share keys. 0 is silence. A group's full mix heard at one output gain has a key made of the
// group and the gain, so it stays the same across ticks while that is what the listener hears
// (the media layer keeps one encoder per key); a personal mix (the listener's own voice taken out,
// or private audio added) has a key made of the member id with the top bit set.
inline constexpr uint64_t kPersonalKeyFlag = uint64_t{1} << 63;
inline constexpr uint64_t kSharedKeyFlag = uint64_t{1} << 62;

constexpr uint64_t shared_mix_key(GroupId group, mix::Gain output_gain) {
    return kSharedKeyFlag | (uint64_t{group} << 18) | (uint64_t(output_gain) & 0x3ffff);
}

constexpr uint64_t personal_mix_key(MemberId member) {
    return kPersonalKeyFlag | uint64_t{member};
}

}  // namespace sidebar::mixer
