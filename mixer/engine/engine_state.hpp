// The engine's internal state (not part of its API): members, groups (the main room and its
// sidebars), the frames shared by listeners who hear a group's full mix, and service channels.
// Everything a tick touches is allocated when a member joins or a group is made, so mix() itself
// never allocates. Objects are held by unique_ptr so that the spans handed out stay put.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/mix/mix_minus.hpp"
#include "mixer/engine/engine_types.hpp"

namespace sidebar::mixer::detail {

using Frame = std::array<int16_t, kFrame>;

struct Group;
struct Channel;

// What every silent output points at.
inline const Frame kSilentFrame{};

// One group's full mix at one output gain: every listener of the group who hears exactly that
// reads this one buffer.
struct SharedMix {
    mix::Gain gain = mix::kUnityGain;
    int users = 0;          // members holding it; 0 = free for reuse by another gain
    uint64_t computed = 0;  // tick number of the pcm below
    uint64_t key = 0;       // this tick's share key (0 when the mix is silent)
    Frame pcm{};
};

struct Member {
    MemberId id = 0;
    Group* group = nullptr;
    std::size_t slot_in_group = 0;  // index in group->members, for O(1) removal
    SharedMix* shared = nullptr;    // the group's full mix at this member's output gain

    bool muted = false;
    bool deaf = false;
    mix::Gain input_gain = mix::kUnityGain;
    mix::Gain output_gain = mix::kUnityGain;
    std::vector<Channel*> channels;  // open service channels, at most kMaxChannelsPerMember

    // This tick's inputs.
    Frame input{};
    bool has_input = false;
    mix::Accumulator announcement{};  // member announcements, summed
    int announcements = 0;

    // Gate and the results of the last mix().
    int hangover_left = 0;
    bool talking = false;
    bool contributes = false;
    int64_t energy = 0;
    Frame out{};
    ListenerOutput result{ConstFrame(kSilentFrame), 0};
};

struct Group {
    GroupId id = kMainGroup;
    mix::Gain parent_gain = mix::kSilentGain;  // how a sidebar hears the main room
    std::vector<Member*> members;
    std::vector<std::unique_ptr<SharedMix>> shared;

    mix::Accumulator announcement{};  // this tick's group announcements, summed
    int announcements = 0;

    // Results of the last mix().
    mix::Accumulator sum{};  // all of the group's contributions, the parent's included
    int heard_parts = 0;     // contributing sources + announcements + audible parent
    Frame full{};            // sum saturated at unity, for recorders
};

struct Channel {
    ChannelId id = 0;
    Member* member = nullptr;
    Frame input{};
    bool has_input = false;
    Frame out{};  // the member's voice of the last tick
};

}  // namespace sidebar::mixer::detail
