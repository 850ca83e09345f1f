// Rule-based privacy test (issue 5). Random room operations over up to 12 members and 4 sidebars;
// after every step the engine's effective gain matrix is MEASURED by probing (one mix() in which
// only one source has input) and checked against the rules of DESIGN.md section 4, written out
// here on their own rather than through the brute-force mixer of mix_engine_property_test.cpp, so
// that a mistake shared by the engine and that reference cannot hide a leak. Forbidden paths must
// be exactly zero: a single non-zero sample from a sidebar member in the wrong place fails.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test/mixer/engine/engine_test_support.hpp"
#include "test/mixer/engine/privacy_model.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;
using namespace sidebar::mixer::test::privacy;

namespace {

constexpr double kProbePeak = 16384;  // -6 dBFS: far above the default gate threshold
constexpr double kMultiPeak = 3000;   // four of these still sum without saturating

Frame sine(double hz, double peak) {
    Frame f{};
    for (std::size_t i = 0; i < kFrame; ++i)
        f[i] = static_cast<int16_t>(
            std::lround(peak * std::sin(2.0 * std::numbers::pi * hz * double(i) / 16000.0)));
    return f;
}

// Raw loops: these run over every output of every probe, and span iterators at -O0 under ASan
// cost more than the engine's mix() itself.
double energy(ConstFrame pcm) {
    const int16_t* p = pcm.data();
    int64_t e = 0;
    for (std::size_t i = 0; i < kFrame; ++i)
        e += int32_t{p[i]} * p[i];
    return double(e);
}

// The index of the first non-zero sample, or kFrame.
std::size_t first_nonzero(ConstFrame pcm) {
    const int16_t* p = pcm.data();
    std::size_t i = 0;
    while (i < kFrame && p[i] == 0)
        ++i;
    return i;
}

// The probe inputs of one mix(): member voices and IVR prompts.
struct Probe {
    std::map<MemberId, Frame> voice;
    std::map<ChannelId, Frame> ivr;
};

void run(MixEngine& e, const Probe& p) {
    for (const auto& [id, f] : p.voice)
        e.put_input(id, f);
    for (const auto& [c, f] : p.ivr)
        e.put_channel_input(c, f);
    e.mix();
}

// A listener or source, named only when a check fails (naming every pair costs more than the
// mixing under ASan).
struct Who {
    enum class Kind { member, recorder, ivr } kind;
    uint32_t id;
};

std::string name(const Model& m, Who w) {
    switch (w.kind) {
        case Who::Kind::member:
            return m.who(w.id);
        case Who::Kind::recorder:
            return "recorder of " + (w.id == kMainGroup ? "main" : "S" + std::to_string(w.id));
        default:
            return "IVR of channel " + std::to_string(w.id) +
                   (m.channels.count(w.id) ? " to " + m.who(m.channels.at(w.id)) : "");
    }
}

std::string name(const Model& m, const Probe& p) {
    std::string s;
    for (const auto& [id, f] : p.voice)
        s += m.who(id) + " + ";
    for (const auto& [c, f] : p.ivr)
        s += name(m, Who{Who::Kind::ivr, c}) + " + ";
    return s.substr(0, s.size() - 3);
}

Who member(MemberId id) {
    return Who{Who::Kind::member, id};
}
Who recorder(GroupId g) {
    return Who{Who::Kind::recorder, g};
}
Who ivr(ChannelId c) {
    return Who{Who::Kind::ivr, c};
}

// One output of a single-source probe against the rule gain `want`.
void check_single(Trace& t, const Model& m, ConstFrame out, double in_energy, double want,
                  Who listener, Who source) {
    ++t.checks;
    if (want == 0) {
        ++t.exact_zero;
        const std::size_t nz = first_nonzero(out);
        if (nz != kFrame)
            FAIL(t.where(name(m, listener), name(m, source),
                         "must hear nothing, but sample " + std::to_string(nz) + " = " +
                             std::to_string(out[nz]) + " (gain " +
                             std::to_string(10 * std::log10(energy(out) / in_energy)) + " dB)"));
        return;
    }
    const double got_db = 10 * std::log10(energy(out) / in_energy);
    const double want_db = 20 * std::log10(want);
    if (!(std::abs(got_db - want_db) <= (want == 1 ? 0.1 : 0.2)))
        FAIL(t.where(name(m, listener), name(m, source),
                     "gain " + std::to_string(got_db) + " dB, the rules say " +
                         std::to_string(want_db) + " dB"));
}

// What every IVR must carry after probe p: its own member's voice exactly as it came in (mute
// is about the room), or all zeros; never another member, never an IVR.
void check_channels(const MixEngine& e, const Model& m, Trace& t, const Probe& p) {
    for (const auto& [c, owner] : m.channels) {
        ++t.checks;
        const auto it = p.voice.find(owner);
        if (copy_of(e.channel_output(c)) != (it == p.voice.end() ? Frame{} : it->second))
            FAIL(t.where(name(m, ivr(c)), name(m, p),
                         "must carry exactly its own member's voice and nothing else"));
    }
}

void check_member_source(MixEngine& e, const Model& m, Trace& t, MemberId s, double ex) {
    const MemberState& ms = m.members.at(s);
    for (const auto& [l, ml] : m.members) {
        const ListenerOutput out = e.output(l);
        if (out.share_key == 0 && first_nonzero(out.pcm) != kFrame)
            FAIL(t.where(m.who(l), m.who(s), "share key 0 with non-zero pcm"));
        const double want = m.member_gain(l, s);
        check_single(t, m, out.pcm, ex, want, member(l), member(s));
        if (ms.group != kMainGroup && ml.group != ms.group) ++t.sidebar_forbidden;
        if (want > 0 && ml.group != ms.group) ++t.parent_heard;
        if (want > 0 && m.channels_of(l) > 0) ++t.ducked;
    }
    check_single(t, m, e.group_mix(kMainGroup), ex, m.group_gain(kMainGroup, s),
                 recorder(kMainGroup), member(s));
    for (const auto& [g, pg] : m.sidebars)
        check_single(t, m, e.group_mix(g), ex, m.group_gain(g, s), recorder(g), member(s));
}

void check_ivr_source(MixEngine& e, const Model& m, Trace& t, ChannelId c, double ex) {
    for (const auto& [l, ml] : m.members)
        check_single(t, m, e.output(l).pcm, ex, m.channel_gain(l, c), member(l), ivr(c));
    check_single(t, m, e.group_mix(kMainGroup), ex, 0, recorder(kMainGroup), ivr(c));
    for (const auto& [g, pg] : m.sidebars)
        check_single(t, m, e.group_mix(g), ex, 0, recorder(g), ivr(c));
}

// Probes every source alone (each member's voice, each channel's IVR) and checks every listener:
// members, the groups' recorder mixes and the IVRs.
void probe_singles(MixEngine& e, const Model& m, Trace& t) {
    static const Frame x = sine(1000, kProbePeak);
    static const double ex = energy(x);
    for (const auto& [s, ms] : m.members) {
        const Probe p{{{s, x}}, {}};
        run(e, p);
        check_member_source(e, m, t, s, ex);
        check_channels(e, m, t, p);
    }
    for (const auto& [c, owner] : m.channels) {
        const Probe p{{}, {{c, x}}};
        run(e, p);
        check_ivr_source(e, m, t, c, ex);
        check_channels(e, m, t, p);
    }
    for (MemberId id = 1; id <= kIds; ++id)
        if (!m.members.count(id) && (!is_zero(e.output(id).pcm) || e.output(id).share_key != 0))
            FAIL(t.where(m.who(id), "any", "a member that left must hear silence"));
}

// Several sources at once (voices of different groups, sometimes two of one group, sometimes an
// IVR): each listener must get the rule-weighted sum, so a mix-minus that subtracts the wrong
// voice or adds another group's sum shows up. All-forbidden listeners must be exactly silent.
Probe multi_probe(std::mt19937& rng, const Model& m) {
    std::vector<MemberId> ids;
    for (const auto& [id, ms] : m.members)
        ids.push_back(id);
    std::shuffle(ids.begin(), ids.end(), rng);
    Probe p;
    std::vector<GroupId> groups;
    double hz = 430;
    for (MemberId id : ids) {
        const GroupId g = m.members.at(id).group;
        const bool new_group = std::find(groups.begin(), groups.end(), g) == groups.end();
        if (!new_group && rng() % 3 != 0) continue;
        groups.push_back(g);
        p.voice[id] = sine(hz += 310, kMultiPeak);
        if (p.voice.size() == 4) break;
    }
    if (!m.channels.empty() && rng() % 2 == 0) {
        auto it = m.channels.begin();
        std::advance(it, rng() % m.channels.size());
        p.ivr[it->first] = sine(hz += 310, kMultiPeak);
    }
    return p;
}

using Parts = std::vector<std::pair<double, const Frame*>>;  // rule gain, source frame

void check_sum(Trace& t, const Model& m, ConstFrame out, const Parts& parts, Who listener,
               const Probe& p) {
    ++t.checks;
    ++t.multi;
    const auto fail = [&](std::size_t i, double want) {
        FAIL(t.where(name(m, listener), name(m, p),
                     "sample " + std::to_string(i) + " = " + std::to_string(out[i]) +
                         ", the rules say " + std::to_string(want)));
    };
    if (std::all_of(parts.begin(), parts.end(), [](auto& q) { return q.first == 0; })) {
        ++t.exact_zero;
        if (const std::size_t nz = first_nonzero(out); nz != kFrame) fail(nz, 0);
        return;
    }
    std::array<double, kFrame> want{};
    for (const auto& [g, f] : parts)
        for (std::size_t i = 0; i < kFrame; ++i)
            want[i] += g * (*f)[i];
    const int16_t* o = out.data();
    for (std::size_t i = 0; i < kFrame; ++i)
        // Each Q15 stage rounds by half a step; a leaked source would be off by hundreds.
        if (std::abs(o[i] - want[i]) > 4 + 1e-3 * std::abs(want[i])) fail(i, want[i]);
}

void probe_multi(MixEngine& e, const Model& m, Trace& t, const Probe& p) {
    run(e, p);
    const auto parts = [&](auto gain_of_member, auto gain_of_channel) {
        Parts v;
        for (const auto& [id, f] : p.voice)
            v.emplace_back(gain_of_member(id), &f);
        for (const auto& [c, f] : p.ivr)
            v.emplace_back(gain_of_channel(c), &f);
        return v;
    };
    const auto no_ivr = [](ChannelId) { return 0.0; };
    for (const auto& [l, ml] : m.members)
        check_sum(t, m, e.output(l).pcm,
                  parts([&](MemberId s) { return m.member_gain(l, s); },
                        [&](ChannelId c) { return m.channel_gain(l, c); }),
                  member(l), p);
    check_sum(t, m, e.group_mix(kMainGroup),
              parts([&](MemberId s) { return m.group_gain(kMainGroup, s); }, no_ivr),
              recorder(kMainGroup), p);
    for (const auto& [g, pg] : m.sidebars)
        check_sum(t, m, e.group_mix(g),
                  parts([&](MemberId s) { return m.group_gain(g, s); }, no_ivr), recorder(g), p);
    check_channels(e, m, t, p);
}

}  // namespace

