// read_audio_16k / decode_audio_16k: formats, rates and channel counts converted to 16 kHz mono
// at the right length and level, and every kind of broken or hostile file refused with a reason.
#include "common/audio/audio_file.hpp"

#include <sndfile.h>

#include "common/audio/goertzel.hpp"
#include "test/common/audio/audio_test_util.hpp"

using namespace sidebar::audio;
using namespace sidebar::audio::test;

namespace {

// Writes `samples` (interleaved) with libsndfile in any format, to test reading it back.
void write_with_sndfile(const std::string& path, int format, int rate, int channels,
                        const std::vector<int16_t>& samples) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    REQUIRE(f != nullptr);
    CHECK(sf_writef_short(f, samples.data(), sf_count_t(samples.size()) / channels) ==
          sf_count_t(samples.size()) / channels);
    sf_close(f);
}

std::string error_of(const sidebar::Result<std::vector<int16_t>>& r) {
    return r.ok() ? std::string("(no error)") : r.message();
}

// The middle of a converted signal, away from the resampler's start and end transients.
std::span<const int16_t> middle(const std::vector<int16_t>& v) {
    return std::span<const int16_t>(v).subspan(v.size() / 8, v.size() * 3 / 4);
}

}  // namespace

TEST_CASE("16 kHz mono 16-bit WAV reads back bit-exact", "[audio]") {
    TempPath tmp(".wav");
    const auto tone = reference_sine(16000, 440.0, 16000, -3.0);
    REQUIRE(write_wav(tmp.path, tone).ok());
    auto r = read_audio_16k(tmp.path);
    REQUIRE(r.ok());
    CHECK(*r == tone);
}

TEST_CASE("other rates are resampled to 16 kHz keeping frequency and level", "[audio]") {
    SECTION("8 kHz WAV") {
        auto r = read_audio_16k(kData + "tone_1k_8k_mono.wav");
        REQUIRE(r.ok());
        CHECK(r->size() == 8000);  // 0.5 s
        CHECK(tone_level(middle(*r), 16000, 1000.0) == Approx(-10.0).margin(0.1));
    }
    SECTION("48 kHz stereo: the channels are averaged") {
        auto r = read_audio_16k(kData + "two_tones_48k_stereo.wav");
        REQUIRE(r.ok());
        CHECK(r->size() == 8000);
        const auto levels = tone_levels(middle(*r), 16000, {440.0, 1130.0});
        CHECK(levels[0] == Approx(-12.02).margin(0.1));  // each -6 dBFS channel, halved
        CHECK(levels[1] == Approx(-12.02).margin(0.1));
    }
    SECTION("opposite channels cancel") {
        TempPath tmp(".wav");
        const auto tone = reference_sine(16000, 1000.0, 3200, -6.0);
        std::vector<int16_t> stereo;
        for (const int16_t s : tone) {
            stereo.push_back(s);
            stereo.push_back(static_cast<int16_t>(-s));
        }
        write_with_sndfile(tmp.path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 2, stereo);
        auto r = read_audio_16k(tmp.path);
        REQUIRE(r.ok());
        CHECK(peak_dbfs(*r) == kSilenceDbfs);
    }
    SECTION("44.1 kHz, a rate that does not divide evenly") {
        TempPath tmp(".wav");
        write_with_sndfile(tmp.path, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 1,
                           reference_sine(44100, 2210.0, 44100, -20.0));
        auto r = read_audio_16k(tmp.path);
        REQUIRE(r.ok());
        CHECK(r->size() == 16000);
        CHECK(tone_level(middle(*r), 16000, 2210.0) == Approx(-20.0).margin(0.1));
    }
}

