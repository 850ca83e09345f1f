// The mixing engine's private audio and output sharing: service channels (ducking, what the IVR
// hears, withholding), announcements, share keys (equal keys mean identical pcm, stable across
// ticks, one buffer for idle listeners), a 1000-member room, removal and saturation.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "test/mixer/engine/engine_test_support.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;

namespace {

constexpr double kA = 440, kB = 1130, kC = 1570, kIvr = 2210, kChime = 3000;
constexpr double kAbsent = -60.0;  // Hann leakage of the other tones stays far below this

Frame tone_frame(double hz, double dbfs = kToneDbfs) {
    Frame f{};
    sidebar::audio::ToneGenerator::sine(hz, dbfs).fill(f);
    return f;
}

// Every listener's output must agree with every other listener of the same key.
void check_share_keys(const MixEngine& engine, const std::vector<MemberId>& ids) {
    std::map<uint64_t, Frame> by_key;
    for (MemberId id : ids) {
        const ListenerOutput out = engine.output(id);
        if (out.share_key == 0) CHECK(is_zero(out.pcm));
        const auto [it, fresh] = by_key.emplace(out.share_key, copy_of(out.pcm));
        if (!fresh) CHECK(it->second == copy_of(out.pcm));
    }
}

}  // namespace

TEST_CASE(
    "service channel: the member hears the IVR over a ducked room, the IVR hears only the "
    "member",
    "[engine][channel]") {
    ToneRoom room;
    room.add(1, kA);
    room.add(2, kB);
    room.add(3, kC);
    const ChannelId ch = room.engine.open_channel(1);
    REQUIRE(ch != 0);
    CHECK(room.engine.has_channel(ch));
    room.engine.put_channel_input(ch, tone_frame(kIvr));
    room.tick();

    CHECK(room.hears(1, kIvr) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(1, kB) == Approx(kToneDbfs - 10).margin(0.5));
    CHECK(room.hears(1, kC) == Approx(kToneDbfs - 10).margin(0.5));
    CHECK(copy_of(room.engine.channel_output(ch)) == room.last_input[1]);
    // Withheld: nobody in the room hears member 1 while it talks to the menu.
    CHECK(room.hears(2, kA) < kAbsent);
    CHECK(room.hears(3, kA) < kAbsent);
    CHECK(room.hears(2, kIvr) < kAbsent);
    CHECK_FALSE(room.engine.is_contributing(1));
    CHECK(room.engine.output(1).share_key == personal_mix_key(1));

    SECTION("ducked room stays while the IVR is silent") {
        room.tick();
        CHECK(room.hears(1, kB) == Approx(kToneDbfs - 10).margin(0.5));
        CHECK(room.hears(1, kIvr) < kAbsent);
    }
    SECTION("closing restores the member's voice and full room level") {
        room.engine.close_channel(ch);
        CHECK_FALSE(room.engine.has_channel(ch));
        room.tick();
        CHECK(room.hears(2, kA) == Approx(kToneDbfs).margin(0.5));
        CHECK(room.hears(1, kB) == Approx(kToneDbfs).margin(0.5));
        CHECK(is_zero(room.engine.channel_output(ch)));
    }
    SECTION("removing the member closes its channels") {
        room.engine.remove_member(1);
        CHECK_FALSE(room.engine.has_channel(ch));
        room.tick();
        CHECK(room.hears(2, kC) == Approx(kToneDbfs).margin(0.5));
    }
}

TEST_CASE("service channel without withholding: the room still hears the member",
          "[engine][channel]") {
    EngineConfig config;
    config.withhold_voice_on_channel = false;
    config.duck_db = -20.0;
    ToneRoom room(config);
    room.add(1, kA);
    room.add(2, kB);
    const ChannelId ch = room.engine.open_channel(1);
    room.tick();
    CHECK(room.hears(2, kA) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(1, kB) == Approx(kToneDbfs - 20).margin(0.5));
    CHECK(room.hears(1, kA) < kToneDbfs - 60);
    CHECK(copy_of(room.engine.channel_output(ch)) == room.last_input[1]);
    CHECK(room.engine.open_channel(99) == 0);
    for (std::size_t i = 1; i < kMaxChannelsPerMember; ++i)
        CHECK(room.engine.open_channel(1) != 0);
    CHECK(room.engine.open_channel(1) == 0);
}

