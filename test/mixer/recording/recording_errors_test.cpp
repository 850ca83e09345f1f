// RecordingWriter when things go wrong: refused paths and unwritable directories fail only their
// own recording; a disk that fills mid-recording (RLIMIT_FSIZE) ends that recording with a readable
// file while another goes on; a queue the writer cannot keep up with drops and counts frames and
// warns at most once per second.
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>

#include "common/audio/audio_file.hpp"
#include "mixer/recording/recording_writer.hpp"
#include "test/mixer/recording/recording_test_support.hpp"

using namespace sidebar;
using namespace sidebar::mixer;
using mixer::test::Frame;
using mixer::test::LogCapture;
using mixer::test::ScratchDir;
using mixer::test::tone_frames;
using mixer::test::wav_header_samples;

TEST_CASE("bad paths fail their own recording only", "[recording][errors]") {
    ScratchDir dir;
    LogCapture logs;
    std::ofstream(dir / "somefile") << "x";
    std::filesystem::create_directories(dir / "adir");
    RecordingWriter writer;
    const auto good = writer.open(dir / "good.wav", "good");
    const std::vector<std::filesystem::path> bad = {
        dir.path() / "somefile" / "x.wav",  // under a regular file
        std::string((dir / "nul").string() + std::string("\0.wav", 5)),
        dir / "adir",              // a directory
        "/dev/full",               // a device
        dir.path() / "adir" / "",  // no file name
    };
    std::vector<RecordingId> bad_ids;
    for (const auto& p : bad)
        bad_ids.push_back(writer.open(p, "bad"));
    const auto frames = tone_frames(440, -20, 10);
    for (const auto& f : frames) {
        CHECK(writer.push(good, f));
        for (const auto id : bad_ids)
            (void)writer.push(id, f);  // accepted or not: must not disturb anything
    }
    writer.wait_idle();
    for (const auto id : bad_ids) {
        const auto s = writer.status(id);
        REQUIRE(s);
        INFO(s->requested.string());
        CHECK(s->state == RecordingState::failed);
        CHECK_FALSE(s->error.empty());
        CHECK(s->frames_written == 0);
        CHECK_FALSE(writer.push(id, frames.front()));
    }
    CHECK(writer.stats().write_errors == bad.size());
    CHECK(logs.count("event=recording.failed") == bad.size());
    CHECK_FALSE(std::filesystem::exists("/dev/full-1"));
    CHECK(std::filesystem::is_directory(dir / "adir"));

    writer.close(good);
    writer.wait_idle();
    const auto s = writer.status(good);
    REQUIRE(s);
    CHECK(s->state == RecordingState::closed);
    CHECK(wav_header_samples(s->file) == 10 * kRecordingFrameSamples);
}

TEST_CASE("a disk that fills ends that recording; another goes on", "[recording][errors]") {
    ScratchDir dir;
    LogCapture logs;
    RecordingWriter writer;
    const auto big = writer.open(dir / "big.wav", "big");
    const auto small = writer.open(dir / "small.wav", "small");
    writer.wait_idle();  // both files exist before the limit applies

    // Tests run as root, so permissions cannot stop a write; a file size limit can. Writes past
    // it fail with EFBIG (SIGXFSZ ignored), as on a full disk.
    rlimit old{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = old;
    limited.rlim_cur = 64 * 1024;  // ~51 frames
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limited) == 0);

    const auto frames = tone_frames(440, -20, 150);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        (void)writer.push(big, frames[i]);  // refused once the writer has failed it
        if (i < 40) CHECK(writer.push(small, frames[i]));
    }
    writer.wait_idle();
    writer.close(small);
    writer.wait_idle();
    REQUIRE(setrlimit(RLIMIT_FSIZE, &old) == 0);
    std::signal(SIGXFSZ, old_handler);

    const auto sb = writer.status(big);
    REQUIRE(sb);
    CHECK(sb->state == RecordingState::failed);
    CHECK_FALSE(sb->error.empty());
    CHECK(sb->frames_written < 150);
    CHECK(sb->frames_written > 10);
    CHECK_FALSE(writer.push(big, frames.front()));
    // What was written before the failure is still a readable file: the whole frames, and
    // perhaps the part of the failing one that fitted under the limit.
    const auto big_samples = audio::read_audio_16k(sb->file.string());
    REQUIRE(big_samples);
    CHECK(big_samples->size() >= sb->frames_written * kRecordingFrameSamples);
    CHECK(big_samples->size() < (sb->frames_written + 1) * kRecordingFrameSamples);

    const auto ss = writer.status(small);
    REQUIRE(ss);
    CHECK(ss->state == RecordingState::closed);
    CHECK(wav_header_samples(ss->file) == 40 * kRecordingFrameSamples);
    CHECK(writer.stats().write_errors == 1);
    CHECK(writer.stats().files_open == 0);
    CHECK(logs.count("event=recording.failed room=big") == 1);
}

TEST_CASE("a queue the writer cannot keep up with drops and counts", "[recording][errors]") {
    ScratchDir dir;
    LogCapture logs;
    const auto start = std::chrono::steady_clock::now();
    RecordingWriter writer(2);  // two frames of room: a burst outruns any disk
    const auto id = writer.open(dir / "burst.wav", "burst");
    const auto frames = tone_frames(440, -20, 1);
    uint64_t attempts = 0;
    uint64_t accepted = 0;
    while (attempts < 200000 && writer.stats().frames_dropped < 100) {
        ++attempts;
        accepted += writer.push(id, frames.front()) ? 1 : 0;
    }
    writer.close(id);
    writer.wait_idle();
    const auto elapsed = std::chrono::steady_clock::now() - start;

    const auto stats = writer.stats();
    REQUIRE(stats.frames_dropped >= 100);
    CHECK(stats.frames_dropped + accepted == attempts);
    CHECK(stats.frames_written == accepted);
    const auto s = writer.status(id);
    REQUIRE(s);
    CHECK(s->state == RecordingState::closed);
    CHECK(s->frames_dropped == stats.frames_dropped);
    CHECK(wav_header_samples(s->file) == accepted * kRecordingFrameSamples);
    const auto warnings = logs.count("event=recording.drop");
    CHECK(warnings >= 1);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    CHECK(warnings <= std::size_t(seconds) + 1);
}
