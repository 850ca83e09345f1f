// RecordingWriter on real files: two rooms recorded at once each hold their own tone at the right
// level and length; close_all_and_wait and the destructor leave complete headers; ids are not
// reused; the number of open recordings is bounded over many open/close cycles.
#include "mixer/recording/recording_writer.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "common/audio/audio_file.hpp"
#include "common/audio/goertzel.hpp"
#include "test/mixer/recording/recording_test_support.hpp"

using namespace sidebar;
using namespace sidebar::mixer;
using mixer::test::Frame;
using mixer::test::ScratchDir;
using mixer::test::tone_frames;
using mixer::test::wav_header_samples;

namespace {

constexpr std::size_t kThreeSeconds = 150;  // frames of 20 ms

int push_all(RecordingWriter& writer, RecordingId id, const std::vector<Frame>& frames) {
    int accepted = 0;
    for (const auto& f : frames)
        accepted += writer.push(id, f) ? 1 : 0;
    return accepted;
}

// The file holds `hz` at `dbfs` for its whole length (checked per half second) and `other_hz`
// far below it.
void check_tone_file(const std::filesystem::path& file, double hz, double other_hz, double dbfs) {
    INFO(file.string());
    const auto header = wav_header_samples(file);
    REQUIRE(header);
    const auto samples = audio::read_audio_16k(file.string());
    REQUIRE(samples);
    CHECK(samples->size() == *header);
    const auto expected = kThreeSeconds * kRecordingFrameSamples;
    CHECK(samples->size() + kRecordingFrameSamples >= expected);
    CHECK(samples->size() <= expected + kRecordingFrameSamples);
    for (std::size_t at = 0; at + 8000 <= samples->size(); at += 8000) {
        const std::span<const int16_t> block(samples->data() + at, 8000);
        CHECK(audio::tone_level(block, 16000, hz) == Approx(dbfs).margin(0.5));
        CHECK(audio::tone_level(block, 16000, other_hz) < dbfs - 50);
    }
}

}  // namespace

TEST_CASE("two rooms recorded at once each hold their own tone", "[recording][writer]") {
    ScratchDir dir;
    RecordingWriter writer;
    const RecordingId a = writer.open(dir / "rooms" / "1000.wav", "1000");
    const RecordingId b = writer.open(dir / "rooms" / "2000.wav", "2000");
    REQUIRE(a.valid());
    REQUIRE(b.valid());
    CHECK(a != b);
    const auto tone_a = tone_frames(440, -12, kThreeSeconds);
    const auto tone_b = tone_frames(1000, -12, kThreeSeconds);
    int accepted_a = 0;
    int accepted_b = 0;
    std::thread media_a([&] { accepted_a = push_all(writer, a, tone_a); });
    std::thread media_b([&] { accepted_b = push_all(writer, b, tone_b); });
    media_a.join();
    media_b.join();
    CHECK(accepted_a == int(kThreeSeconds));
    CHECK(accepted_b == int(kThreeSeconds));
    writer.close(a);
    writer.close(b);
    writer.wait_idle();

    const auto sa = writer.status(a);
    const auto sb = writer.status(b);
    REQUIRE(sa);
    REQUIRE(sb);
    CHECK(sa->state == RecordingState::closed);
    CHECK(sb->state == RecordingState::closed);
    CHECK(sa->frames_written == kThreeSeconds);
    CHECK(sa->frames_dropped == 0);
    CHECK(sa->room == "1000");
    CHECK(sa->file == dir / "rooms" / "1000.wav");
    check_tone_file(sa->file, 440, 1000, -12);
    check_tone_file(sb->file, 1000, 440, -12);

    const auto stats = writer.stats();
    CHECK(stats.frames_written == 2 * kThreeSeconds);
    CHECK(stats.frames_dropped == 0);
    CHECK(stats.files_open == 0);
    CHECK(stats.write_errors == 0);
    // Closed: further frames are refused.
    CHECK_FALSE(writer.push(a, tone_a.front()));
}

TEST_CASE("close_all_and_wait leaves every file complete", "[recording][writer]") {
    ScratchDir dir;
    RecordingWriter writer;
    std::vector<RecordingId> ids;
    for (int i = 0; i < 3; ++i)
        ids.push_back(writer.open(dir / ("r" + std::to_string(i) + ".wav"), std::to_string(i)));
    const auto frames = tone_frames(700, -20, 25);
    for (const auto id : ids)
        CHECK(push_all(writer, id, frames) == 25);
    CHECK(writer.stats().files_open <= 3);
    writer.close_all_and_wait();
    CHECK(writer.stats().files_open == 0);
    for (const auto id : ids) {
        const auto s = writer.status(id);
        REQUIRE(s);
        CHECK(s->state == RecordingState::closed);
        CHECK(wav_header_samples(s->file) == 25 * kRecordingFrameSamples);
        const auto samples = audio::read_audio_16k(s->file.string());
        REQUIRE(samples);
        CHECK(samples->size() == 25 * kRecordingFrameSamples);
        CHECK_FALSE(writer.push(id, frames.front()));
    }
}

