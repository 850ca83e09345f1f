// AudioFileWriter and write_wav: frames appended over time read back exactly; misuse is refused.
#include <sndfile.h>

#include "common/audio/audio_file.hpp"
#include "test/common/audio/audio_test_util.hpp"

using namespace sidebar::audio;
using namespace sidebar::audio::test;

TEST_CASE("frames appended 20 ms at a time read back exactly", "[audio]") {
    TempPath tmp(".wav");
    const auto tone = reference_sine(16000, 1130.0, 16000, -6.0);
    {
        auto w = AudioFileWriter::create(tmp.path, 16000);
        REQUIRE(w.ok());
        for (std::size_t off = 0; off < tone.size(); off += 320)
            REQUIRE(w->append(std::span<const int16_t>(tone).subspan(off, 320)).ok());
        CHECK(w->frames_written() == 16000);
        CHECK(w->path() == tmp.path);
    }  // the destructor completes the header
    auto r = read_audio_16k(tmp.path);
    REQUIRE(r.ok());
    CHECK(*r == tone);
}

TEST_CASE("flush() leaves a valid file while recording goes on", "[audio]") {
    TempPath tmp(".wav");
    const auto tone = reference_sine(16000, 440.0, 640, -6.0);
    auto w = AudioFileWriter::create(tmp.path, 16000);
    REQUIRE(w.ok());
    REQUIRE(w->append(tone).ok());
    REQUIRE(w->flush().ok());
    auto so_far = read_audio_16k(tmp.path);
    REQUIRE(so_far.ok());
    CHECK(*so_far == tone);
    REQUIRE(w->append(tone).ok());
    REQUIRE(w->close().ok());
    CHECK_FALSE(w->is_open());
    auto all = read_audio_16k(tmp.path);
    REQUIRE(all.ok());
    CHECK(all->size() == 1280);
}

TEST_CASE("other rates and stereo are written as given", "[audio]") {
    TempPath tmp(".wav");
    auto w = AudioFileWriter::create(tmp.path, 8000, 2);
    REQUIRE(w.ok());
    const std::vector<int16_t> frames{1, 2, 3, 4, 5, 6};
    REQUIRE(w->append(frames).ok());
    CHECK(w->frames_written() == 3);
    const std::vector<int16_t> half{7};
    CHECK(w->append(half).message().find("not whole frames of 2 channels") != std::string::npos);
    REQUIRE(w->close().ok());
    SF_INFO info{};
    SNDFILE* f = sf_open(tmp.path.c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    CHECK(info.samplerate == 8000);
    CHECK(info.channels == 2);
    CHECK(info.frames == 3);
    CHECK(info.format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    sf_close(f);
}

TEST_CASE("writer misuse and impossible paths", "[audio]") {
    CHECK(AudioFileWriter::create("/nonexistent/dir/rec.wav", 16000)
              .message()
              .starts_with("audio: /nonexistent/dir/rec.wav: cannot create: "));
    CHECK(AudioFileWriter::create("/tmp/x.wav", 10).message() ==
          "audio: /tmp/x.wav: cannot write at 10 Hz, outside 1000..384000 Hz");
    CHECK(AudioFileWriter::create("/tmp/x.wav", 16000, 0).message() ==
          "audio: /tmp/x.wav: cannot write 0 channels");
    CHECK_FALSE(write_wav("/nonexistent/dir/a.wav", std::vector<int16_t>(10)).ok());

    TempPath tmp(".wav");
    auto w = AudioFileWriter::create(tmp.path, 16000);
    REQUIRE(w.ok());
    REQUIRE(w->close().ok());
    CHECK(w->close().ok());  // closing twice is harmless
    CHECK(w->append(std::vector<int16_t>(320)).message() ==
          "audio: " + tmp.path + ": append after close");
    CHECK_FALSE(w->flush().ok());
}

TEST_CASE("a moved writer keeps writing to the same file", "[audio]") {
    TempPath tmp(".wav");
    auto created = AudioFileWriter::create(tmp.path, 16000);
    REQUIRE(created.ok());
    AudioFileWriter a = std::move(created.value());
    REQUIRE(a.append(std::vector<int16_t>(320, 100)).ok());
    AudioFileWriter b = std::move(a);
    CHECK_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
    REQUIRE(b.append(std::vector<int16_t>(320, 100)).ok());
    REQUIRE(b.close().ok());
    auto r = read_audio_16k(tmp.path);
    REQUIRE(r.ok());
    CHECK(r->size() == 640);
}

TEST_CASE("write_wav writes a whole buffer", "[audio]") {
    TempPath tmp(".wav");
    const auto tone = reference_sine(16000, 2870.0, 1000, -1.0);
    REQUIRE(write_wav(tmp.path, tone).ok());
    auto r = read_audio_16k(tmp.path);
    REQUIRE(r.ok());
    CHECK(*r == tone);
}
