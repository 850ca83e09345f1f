// Randomized property test: random control operations and random inputs, then every output of the
// engine must equal, sample for sample, what a brute-force gain-matrix mixer computes: for each
// listener it re-sums every source with gain(listener, source) as DESIGN.md section 4 states
// (O(N^2), in 64 bits, with the kernels' documented rounding). Privacy follows from that: the
// reference never adds a source the listener may not hear.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "common/audio/level.hpp"
#include "test/mixer/engine/engine_test_support.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;
namespace mx = sidebar::mix;

namespace {

struct RefMember {
    GroupId group = kMainGroup;
    bool muted = false, deaf = false;
    mx::Gain in = mx::kUnityGain, out = mx::kUnityGain;
    int hang = 0;
};

struct TickInput {
    std::map<MemberId, Frame> voice;
    std::map<GroupId, std::vector<Frame>> group_ann;
    std::map<MemberId, std::vector<Frame>> member_ann;
    std::map<ChannelId, Frame> channel;
};

int64_t scaled(int64_t x, int64_t g) {
    return (x * g + (1 << 14)) >> 15;
}
int64_t clamp_mix(int64_t x) {
    return std::clamp<int64_t>(x, mx::kMixClampMin, mx::kMixClampMax);
}
int16_t sat(int64_t x) {
    return static_cast<int16_t>(std::clamp<int64_t>(x, INT16_MIN, INT16_MAX));
}
mx::Gain atten(double db) {
    return std::min(mx::dbfs_to_gain(db), mx::kUnityGain);
}

// The model: what the engine should hold, and the reference mix over it.
struct Reference {
    EngineConfig config;
    std::map<MemberId, RefMember> members;
    std::map<GroupId, mx::Gain> parent;  // sidebars only
    std::map<ChannelId, MemberId> channels;
    std::map<MemberId, bool> talks;  // after the last tick

    int channels_of(MemberId id) const {
        return int(std::count_if(channels.begin(), channels.end(),
                                 [&](const auto& c) { return c.second == id; }));
    }

    void update_gates(const TickInput& in) {
        for (auto& [id, m] : members) {
            const auto v = in.voice.find(id);
            const double db = v == in.voice.end() ? -200.0 : sidebar::audio::rms_dbfs(v->second);
            if (db >= config.gate_threshold_dbfs) {
                m.hang = config.gate_hangover_ticks;
                talks[id] = true;
            } else if (m.hang > 0) {
                --m.hang;
                talks[id] = true;
            } else {
                talks[id] = false;
            }
        }
    }

    bool contributes(MemberId id, const TickInput& in) const {
        const RefMember& m = members.at(id);
        return talks.at(id) && in.voice.count(id) && !m.muted && m.in > 0 &&
               !(config.withhold_voice_on_channel && channels_of(id) > 0);
    }

    // Everything heard in `group` except `except`, before the listener's gain.
    std::vector<int64_t> heard_in(GroupId group, std::optional<MemberId> except,
                                  const TickInput& in) const {
        std::vector<int64_t> acc(kFrame, 0);
        for (const auto& [id, m] : members) {
            if (m.group != group || id == except || !contributes(id, in)) continue;
            for (std::size_t i = 0; i < kFrame; ++i)
                acc[i] += scaled(in.voice.at(id)[i], m.in);
        }
        if (const auto a = in.group_ann.find(group); a != in.group_ann.end())
            for (const Frame& f : a->second)
                for (std::size_t i = 0; i < kFrame; ++i)
                    acc[i] += f[i];
        if (group != kMainGroup && parent.at(group) > 0) {
            const auto main = heard_in(kMainGroup, std::nullopt, in);
            for (std::size_t i = 0; i < kFrame; ++i)
                acc[i] += scaled(clamp_mix(main[i]), parent.at(group));
        }
        return acc;
    }