TEST_CASE("privacy: the measured gain matrix obeys the room rules after every random operation",
          "[engine][privacy]") {
    constexpr uint32_t kSeeds = 20;
    constexpr int kSteps = 300;
    const auto start = std::chrono::steady_clock::now();
    Trace total;
    for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
        Model m;
        m.config.gate_hangover_ticks = int(seed % 3) * 7;  // 0, 7, 14: hangover must not leak
        m.config.withhold_voice_on_channel = seed % 5 != 0;
        m.config.duck_db = seed % 4 == 0 ? 0.0 : seed % 4 == 1 ? -10.0 : -3.0;
        if (seed % 7 == 0) m.config.default_parent_gain_db = std::nullopt;
        MixEngine e(m.config);
        std::mt19937 rng(seed);
        Trace t;
        t.seed = seed;
        for (t.step = 0; t.step < kSteps; ++t.step) {
            random_op(rng, e, m, t);
            check_structure(e, m, t);
            probe_singles(e, m, t);
            if (t.step % 3 == 0 && !m.members.empty()) probe_multi(e, m, t, multi_probe(rng, m));
        }
        total.add(t);
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    WARN(kSeeds << " seeds x " << kSteps << " steps: " << total.checks << " checks ("
                << total.exact_zero << " exact zeros, " << total.sidebar_forbidden
                << " sidebar voices outside their sidebar, " << total.parent_heard
                << " at parent gain, " << total.ducked << " ducked, " << total.multi
                << " multi-source) in " << ms.count() << " ms");
    // The walk must actually reach the interesting states, or the test proves little.
    CHECK(total.sidebar_forbidden > 20000);
    CHECK(total.multi > 10000);
}

TEST_CASE("privacy: a sidebar past the engine's limit is refused", "[engine][privacy]") {
    MixEngine e;
    e.add_member(1);
    for (std::size_t i = 0; i < kMaxSidebars; ++i)
        REQUIRE(e.create_sidebar() != kMainGroup);
    CHECK(e.create_sidebar() == kMainGroup);
    CHECK(e.sidebars().size() == kMaxSidebars);
    CHECK(e.group_of(1) == kMainGroup);
}