TEST_CASE(
    "announcements: a group's reaches its members (and sidebars through parent gain), a "
    "member's reaches only that member",
    "[engine][announcement]") {
    MixEngine engine;
    for (MemberId id = 1; id <= 4; ++id)
        engine.add_member(id);
    const GroupId sb = engine.create_sidebar();
    engine.move_member(3, sb);
    engine.move_member(4, sb);
    const Frame chime = tone_frame(kChime);

    engine.add_group_announcement(kMainGroup, chime);
    engine.mix();
    CHECK(level(engine.output(1).pcm, kChime) == Approx(kToneDbfs).margin(0.5));
    CHECK(level(engine.output(3).pcm, kChime) == Approx(kToneDbfs - 12).margin(0.5));
    CHECK(engine.output(1).share_key == engine.output(2).share_key);

    engine.add_group_announcement(sb, chime);
    engine.mix();
    CHECK(is_zero(engine.output(1).pcm));
    CHECK(level(engine.output(3).pcm, kChime) == Approx(kToneDbfs).margin(0.5));
    CHECK(level(engine.group_mix(sb), kChime) == Approx(kToneDbfs).margin(0.5));

    engine.add_member_announcement(2, chime);
    engine.add_member_announcement(2, tone_frame(kA));
    engine.mix();
    CHECK(level(engine.output(2).pcm, kChime) == Approx(kToneDbfs).margin(0.5));
    CHECK(level(engine.output(2).pcm, kA) == Approx(kToneDbfs).margin(0.5));
    CHECK(engine.output(2).share_key == personal_mix_key(2));
    for (MemberId id : {1u, 3u, 4u}) {
        CHECK(is_zero(engine.output(id).pcm));
        CHECK(engine.output(id).share_key == 0);
    }
    CHECK(is_zero(engine.group_mix(kMainGroup)));

    engine.mix();  // announcements are per tick
    CHECK(is_zero(engine.output(2).pcm));
    engine.add_group_announcement(777, chime);  // unknown group: ignored
    engine.add_member_announcement(777, chime);
    engine.mix();
    CHECK(is_zero(engine.group_mix(kMainGroup)));
}

TEST_CASE(
    "share keys: idle listeners share one buffer and a stable key; equal keys mean equal "
    "pcm",
    "[engine][share]") {
    ToneRoom room;
    room.add(1, kA);
    room.add(2, kB);
    for (MemberId id = 3; id <= 8; ++id)
        room.add_silent(id);
    room.engine.set_output_gain(8, -6.0);
    const GroupId sb = room.engine.create_sidebar();
    room.engine.move_member(6, sb);
    room.engine.move_member(7, sb);
    const std::vector<MemberId> all{1, 2, 3, 4, 5, 6, 7, 8};

    room.tick();
    const ListenerOutput idle = room.engine.output(3);
    CHECK(idle.share_key != 0);
    for (MemberId id : {4u, 5u}) {
        CHECK(room.engine.output(id).share_key == idle.share_key);
        CHECK(room.engine.output(id).pcm.data() == idle.pcm.data());  // one buffer
    }
    CHECK(room.engine.output(8).share_key != idle.share_key);  // other output gain
    CHECK(room.engine.output(6).share_key == room.engine.output(7).share_key);
    CHECK(room.engine.output(6).share_key != idle.share_key);
    CHECK(room.engine.output(1).share_key != room.engine.output(2).share_key);
    CHECK(room.engine.output(1).share_key != idle.share_key);
    check_share_keys(room.engine, all);

    std::map<MemberId, uint64_t> keys;
    for (MemberId id : all)
        keys[id] = room.engine.output(id).share_key;
    for (int t = 0; t < 5; ++t) {
        room.tick();
        check_share_keys(room.engine, all);
        for (MemberId id : all)
            CHECK(room.engine.output(id).share_key == keys[id]);
    }
    // The same gain again gives the same identity.
    room.engine.set_output_gain(8, 0.0);
    room.tick();
    CHECK(room.engine.output(8).share_key == idle.share_key);
    CHECK(room.engine.output(8).pcm.data() == idle.pcm.data());
}