    Frame listener(MemberId id, const TickInput& in) const {
        const RefMember& m = members.at(id);
        Frame out{};
        if (m.deaf) return out;
        const auto room = heard_in(m.group, id, in);
        const int chans = channels_of(id);
        const auto ann = in.member_ann.find(id);
        if (chans == 0 && ann == in.member_ann.end()) {
            for (std::size_t i = 0; i < kFrame; ++i)
                out[i] = sat(scaled(clamp_mix(room[i]), m.out));
            return out;
        }
        const mx::Gain room_gain =
            chans > 0 ? mx::Gain(scaled(m.out, atten(config.duck_db))) : m.out;
        std::vector<int64_t> acc(kFrame);
        for (std::size_t i = 0; i < kFrame; ++i)
            acc[i] = scaled(clamp_mix(room[i]), room_gain);
        if (ann != in.member_ann.end())
            for (const Frame& f : ann->second)
                for (std::size_t i = 0; i < kFrame; ++i)
                    acc[i] += f[i];
        for (const auto& [cid, owner] : channels)
            if (owner == id && in.channel.count(cid))
                for (std::size_t i = 0; i < kFrame; ++i)
                    acc[i] += in.channel.at(cid)[i];
        for (std::size_t i = 0; i < kFrame; ++i)
            out[i] = sat(acc[i]);
        return out;
    }