TEST_CASE("formats other than WAV", "[audio]") {
    SECTION("AU with mu-law at 8 kHz") {
        auto r = read_audio_16k(kData + "tone_1k_ulaw.au");
        REQUIRE(r.ok());
        CHECK(r->size() == 8000);
        CHECK(tone_level(middle(*r), 16000, 1000.0) == Approx(-10.0).margin(0.2));
    }
    SECTION("FLAC") {
        TempPath tmp(".flac");
        const auto tone = reference_sine(16000, 1570.0, 8000, -10.0);
        write_with_sndfile(tmp.path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, tone);
        auto r = read_audio_16k(tmp.path);
        REQUIRE(r.ok());
        CHECK(*r == tone);  // lossless
    }
    SECTION("Ogg Vorbis") {
        TempPath tmp(".ogg");
        write_with_sndfile(tmp.path, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 48000, 1,
                           reference_sine(48000, 440.0, 48000, -10.0));
        auto r = read_audio_16k(tmp.path);
        REQUIRE(r.ok());
        CHECK(r->size() == 16000);
        CHECK(tone_level(middle(*r), 16000, 440.0) == Approx(-10.0).margin(0.5));
    }
    SECTION("headerless raw, with the format given") {
        TempPath tmp(".raw");
        const auto tone = reference_sine(8000, 1000.0, 4000, -10.0);
        write_with_sndfile(tmp.path, SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_BIG, 8000, 1,
                           tone);
        ReadOptions raw;
        raw.raw = RawFormat{8000, 1, RawEncoding::pcm16_be};
        auto r = read_audio_16k(tmp.path, raw);
        REQUIRE(r.ok());
        CHECK(r->size() == 8000);
        CHECK(tone_level(middle(*r), 16000, 1000.0) == Approx(-10.0).margin(0.1));
        // Without the format a raw file is not recognised.
        CHECK(error_of(read_audio_16k(tmp.path)).find("not an audio file") != std::string::npos);
    }
    SECTION("32-bit float WAV with NaN, infinities and overs is clamped, not undefined") {
        auto r = read_audio_16k(kData + "float_with_nan_16k.wav");
        REQUIRE(r.ok());
        CHECK(r->size() == 4000);
        CHECK((*r)[100] == 0);       // NaN
        CHECK((*r)[101] == 32767);   // +inf
        CHECK((*r)[102] == -32768);  // -inf
        CHECK((*r)[103] == 32767);   // 4.0
        CHECK(tone_level(std::span<const int16_t>(*r).subspan(200), 16000, 1000.0) ==
              Approx(-10.0).margin(0.1));
    }
}

TEST_CASE("memory and file reads agree", "[audio]") {
    for (const char* name :
         {"tone_1k_8k_mono.wav", "two_tones_48k_stereo.wav", "tone_1k_ulaw.au"}) {
        INFO(name);
        const auto bytes = file_bytes(kData + name);
        auto from_memory = decode_audio_16k(bytes, name);
        auto from_file = read_audio_16k(kData + name);
        REQUIRE(from_memory.ok());
        REQUIRE(from_file.ok());
        CHECK(*from_memory == *from_file);
    }
}

TEST_CASE("broken and hostile files are refused with a reason", "[audio]") {
    struct Case {
        const char* file;
        const char* reason;
    };
    for (const Case c : {
             Case{"not_audio.txt", "not an audio file libsndfile can read"},
             Case{"truncated_header.wav", "not an audio file libsndfile can read"},
             Case{"empty.wav", "is empty"},
             Case{"zero_channels.wav", "not an audio file"},
             Case{"rate_1hz.wav", "sample rate of 1 Hz, outside 1000..384000 Hz"},
             Case{"rate_huge.wav", "sample rate of 1000000000 Hz, outside 1000..384000 Hz"},
             Case{"channels_1000.wav", "has 1000 channels, more than 32"},
             Case{"no_samples.wav", "contains no audio samples"},
         }) {
        INFO(c.file);
        const std::string path = kData + c.file;
        const std::string msg = error_of(read_audio_16k(path));
        CHECK(msg.starts_with("audio: " + path + ": "));
        CHECK(msg.find(c.reason) != std::string::npos);
        // The same bytes from memory give the same verdict.
        const std::string mem = error_of(decode_audio_16k(file_bytes(path), c.file));
        CHECK(mem.find(c.reason) != std::string::npos);
    }
}

