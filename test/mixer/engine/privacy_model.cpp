// The privacy test's random operations: each is applied to the engine and to the model, and the
// engine's answer must be the model's (refused where the model says the operation makes no sense:
// moving into a dissolved sidebar, a fifth channel, a parent gain for the main room, ...).
#include "test/mixer/engine/privacy_model.hpp"

#include <catch2/catch.hpp>

namespace sidebar::mixer::test::privacy {

namespace {

template <typename Map>
auto key_of(std::mt19937& rng, const Map& map) {
    auto it = map.begin();
    std::advance(it, rng() % map.size());
    return it->first;
}

// Usually a member in the room, sometimes one that is not (the operation must then do nothing).
MemberId any_id(std::mt19937& rng, const Model& m) {
    if (!m.members.empty() && rng() % 6 != 0) return key_of(rng, m.members);
    return MemberId(rng() % kIds + 1);
}

// A sidebar id that does not exist: a dissolved one, or one never created.
GroupId dead_group(std::mt19937& rng, const Model& m) {
    if (!m.dissolved.empty() && rng() % 4 != 0) return m.dissolved[rng() % m.dissolved.size()];
    return 100000;
}

const std::optional<double> kParents[] = {-12.0, -6.0, 0.0, -30.0, std::nullopt};

std::string db_text(std::optional<double> db) {
    return db ? std::to_string(int(*db)) + " dB" : "off";
}

std::string group_text(GroupId g) {
    return g == kMainGroup ? "main" : "S" + std::to_string(g);
}

std::string answer(bool ok) {
    return ok ? " -> ok" : " -> refused";
}

void expect(const Trace& t, bool got, bool want, const std::string& op) {
    if (got != want)
        FAIL(t.where("-", "-",
                     op + ": engine " + (got ? "accepted" : "refused") + ", model says " +
                         (want ? "accept" : "refuse")));
}

void forget_channels_of(Model& m, MemberId id) {
    for (auto it = m.channels.begin(); it != m.channels.end();) {
        if (it->second != id) {
            ++it;
            continue;
        }
        m.closed.push_back(it->first);
        it = m.channels.erase(it);
    }
}

void create(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    // The engine allows kMaxSidebars; the test keeps to 4 (its refusal has a test of its own).
    if (m.sidebars.size() >= kCap) return t.note("create skipped: 4 sidebars exist");
    const bool by_default = rng() % 5 == 0;
    const auto pg = by_default ? m.config.default_parent_gain_db : kParents[rng() % 5];
    const GroupId g = by_default ? e.create_sidebar() : e.create_sidebar(pg);
    const bool fresh = g != kMainGroup && !m.sidebars.count(g) &&
                       std::find(m.dissolved.begin(), m.dissolved.end(), g) == m.dissolved.end();
    if (!fresh) FAIL(t.where("-", "-", "create_sidebar gave a used id " + std::to_string(g)));
    m.sidebars[g] = pg;
    t.note("create S" + std::to_string(g) + " parent " + db_text(pg) +
           (by_default ? " (default)" : ""));
}

void move_in(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    const MemberId id = any_id(rng, m);
    const bool dead = m.sidebars.empty() || rng() % 5 == 0;
    const GroupId g = dead ? dead_group(rng, m) : key_of(rng, m.sidebars);
    const std::string op = "move m" + std::to_string(id) + " into " + group_text(g) +
                           (dead ? " (no such sidebar)" : "");
    const bool want = !dead && m.members.count(id);
    const bool ok = e.move_member(id, g);
    expect(t, ok, want, op);
    if (want) m.members[id].group = g;
    t.note(op + answer(ok));
}

void move_out(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    const MemberId id = any_id(rng, m);
    const std::string op = "move m" + std::to_string(id) + " out to main";
    const bool ok = e.move_member(id, kMainGroup);
    expect(t, ok, m.members.count(id) != 0, op);
    if (ok) m.members[id].group = kMainGroup;
    t.note(op + answer(ok));
}

void dissolve(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    if (m.sidebars.empty() || rng() % 3 == 0) {
        // Dissolving the main room or a sidebar that is gone must change nothing.
        const GroupId g = rng() % 2 ? kMainGroup : dead_group(rng, m);
        e.dissolve_sidebar(g);
        return t.note("dissolve " + group_text(g) + " (no-op)");
    }
    const GroupId g = key_of(rng, m.sidebars);
    e.dissolve_sidebar(g);
    for (auto& [id, ms] : m.members)
        if (ms.group == g) ms.group = kMainGroup;
    m.sidebars.erase(g);
    m.dissolved.push_back(g);
    t.note("dissolve S" + std::to_string(g));
}

void open_channel(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    const MemberId id = any_id(rng, m);
    const ChannelId c = e.open_channel(id);
    const std::string op = "open channel to m" + std::to_string(id);
    expect(t, c != 0, m.members.count(id) && m.channels_of(id) < int(kMaxChannelsPerMember), op);
    if (c != 0) {
        if (m.channels.count(c) || std::find(m.closed.begin(), m.closed.end(), c) != m.closed.end())
            FAIL(t.where("-", "-", op + " gave a used channel id " + std::to_string(c)));
        m.channels[c] = id;
    }
    t.note(op + (c ? " -> channel " + std::to_string(c) : " -> refused"));
}

void close_channel(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    if (m.channels.empty() || rng() % 4 == 0) {
        const ChannelId c = m.closed.empty() ? 0 : m.closed[rng() % m.closed.size()];
        e.close_channel(c);
        return t.note("close channel " + std::to_string(c) + " (closed already: no-op)");
    }
    const ChannelId c = key_of(rng, m.channels);
    e.close_channel(c);
    t.note("close channel " + std::to_string(c) + " of m" + std::to_string(m.channels[c]));
    m.channels.erase(c);
    m.closed.push_back(c);
}

void parent_gain(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    const auto pg = kParents[rng() % 5];
    const bool live = !m.sidebars.empty() && rng() % 4 != 0;
    const GroupId g = live ? key_of(rng, m.sidebars) : rng() % 2 ? kMainGroup : dead_group(rng, m);
    const std::string op = "parent gain of " + group_text(g) + " = " + db_text(pg);
    const bool ok = e.set_parent_gain(g, pg);
    expect(t, ok, live, op);
    if (live) m.sidebars[g] = pg;
    t.note(op + answer(ok));
}

}  // namespace

void random_op(std::mt19937& rng, MixEngine& e, Model& m, Trace& t) {
    switch (rng() % 16) {
        case 0:
        case 1: {
            const MemberId id = MemberId(rng() % kIds + 1);
            const bool ok = e.add_member(id);
            expect(t, ok, !m.members.count(id), "join m" + std::to_string(id));
            if (ok) m.members[id] = MemberState{};
            return t.note("join m" + std::to_string(id) + answer(ok));
        }
        case 2: {
            const MemberId id = any_id(rng, m);
            e.remove_member(id);
            t.note("leave " + m.who(id));
            m.members.erase(id);
            return forget_channels_of(m, id);
        }
        case 3:
        case 4:
            return create(rng, e, m, t);
        case 5:
        case 6:
        case 7:
            return move_in(rng, e, m, t);
        case 8:
            return move_out(rng, e, m, t);
        case 9:
            return dissolve(rng, e, m, t);
        case 10:
        case 11: {
            const MemberId id = any_id(rng, m);
            const bool on = rng() % 2 == 0;
            if (rng() % 3 == 0) {
                e.set_deaf(id, on);
                if (m.members.count(id)) m.members[id].deaf = on;
                return t.note((on ? "deaf " : "undeaf ") + m.who(id));
            }
            e.set_muted(id, on);
            if (m.members.count(id)) m.members[id].muted = on;
            return t.note((on ? "mute " : "unmute ") + m.who(id));
        }
        case 12:
        case 13:
            return open_channel(rng, e, m, t);
        case 14:
            return close_channel(rng, e, m, t);
        default:
            return parent_gain(rng, e, m, t);
    }
}

void check_structure(const MixEngine& e, const Model& m, const Trace& t) {
    const auto fail = [&](const std::string& what) { FAIL(t.where("-", "-", what)); };
    if (e.member_count() != m.members.size()) fail("member count differs from the model");
    for (MemberId id = 1; id <= kIds; ++id) {
        const auto it = m.members.find(id);
        if (e.has_member(id) != (it != m.members.end()))
            fail("membership of m" + std::to_string(id));
        if (it == m.members.end()) continue;
        if (e.group_of(id) != it->second.group || e.is_muted(id) != it->second.muted ||
            e.is_deaf(id) != it->second.deaf)
            fail("state of " + m.who(id) + " differs from the model");
    }
    std::vector<GroupId> ids;
    for (const auto& [g, pg] : m.sidebars)
        ids.push_back(g);
    if (e.sidebars() != ids) fail("sidebar list differs from the model");
    for (const GroupId g : m.dissolved)
        if (e.has_group(g)) fail("dissolved S" + std::to_string(g) + " still exists");
    for (const auto& [c, owner] : m.channels)
        if (!e.has_channel(c)) fail("channel " + std::to_string(c) + " should be open");
    for (const ChannelId c : m.closed)
        if (e.has_channel(c)) fail("channel " + std::to_string(c) + " should be closed");
}

}  // namespace sidebar::mixer::test::privacy