    Frame group_full(GroupId group, const TickInput& in) const {
        const auto acc = heard_in(group, std::nullopt, in);
        Frame out{};
        for (std::size_t i = 0; i < kFrame; ++i)
            out[i] = sat(acc[i]);
        return out;
    }
};

template <typename Map>
auto pick(std::mt19937& rng, const Map& map) {
    auto it = map.begin();
    std::advance(it, std::uniform_int_distribution<std::size_t>(0, map.size() - 1)(rng));
    return it->first;
}

Frame random_voice(std::mt19937& rng) {
    const bool loud = rng() % 2 == 0;
    const int amp = loud ? int(rng() % 32000) + 800 : 4;
    std::uniform_int_distribution<int> d(-amp, amp);
    Frame f{};
    for (auto& s : f)
        s = static_cast<int16_t>(d(rng));
    return f;
}

const double kInGains[] = {0.0, -6.0, 6.0, -3.5, -INFINITY};
const double kOutGains[] = {0.0, -6.0, -20.0, -INFINITY};
const std::optional<double> kParents[] = {std::nullopt, -12.0, -6.0, 0.0, -30.0};

void random_operation(std::mt19937& rng, MixEngine& e, Reference& ref) {
    const auto pick_member = [&]() -> std::optional<MemberId> {
        if (ref.members.empty()) return std::nullopt;
        return pick(rng, ref.members);
    };
    switch (rng() % 12) {
        case 0:
        case 1: {
            const MemberId id = rng() % 24 + 1;
            CHECK(e.add_member(id) == (ref.members.count(id) == 0));
            if (!ref.members.count(id)) ref.members[id] = RefMember{};
            break;
        }
        case 2:
            if (auto id = pick_member()) {
                e.remove_member(*id);
                ref.members.erase(*id);
                std::erase_if(ref.channels, [&](const auto& c) { return c.second == *id; });
            }
            break;
        case 3: {
            const auto pg = kParents[rng() % 5];
            const GroupId g = e.create_sidebar(pg);
            REQUIRE(g != kMainGroup);
            ref.parent[g] = pg ? atten(*pg) : 0;
            break;
        }
        case 4:
            if (!ref.parent.empty() && rng() % 3 == 0) {
                const GroupId g = pick(rng, ref.parent);
                e.dissolve_sidebar(g);
                ref.parent.erase(g);
                for (auto& [id, m] : ref.members)
                    if (m.group == g) m.group = kMainGroup;
            }
            break;
        case 5:
            if (auto id = pick_member()) {
                GroupId g = kMainGroup;
                if (!ref.parent.empty() && rng() % 4 != 0) g = pick(rng, ref.parent);
                CHECK(e.move_member(*id, g));
                ref.members[*id].group = g;
                CHECK_FALSE(e.move_member(*id, 100000));
            }
            break;
        case 6:
            if (auto id = pick_member()) {
                const bool on = rng() % 2 == 0;
                e.set_muted(*id, on);
                ref.members[*id].muted = on;
            }
            break;
        case 7:
            if (auto id = pick_member()) {
                const bool on = rng() % 4 == 0;
                e.set_deaf(*id, on);
                ref.members[*id].deaf = on;
            }
            break;
        case 8:
            if (auto id = pick_member()) {
                const double db = kInGains[rng() % 5];
                e.set_input_gain(*id, db);
                ref.members[*id].in = mx::dbfs_to_gain(db);
            }
            break;
        case 9:
            if (auto id = pick_member()) {
                const double db = kOutGains[rng() % 4];
                e.set_output_gain(*id, db);
                ref.members[*id].out = atten(db);
            }
            break;
        case 10:
            if (!ref.channels.empty() && rng() % 2 == 0) {
                const ChannelId c = pick(rng, ref.channels);
                e.close_channel(c);
                ref.channels.erase(c);
            } else if (auto id = pick_member()) {
                const ChannelId c = e.open_channel(*id);
                if (c != 0) ref.channels[c] = *id;
                CHECK((c != 0) == (ref.channels_of(*id) <= int(kMaxChannelsPerMember)));
            }
            break;
        default:
            if (!ref.parent.empty()) {
                const GroupId g = pick(rng, ref.parent);
                const auto pg = kParents[rng() % 5];
                CHECK(e.set_parent_gain(g, pg));
                ref.parent[g] = pg ? atten(*pg) : 0;
            }
            break;
    }
}

TickInput random_inputs(std::mt19937& rng, MixEngine& e, const Reference& ref) {
    TickInput in;
    for (const auto& [id, m] : ref.members)
        if (rng() % 5 != 0) e.put_input(id, in.voice[id] = random_voice(rng));
    for (const auto& [c, owner] : ref.channels)
        if (rng() % 3 != 0) e.put_channel_input(c, in.channel[c] = random_voice(rng));
    if (rng() % 8 == 0) {
        const GroupId g = ref.parent.empty() || rng() % 2 ? kMainGroup : pick(rng, ref.parent);
        in.group_ann[g].push_back(random_voice(rng));
        e.add_group_announcement(g, in.group_ann[g].back());
    }
    if (!ref.members.empty() && rng() % 8 == 0) {
        const MemberId id = pick(rng, ref.members);
        for (int k = 0; k < 2; ++k) {
            in.member_ann[id].push_back(random_voice(rng));
            e.add_member_announcement(id, in.member_ann[id].back());
        }
    }
    return in;
}

void check_tick(const MixEngine& e, const Reference& ref, const TickInput& in) {
    std::map<uint64_t, Frame> by_key;
    std::map<std::pair<GroupId, mx::Gain>, uint64_t> idle_keys;
    for (const auto& [id, m] : ref.members) {
        const ListenerOutput out = e.output(id);
        const Frame got = copy_of(out.pcm);
        REQUIRE(got == ref.listener(id, in));
        CHECK(e.group_of(id) == m.group);
        CHECK(e.is_talking(id) == ref.talks.at(id));
        const auto [it, fresh] = by_key.emplace(out.share_key, got);
        if (!fresh) REQUIRE(it->second == got);
        if (out.share_key == 0) REQUIRE(is_zero(out.pcm));
        const bool idle = !m.deaf && !ref.contributes(id, in) && ref.channels_of(id) == 0 &&
                          !in.member_ann.count(id);
        if (idle && out.share_key != 0) {
            const auto [k, first] =
                idle_keys.emplace(std::make_pair(m.group, m.out), out.share_key);
            if (!first) CHECK(k->second == out.share_key);
        }
    }
    for (const auto& [c, owner] : ref.channels) {
        const auto v = in.voice.find(owner);
        REQUIRE(copy_of(e.channel_output(c)) == (v == in.voice.end() ? Frame{} : v->second));
    }
    REQUIRE(copy_of(e.group_mix(kMainGroup)) == ref.group_full(kMainGroup, in));
    for (const auto& [g, pg] : ref.parent) {
        REQUIRE(copy_of(e.group_mix(g)) == ref.group_full(g, in));
        auto members = e.members_of(g);
        std::sort(members.begin(), members.end());
        std::vector<MemberId> expected;
        for (const auto& [id, m] : ref.members)
            if (m.group == g) expected.push_back(id);
        CHECK(members == expected);
    }
    CHECK(e.member_count() == ref.members.size());
}

}  // namespace

TEST_CASE("random operations: the engine equals a brute-force gain-matrix mixer",
          "[engine][property][privacy]") {
    for (uint32_t seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        Reference ref;
        ref.config.gate_hangover_ticks = int(rng() % 4);
        ref.config.withhold_voice_on_channel = seed % 3 != 0;
        ref.config.duck_db = seed % 2 ? -10.0 : -3.0;
        MixEngine engine(ref.config);
        for (int tick = 0; tick < 150; ++tick) {
            CAPTURE(tick);
            const int ops = int(rng() % 4);
            for (int k = 0; k < ops; ++k)
                random_operation(rng, engine, ref);
            const TickInput in = random_inputs(rng, engine, ref);
            ref.update_gates(in);
            engine.mix();
            check_tick(engine, ref, in);
        }
    }
}