TEST_CASE("a header that overstates its data reads only what is there", "[audio]") {
    auto r = read_audio_16k(kData + "lying_data_size.wav");
    REQUIRE(r.ok());
    CHECK(r->size() == 1600);
}

TEST_CASE("paths that are not files", "[audio]") {
    CHECK(error_of(read_audio_16k("/nonexistent/prompt.wav")) ==
          "audio: /nonexistent/prompt.wav: cannot open: No such file or directory");
    CHECK(error_of(read_audio_16k("/tmp")) == "audio: /tmp: is a directory");
    CHECK(error_of(read_audio_16k("/dev/null")) == "audio: /dev/null: is not a regular file");
    CHECK(error_of(decode_audio_16k({}, "nothing")) == "audio: nothing: is empty");
}

TEST_CASE("files longer than the limit are refused", "[audio]") {
    SECTION("the default 10 minutes, by header") {
        TempPath tmp(".raw");
        {
            std::ofstream out(tmp.path, std::ios::binary);
            const std::vector<char> second(1000, char(0x80));  // 1 s of 8-bit silence at 1 kHz
            for (int i = 0; i < 601; ++i)
                out.write(second.data(), long(second.size()));
        }
        ReadOptions raw;
        raw.raw = RawFormat{1000, 1, RawEncoding::pcm8_unsigned};
        CHECK(error_of(read_audio_16k(tmp.path, raw)) ==
              "audio: " + tmp.path + ": is 601 s long, more than the 600 s limit");
    }
    SECTION("a smaller limit, and a length only found while reading") {
        ReadOptions opts;
        opts.max_seconds = 0.25;
        CHECK(error_of(read_audio_16k(kData + "tone_1k_8k_mono.wav", opts))
                  .ends_with("is 0.5 s long, more than the 0.25 s limit"));
        // The header claims 1.3 GB; the file holds 0.1 s, which is over a 0.05 s limit.
        opts.max_seconds = 0.05;
        CHECK(error_of(read_audio_16k(kData + "lying_data_size.wav", opts))
                  .find("the 0.05 s limit") != std::string::npos);
    }
}

TEST_CASE("a file too short to make one 16 kHz sample is refused", "[audio]") {
    // Found by fuzzing: one stereo frame at 48 kHz used to come back as an empty success.
    const std::vector<uint8_t> one_frame{0x00, 0x01, 0x00, 0x02};
    ReadOptions raw;
    raw.raw = RawFormat{48000, 2, RawEncoding::pcm16_be};
    CHECK(error_of(decode_audio_16k(one_frame, "tiny", raw)) ==
          "audio: tiny: is too short: 1 frame(s) at 48000 Hz make no 16 kHz sample");
    raw.raw = RawFormat{16000, 2, RawEncoding::pcm16_be};
    auto r = decode_audio_16k(one_frame, "tiny", raw);
    REQUIRE(r.ok());
    CHECK(r->size() == 1);
}

TEST_CASE("bad raw formats are refused before opening", "[audio]") {
    ReadOptions raw;
    raw.raw = RawFormat{0, 1, RawEncoding::pcm16_le};
    CHECK(error_of(read_audio_16k(kData + "not_audio.txt", raw))
              .ends_with("raw sample rate 0 Hz is outside 1000..384000 Hz"));
    raw.raw = RawFormat{8000, 0, RawEncoding::ulaw};
    CHECK(error_of(read_audio_16k(kData + "not_audio.txt", raw))
              .ends_with("raw channel count 0 is outside 1..32"));
    raw.raw = RawFormat{8000, 1, static_cast<RawEncoding>(99)};
    CHECK(error_of(read_audio_16k(kData + "not_audio.txt", raw)).ends_with("unknown raw encoding"));
    // Any bytes are valid raw audio once the format is given: text reads as noise, not an error.
    raw.raw = RawFormat{8000, 1, RawEncoding::alaw};
    auto r = read_audio_16k(kData + "not_audio.txt", raw);
    REQUIRE(r.ok());
    CHECK(r->size() == 780);
}
