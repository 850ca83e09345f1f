// The mixing engine's room rules with real signals (DESIGN.md section 4): every member talks its
// own sine and a Goertzel meter checks what each listener hears. Privacy checks are exact: the
// output must equal the output of a room without the member that must not be heard.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "test/mixer/engine/engine_test_support.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;

namespace {

constexpr double kA = 440, kB = 1130, kC = 1570, kD = 2210;
constexpr double kAbsent = -60.0;  // Hann leakage of the other tones stays far below this

void four_members(ToneRoom& room) {
    room.add(1, kA);
    room.add(2, kB);
    room.add(3, kC);
    room.add(4, kD);
}

}  // namespace

TEST_CASE("main room: everyone hears the others at unity, never itself", "[engine]") {
    ToneRoom room;
    four_members(room);
    room.tick(2);
    const double hz[] = {kA, kB, kC, kD};
    for (MemberId l = 1; l <= 4; ++l) {
        for (MemberId s = 1; s <= 4; ++s) {
            const double got = room.hears(l, hz[s - 1]);
            if (l == s) {
                CHECK(got < kAbsent);
            } else {
                CHECK(got == Approx(kToneDbfs).margin(0.5));
            }
        }
        CHECK(room.engine.is_talking(l));
        CHECK(room.engine.input_level_dbfs(l) == Approx(kToneDbfs).margin(0.2));
    }
    CHECK(room.engine.member_count() == 4);
    CHECK_FALSE(room.engine.add_member(1));
    // The recorder's mix has all four.
    for (double f : hz)
        CHECK(level(room.engine.group_mix(kMainGroup), f) == Approx(kToneDbfs).margin(0.5));
}

TEST_CASE(
    "sidebar: members hear each other at unity and main at -12 dB; main hears nothing of "
    "them",
    "[engine][privacy]") {
    ToneRoom room;
    ToneRoom without;  // the same main room, with no sidebar members at all
    four_members(room);
    without.add(3, kC);
    without.add(4, kD);
    const GroupId sb = room.engine.create_sidebar();
    REQUIRE(sb != kMainGroup);
    REQUIRE(room.engine.move_member(1, sb));
    REQUIRE(room.engine.move_member(2, sb));
    CHECK(room.engine.group_of(1) == sb);
    room.tick(3);
    without.tick(3);

    CHECK(room.hears(1, kB) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(1, kA) < kAbsent);
    CHECK(room.hears(1, kC) == Approx(kToneDbfs - 12).margin(0.5));
    CHECK(room.hears(1, kD) == Approx(kToneDbfs - 12).margin(0.5));
    CHECK(room.hears(2, kA) == Approx(kToneDbfs).margin(0.5));
    for (MemberId l : {3u, 4u}) {
        const Frame got = copy_of(room.engine.output(l).pcm);
        CHECK(got == copy_of(without.engine.output(l).pcm));
        CHECK(room.hears(l, kA) < kAbsent);
    }
    CHECK(copy_of(room.engine.group_mix(kMainGroup)) ==
          copy_of(without.engine.group_mix(kMainGroup)));
    CHECK(level(room.engine.group_mix(sb), kA) == Approx(kToneDbfs).margin(0.5));
    CHECK(level(room.engine.group_mix(sb), kC) == Approx(kToneDbfs - 12).margin(0.5));

    SECTION("parent gain changed, then off") {
        REQUIRE(room.engine.set_parent_gain(sb, -6.0));
        room.tick();
        CHECK(room.hears(1, kC) == Approx(kToneDbfs - 6).margin(0.5));
        REQUIRE(room.engine.set_parent_gain(sb, std::nullopt));
        room.tick();
        CHECK(room.hears(1, kC) < kAbsent);
        CHECK(room.hears(1, kB) == Approx(kToneDbfs).margin(0.5));
        CHECK_FALSE(room.engine.set_parent_gain(kMainGroup, -6.0));
        CHECK_FALSE(room.engine.set_parent_gain(999, -6.0));
    }
    SECTION("dissolve returns the members to the main room") {
        room.engine.dissolve_sidebar(sb);
        CHECK_FALSE(room.engine.has_group(sb));
        CHECK(room.engine.group_of(1) == kMainGroup);
        CHECK(room.engine.members_of(kMainGroup).size() == 4);
        CHECK_FALSE(room.engine.move_member(1, sb));
        room.tick();
        CHECK(room.hears(3, kA) == Approx(kToneDbfs).margin(0.5));
        CHECK(room.hears(1, kC) == Approx(kToneDbfs).margin(0.5));
    }
    SECTION("moving back to main") {
        REQUIRE(room.engine.move_member(2, kMainGroup));
        room.tick();
        CHECK(room.hears(3, kB) == Approx(kToneDbfs).margin(0.5));
        CHECK(room.hears(3, kA) < kAbsent);
        CHECK(room.engine.members_of(sb) == std::vector<MemberId>{1});
    }
}

