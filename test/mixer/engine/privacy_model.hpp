// The privacy test's own model of a room (issue 5): who is in which group, muted, deaf, which
// service channels are open, each sidebar's parent gain; the rules of DESIGN.md section 4 as
// gains over that model; and the random operations that drive both the model and a MixEngine.
// Kept apart from mix_engine_property_test.cpp's reference on purpose: the rules here say only
// which gain each (listener, source) pair must have, nothing of how the engine computes it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mixer/engine/mix_engine.hpp"

namespace sidebar::mixer::test::privacy {

inline constexpr MemberId kIds = 12;    // ids 1..12, so the room never holds more than 12
inline constexpr std::size_t kCap = 4;  // the test's sidebar limit (the engine's is kMaxSidebars)

inline double lin(double db) {
    return std::pow(10.0, db / 20.0);
}

struct MemberState {
    GroupId group = kMainGroup;
    bool muted = false, deaf = false;
};

// The test's own picture of the room, and the rules as gains (linear, 0 = must be exact silence).
struct Model {
    EngineConfig config;
    std::map<MemberId, MemberState> members;
    std::map<GroupId, std::optional<double>> sidebars;  // parent gain in dB; nullopt = off
    std::vector<GroupId> dissolved;
    std::map<ChannelId, MemberId> channels;
    std::vector<ChannelId> closed;

    int channels_of(MemberId id) const {
        return int(std::count_if(channels.begin(), channels.end(),
                                 [&](const auto& c) { return c.second == id; }));
    }
    // Muted, or talking to a service channel: out of the room entirely.
    bool silent_in_room(MemberId s) const {
        return members.at(s).muted || (config.withhold_voice_on_channel && channels_of(s) > 0);
    }
    // How group g's mix carries member s (what g's recorder hears).
    double group_gain(GroupId g, MemberId s) const {
        if (silent_in_room(s)) return 0;
        const GroupId from = members.at(s).group;
        if (from == g) return 1;
        if (g != kMainGroup && from == kMainGroup) {
            const auto& pg = sidebars.at(g);
            return pg ? lin(*pg) : 0;
        }
        return 0;  // main hears no sidebar member; sidebar S hears nothing of sidebar T
    }
    double member_gain(MemberId l, MemberId s) const {
        const MemberState& m = members.at(l);
        if (l == s || m.deaf) return 0;
        const double g = group_gain(m.group, s);
        return channels_of(l) > 0 ? g * lin(config.duck_db) : g;
    }
    // What the IVR says on channel c: its member only, not ducked, and not when deaf.
    double channel_gain(MemberId l, ChannelId c) const {
        return channels.at(c) == l && !members.at(l).deaf ? 1 : 0;
    }
    std::string who(MemberId id) const {
        std::ostringstream o;
        o << "m" << id;
        const auto it = members.find(id);
        if (it == members.end()) return o.str() + "[gone]";
        o << "["
          << (it->second.group == kMainGroup ? "main" : "S" + std::to_string(it->second.group))
          << (it->second.muted ? " muted" : "") << (it->second.deaf ? " deaf" : "")
          << (channels_of(id) ? " ch" : "") << "]";
        return o.str();
    }
};

// Where the walk is, for failure messages (seed, step and the last ops replay it), and what it
// has reached.
struct Trace {
    uint32_t seed = 0;
    int step = 0;
    std::deque<std::string> ops;
    // Counted so that the test can insist the walk reached the interesting states.
    long checks = 0, exact_zero = 0, multi = 0;
    long sidebar_forbidden = 0;  // a sidebar member's voice at a listener outside its sidebar
    long parent_heard = 0;       // a sidebar member hearing a main member at a parent gain
    long ducked = 0;             // a member with an open channel hearing someone in the room

    void add(const Trace& o) {
        checks += o.checks, exact_zero += o.exact_zero, multi += o.multi;
        sidebar_forbidden += o.sidebar_forbidden, parent_heard += o.parent_heard;
        ducked += o.ducked;
    }

    void note(std::string op) {
        ops.push_back(std::move(op));
        if (ops.size() > 12) ops.pop_front();
    }
    std::string where(const std::string& listener, const std::string& source,
                      const std::string& what) const {
        std::ostringstream o;
        o << "seed " << seed << " step " << step << ": listener " << listener << ", source "
          << source << ": " << what << "\nlast ops:";
        for (const auto& op : ops)
            o << "\n  " << op;
        return o.str();
    }
};

// One random operation (join, leave, create, move in/out, dissolve, mute, deaf, channel
// open/close, parent gain), applied to both; refused operations must be refused by the engine too.
void random_op(std::mt19937& rng, MixEngine& e, Model& m, Trace& t);
// The engine's membership, groups and channels must be the model's.
void check_structure(const MixEngine& e, const Model& m, const Trace& t);

}  // namespace sidebar::mixer::test::privacy
