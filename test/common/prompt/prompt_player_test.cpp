// PromptPlayer: frame counts, seamless joins between items, zero padding, silences, the chime,
// barge-in and the queue bound.
#include <catch2/catch.hpp>

#include "common/prompt/prompt_player.hpp"
#include "test/common/prompt/prompt_test_util.hpp"

using sidebar::prompt::kFrameSamples;
using sidebar::prompt::PromptPlayer;
using sidebar::prompt::PromptSet;
using namespace sidebar::prompt::test;
using Frame = std::array<int16_t, kFrameSamples>;

namespace {

// A set with "a" (1000 samples of 11), "b" (640 samples of 22) and "c" (1 sample of 33).
PromptSet make_set(const TempDir& dir) {
    write_manifest(dir.path(), {"a", "b", "c"});
    write_prompt(dir.path(), "a", 1000, 11);
    write_prompt(dir.path(), "b", 640, 22);
    write_prompt(dir.path(), "c", 1, 33);
    auto set = PromptSet::load({dir.path()}, "en");
    REQUIRE(set.ok());
    return std::move(*set);
}

// Plays to the end; returns every sample of the frames that returned true.
std::vector<int16_t> drain(PromptPlayer& player, std::size_t max_frames = 10000) {
    std::vector<int16_t> out;
    Frame frame;
    for (std::size_t i = 0; i < max_frames && player.next_frame(frame); ++i) {
        out.insert(out.end(), frame.begin(), frame.end());
    }
    return out;
}

}  // namespace

TEST_CASE("a prompt plays in ceil(length / 320) frames, zero-padded", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    CHECK_FALSE(player.playing());
    REQUIRE(player.play("a"));
    CHECK(player.playing());
    CHECK(player.remaining_samples() == 1000);

    const auto out = drain(player);
    REQUIRE(out.size() == 4 * kFrameSamples);  // 1000 samples -> 4 frames
    for (std::size_t i = 0; i < 1000; ++i)
        REQUIRE(out[i] == 11);
    for (std::size_t i = 1000; i < out.size(); ++i)
        REQUIRE(out[i] == 0);
    CHECK_FALSE(player.playing());

    Frame frame;
    frame.fill(99);
    CHECK_FALSE(player.next_frame(frame));
    for (auto s : frame)
        REQUIRE(s == 0);
}

TEST_CASE("an exact multiple of a frame has no padding frame", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    REQUIRE(player.play("b"));
    CHECK(drain(player).size() == 2 * kFrameSamples);
}

TEST_CASE("items join inside a frame without gaps", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    REQUIRE(player.play_all({"a", "c", "b"}));
    REQUIRE(player.silence(10));  // 160 samples
    REQUIRE(player.play("c"));
    CHECK(player.queued_items() == 5);
    CHECK(player.remaining_samples() == 1000 + 1 + 640 + 160 + 1);

    const auto out = drain(player);
    REQUIRE(out.size() == 6 * kFrameSamples);  // 1802 samples -> 6 frames
    CHECK(out[999] == 11);
    CHECK(out[1000] == 33);
    CHECK(out[1001] == 22);
    CHECK(out[1640] == 22);
    for (std::size_t i = 1641; i < 1801; ++i)
        REQUIRE(out[i] == 0);
    CHECK(out[1801] == 33);
    for (std::size_t i = 1802; i < out.size(); ++i)
        REQUIRE(out[i] == 0);
}

TEST_CASE("stop drops the queue mid-way", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    REQUIRE(player.play("a"));
    REQUIRE(player.play("b"));
    Frame frame;
    REQUIRE(player.next_frame(frame));
    CHECK(frame[0] == 11);
    player.stop();
    CHECK_FALSE(player.playing());
    CHECK(player.remaining_samples() == 0);
    CHECK_FALSE(player.next_frame(frame));
    for (auto s : frame)
        REQUIRE(s == 0);

    // Usable again after a stop, from the start of the new item.
    REQUIRE(player.play("b"));
    REQUIRE(player.next_frame(frame));
    CHECK(frame[0] == 22);
    CHECK(frame[kFrameSamples - 1] == 22);
}

TEST_CASE("unknown ids and bad silences queue nothing", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    CHECK_FALSE(player.play("nope"));
    CHECK_FALSE(player.play_all({"a", "nope"}));
    CHECK_FALSE(player.silence(0));
    CHECK_FALSE(player.silence(-5));
    CHECK_FALSE(player.silence(sidebar::prompt::kMaxSilenceMs + 1));
    CHECK_FALSE(player.playing());
    CHECK(player.play_all({}));
    CHECK_FALSE(player.playing());
}

TEST_CASE("the queue is bounded", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    for (std::size_t i = 0; i < sidebar::prompt::kMaxQueuedItems; ++i)
        REQUIRE(player.play("c"));
    CHECK_FALSE(player.play("c"));
    CHECK_FALSE(player.chime());
    Frame frame;
    REQUIRE(player.next_frame(frame));  // 64 one-sample items in one frame
    CHECK(frame[63] == 33);
    CHECK(frame[64] == 0);
    CHECK_FALSE(player.playing());
    // The ring wrapped around: a full queue again works.
    std::vector<std::string> many(sidebar::prompt::kMaxQueuedItems, "c");
    CHECK(player.play_all(many));
    CHECK_FALSE(player.play_all({"c"}));
}

TEST_CASE("a chime plays a decaying tone and then ends", "[prompt][player]") {
    TempDir dir;
    const PromptSet set = make_set(dir);
    PromptPlayer player(set);
    const std::size_t length = player.chime_samples();
    CHECK(length >= 16 * 900);  // two notes, 350 + 600 ms
    CHECK(length <= 16 * 1200);
    REQUIRE(player.chime());
    const auto out = drain(player);
    CHECK(out.size() == (length + kFrameSamples - 1) / kFrameSamples * kFrameSamples);
    int peak = 0;
    for (auto s : out)
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    CHECK(peak > 1000);   // audible
    CHECK(peak < 32767);  // not clipped
}