TEST_CASE("a sidebar created with parent off hears nothing of main", "[engine][privacy]") {
    ToneRoom room;
    four_members(room);
    const GroupId sb = room.engine.create_sidebar(std::nullopt);
    room.engine.move_member(1, sb);
    room.engine.move_member(2, sb);
    room.tick();
    CHECK(room.hears(1, kB) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(1, kC) < kAbsent);
    CHECK(room.hears(1, kD) < kAbsent);
}

TEST_CASE("two sidebars hear nothing of each other", "[engine][privacy]") {
    ToneRoom room;
    ToneRoom without;  // sidebar T's members absent
    four_members(room);
    room.add(5, 3000);
    without.add(1, kA);
    without.add(2, kB);
    without.add(5, 3000);
    const GroupId s = room.engine.create_sidebar();
    const GroupId t = room.engine.create_sidebar();
    const GroupId s2 = without.engine.create_sidebar();
    room.engine.move_member(1, s);
    room.engine.move_member(2, s);
    room.engine.move_member(3, t);
    room.engine.move_member(4, t);
    without.engine.move_member(1, s2);
    without.engine.move_member(2, s2);
    room.tick(2);
    without.tick(2);
    for (MemberId l : {1u, 2u, 5u})
        CHECK(copy_of(room.engine.output(l).pcm) == copy_of(without.engine.output(l).pcm));
    CHECK(room.hears(1, kC) < kAbsent);
    CHECK(room.hears(3, kA) < kAbsent);
    CHECK(room.hears(3, kD) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(3, 3000) == Approx(kToneDbfs - 12).margin(0.5));
}

TEST_CASE("mute removes a source, deaf removes a listener", "[engine]") {
    ToneRoom room;
    ToneRoom without;
    four_members(room);
    without.add(2, kB);
    without.add(3, kC);
    without.add(4, kD);
    room.engine.set_muted(1, true);
    room.engine.set_deaf(2, true);
    CHECK(room.engine.is_muted(1));
    CHECK(room.engine.is_deaf(2));
    room.tick(2);
    without.tick(2);
    for (MemberId l : {3u, 4u})
        CHECK(copy_of(room.engine.output(l).pcm) == copy_of(without.engine.output(l).pcm));
    CHECK(room.hears(1, kB) == Approx(kToneDbfs).margin(0.5));  // muted still hears
    CHECK(room.hears(3, kB) == Approx(kToneDbfs).margin(0.5));  // deaf still heard
    const ListenerOutput deaf = room.engine.output(2);
    CHECK(deaf.share_key == 0);
    CHECK(is_zero(deaf.pcm));
    CHECK(room.engine.is_talking(1));  // the gate still runs (the roster may show it)
    CHECK_FALSE(room.engine.is_contributing(1));

    room.engine.set_muted(1, false);
    room.engine.set_deaf(2, false);
    room.tick();
    CHECK(room.hears(3, kA) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(2, kA) == Approx(kToneDbfs).margin(0.5));
}