TEST_CASE("the destructor completes open recordings", "[recording][writer]") {
    ScratchDir dir;
    const auto frames = tone_frames(500, -6, 50);
    {
        RecordingWriter writer;
        const auto a = writer.open(dir / "a.wav", "a");
        const auto b = writer.open(dir / "b.wav", "b");
        CHECK(push_all(writer, a, frames) == 50);
        CHECK(push_all(writer, b, frames) == 50);
    }
    for (const char* name : {"a.wav", "b.wav"}) {
        INFO(name);
        CHECK(wav_header_samples(dir / name) == 50 * kRecordingFrameSamples);
        const auto samples = audio::read_audio_16k((dir / name).string());
        REQUIRE(samples);
        CHECK(audio::tone_level(*samples, 16000, 500) == Approx(-6).margin(0.5));
    }
}

TEST_CASE("an existing file is kept and the recording gets a numbered name",
          "[recording][writer]") {
    ScratchDir dir;
    std::ofstream(dir / "room.wav") << "older";
    RecordingWriter writer;
    const auto id = writer.open(dir / "room.wav", "room");
    CHECK(push_all(writer, id, tone_frames(300, -20, 5)) == 5);
    writer.close(id);
    writer.wait_idle();
    const auto s = writer.status(id);
    REQUIRE(s);
    CHECK(s->state == RecordingState::closed);
    CHECK(s->requested == dir / "room.wav");
    CHECK(s->file == dir / "room-1.wav");
    CHECK(wav_header_samples(dir / "room-1.wav") == 5 * kRecordingFrameSamples);
    CHECK(std::filesystem::file_size(dir / "room.wav") == 5);
}

TEST_CASE("open recordings are bounded and ids are never reused", "[recording][writer]") {
    ScratchDir dir;
    RecordingWriterOptions options;
    options.max_queued_frames = 64;
    options.max_recordings = 2;
    RecordingWriter writer(options);
    const auto a = writer.open(dir / "a.wav", "a");
    const auto b = writer.open(dir / "b.wav", "b");
    REQUIRE(a.valid());
    REQUIRE(b.valid());
    CHECK_FALSE(writer.open(dir / "c.wav", "c").valid());
    writer.close(a);
    writer.wait_idle();
    const auto d = writer.open(dir / "d.wav", "d");
    REQUIRE(d.valid());
    CHECK(d != a);
    const Frame frame{};
    CHECK_FALSE(writer.push(a, frame));  // a's slot now belongs to d
    CHECK(writer.push(d, frame));
    CHECK_FALSE(writer.push(RecordingId{}, frame));
    CHECK_FALSE(writer.push(RecordingId{0xffffffffffffull}, frame));
    CHECK_FALSE(writer.status(RecordingId{}));
    writer.close(RecordingId{12345});  // unknown: ignored
}

TEST_CASE("many open/close cycles", "[recording][writer]") {
    ScratchDir dir;
    RecordingWriterOptions options;
    options.max_queued_frames = 64;
    options.max_recordings = 4;
    RecordingWriter writer(options);
    const auto frames = tone_frames(440, -20, 3);
    constexpr int kCycles = 300;
    int refused = 0;
    for (int i = 0; i < kCycles; ++i) {
        auto id = writer.open(dir / "cycle.wav", "cycle");
        if (!id.valid()) {  // every slot still closing: the bound holds
            ++refused;
            writer.wait_idle();
            id = writer.open(dir / "cycle.wav", "cycle");
        }
        REQUIRE(id.valid());
        CHECK(push_all(writer, id, frames) == 3);
        writer.close(id);
    }
    writer.wait_idle();
    const auto stats = writer.stats();
    CHECK(stats.files_open == 0);
    CHECK(stats.frames_written == 3 * kCycles);
    CHECK(stats.write_errors == 0);
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++files;
        CHECK(wav_header_samples(entry.path()) == 3 * kRecordingFrameSamples);
    }
    CHECK(files == kCycles);
    INFO("opens refused while slots were busy: " << refused);
    CHECK(refused < kCycles);
}