TEST_CASE("a 1000-member room with three talkers", "[engine][large]") {
    ToneRoom room;
    room.add(1, kA);
    room.add(2, kB);
    room.add(3, kC);
    for (MemberId id = 4; id <= 1000; ++id)
        room.add_silent(id);
    room.tick(2);
    std::set<const int16_t*> buffers;
    std::vector<MemberId> all;
    for (MemberId id = 1; id <= 1000; ++id) {
        buffers.insert(room.engine.output(id).pcm.data());
        all.push_back(id);
    }
    CHECK(buffers.size() == 4);  // one shared + three talkers' own
    check_share_keys(room.engine, all);
    for (MemberId id : {4u, 500u, 1000u})
        for (double hz : {kA, kB, kC})
            CHECK(room.hears(id, hz) == Approx(kToneDbfs).margin(0.5));
    CHECK(room.hears(2, kB) < -60);
    CHECK(room.hears(2, kA) == Approx(kToneDbfs).margin(0.5));
}

TEST_CASE("removing members while sidebars exist", "[engine]") {
    ToneRoom room;
    room.add(1, kA);
    room.add(2, kB);
    room.add(3, kC);
    const GroupId sb = room.engine.create_sidebar();
    room.engine.move_member(1, sb);
    room.engine.move_member(2, sb);
    room.tick();
    room.engine.remove_member(1);
    room.tones.erase(1);
    CHECK_FALSE(room.engine.has_member(1));
    CHECK(room.engine.members_of(sb) == std::vector<MemberId>{2});
    room.tick();
    CHECK(room.hears(2, kA) < kAbsent);
    CHECK(room.hears(2, kC) == Approx(kToneDbfs - 12).margin(0.5));
    room.engine.remove_member(2);
    room.tones.erase(2);
    CHECK(room.engine.has_group(sb));  // empty sidebars stay until dissolved
    CHECK(room.engine.sidebars() == std::vector<GroupId>{sb});
    room.tick();
    CHECK_FALSE(is_zero(room.engine.group_mix(sb)));  // still hears main at parent gain
    room.engine.dissolve_sidebar(sb);
    room.engine.remove_member(3);
    room.engine.remove_member(3);  // twice: harmless
    room.tones.clear();
    room.tick();
    CHECK(room.engine.member_count() == 0);
    CHECK(room.engine.output(3).share_key == 0);
}

TEST_CASE("many loud sources saturate instead of wrapping", "[engine][saturation]") {
    MixEngine engine;
    for (MemberId id = 1; id <= 50; ++id)
        engine.add_member(id);
    const Frame high = constant_frame(30000);
    const Frame low = constant_frame(-30000);
    for (MemberId id = 1; id <= 50; ++id)
        engine.put_input(id, id % 2 == 0 ? high : low);
    engine.put_input(1, high);
    engine.mix();
    // 26 highs and 24 lows sum to +60000: a high listener hears 30000, a low one 90000, which
    // must saturate (wrapping would give 24464).
    for (MemberId id = 1; id <= 50; ++id) {
        const int16_t expected = (id % 2 == 0 || id == 1) ? 30000 : INT16_MAX;
        for (int16_t s : engine.output(id).pcm)
            REQUIRE(s == expected);
    }
    for (MemberId id = 1; id <= 50; ++id)
        engine.put_input(id, high);
    engine.mix();
    for (MemberId id = 1; id <= 50; ++id)
        for (int16_t s : engine.output(id).pcm)
            REQUIRE(s == INT16_MAX);
    for (int16_t s : engine.group_mix(kMainGroup))
        REQUIRE(s == INT16_MAX);
    for (MemberId id = 1; id <= 50; ++id)
        engine.put_input(id, low);
    engine.mix();
    for (int16_t s : engine.output(7).pcm)
        REQUIRE(s == INT16_MIN);
}