TEST_CASE("input and output gains", "[engine]") {
    ToneRoom room;
    four_members(room);
    room.engine.set_input_gain(1, -6.0);
    room.engine.set_input_gain(2, +6.0);
    room.engine.set_input_gain(4, -std::numeric_limits<double>::infinity());  // headroom
    room.engine.set_output_gain(4, -6.0);
    room.tick();
    CHECK(room.hears(3, kA) == Approx(kToneDbfs - 6).margin(0.5));
    CHECK(room.hears(3, kB) == Approx(kToneDbfs + 6).margin(0.5));
    CHECK(room.hears(4, kA) == Approx(kToneDbfs - 12).margin(0.5));
    CHECK(room.hears(4, kC) == Approx(kToneDbfs - 6).margin(0.5));
    CHECK(room.hears(1, kD) < kAbsent);
    // Two boosted sources would clip together: one at a time.
    room.engine.set_input_gain(2, 0.0);
    room.engine.set_input_gain(3, +20.0);   // clamped to about +6
    room.engine.set_output_gain(4, +10.0);  // the room is never boosted
    room.engine.set_input_gain(1, -std::numeric_limits<double>::infinity());
    room.tick();
    CHECK(room.hears(1, kC) == Approx(kToneDbfs + 6).margin(0.5));
    CHECK(room.hears(4, kC) == Approx(kToneDbfs + 6).margin(0.5));
    CHECK(room.hears(4, kB) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(3, kA) < kAbsent);
    CHECK_FALSE(room.engine.is_contributing(1));
}

TEST_CASE("gate: quiet sources are not summed; speech holds the gate for the hangover",
          "[engine][gate]") {
    EngineConfig config;
    config.gate_hangover_ticks = 5;
    MixEngine engine(config);
    engine.add_member(1);
    engine.add_member(2);
    Frame loud{};
    sidebar::audio::ToneGenerator::sine(kA, -20).fill(loud);
    Frame hiss{};  // about -78 dBFS, below the -55 dBFS threshold
    for (std::size_t i = 0; i < kFrame; ++i)
        hiss[i] = static_cast<int16_t>(i % 2 == 0 ? 4 : -4);

    engine.put_input(1, hiss);
    engine.mix();
    CHECK_FALSE(engine.is_talking(1));
    CHECK(engine.output(2).share_key == 0);
    CHECK(is_zero(engine.output(2).pcm));
    CHECK(engine.input_level_dbfs(1) == Approx(-75.2).margin(1.0));

    engine.put_input(1, loud);
    engine.mix();
    CHECK(engine.is_talking(1));
    CHECK(level(engine.output(2).pcm, kA) == Approx(-20).margin(0.5));
    for (int t = 0; t < 5; ++t) {  // hangover: the quiet tail is still heard
        engine.put_input(1, hiss);
        engine.mix();
        CHECK(engine.is_talking(1));
        CHECK(copy_of(engine.output(2).pcm) == hiss);
    }
    engine.put_input(1, hiss);
    engine.mix();
    CHECK_FALSE(engine.is_talking(1));
    CHECK(is_zero(engine.output(2).pcm));

    // No input at all is silence, whatever was put before.
    engine.put_input(1, loud);
    engine.mix();
    engine.mix();
    CHECK(is_zero(engine.output(2).pcm));
    CHECK(engine.input_level_dbfs(1) == kSilentLevelDbfs);
}

TEST_CASE("configuration is checked at start-up", "[engine]") {
    EngineConfig bad_hangover;
    bad_hangover.gate_hangover_ticks = -1;
    CHECK_THROWS_AS(MixEngine(bad_hangover), std::invalid_argument);
    EngineConfig bad_duck;
    bad_duck.duck_db = 3.0;
    CHECK_THROWS_AS(MixEngine(bad_duck), std::invalid_argument);
    EngineConfig bad_gate;
    bad_gate.gate_threshold_dbfs = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(MixEngine(bad_gate), std::invalid_argument);
    EngineConfig off;
    off.default_parent_gain_db = std::nullopt;
    CHECK_NOTHROW(MixEngine(off));
}
