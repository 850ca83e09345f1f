// ConsoleAudioPath without a device: the callback side driven by hand, at 16 kHz and through the
// resamplers (48 and 44.1 kHz), with the under/overflow rules and their counters.
#include "mixer/console/console_audio_path.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/tone.hpp"

using sidebar::mixer::ConsoleAudioPath;
using sidebar::mixer::kConsoleFrame;
using Frame = std::array<int16_t, kConsoleFrame>;

namespace {

Frame ramp_frame(int first) {
    Frame f{};
    for (std::size_t i = 0; i < f.size(); ++i)
        f[i] = static_cast<int16_t>(first + static_cast<int>(i));
    return f;
}

std::unique_ptr<ConsoleAudioPath> make_path(int rate, int latency_ms = 60) {
    auto path = ConsoleAudioPath::create(rate, latency_ms);
    INFO((path ? std::string() : path.message()));
    REQUIRE(path);
    return std::move(path).value();
}

}  // namespace

TEST_CASE("path rejects rates and latencies it cannot serve", "[console][path]") {
    CHECK_FALSE(ConsoleAudioPath::create(0, 60));
    CHECK_FALSE(ConsoleAudioPath::create(44101, 60));
    CHECK_FALSE(ConsoleAudioPath::create(16000, 5));
    CHECK_FALSE(ConsoleAudioPath::create(16000, 5000));
    CHECK(ConsoleAudioPath::create(44100, 60));
}

TEST_CASE("microphone: silence and false until a whole frame is captured", "[console][path]") {
    auto path = make_path(16000);
    Frame out;
    out.fill(77);
    CHECK_FALSE(path->read_frame(out));
    CHECK(out == Frame{});
    const Frame half = ramp_frame(1);
    path->on_device(half.data(), nullptr, 160);
    CHECK_FALSE(path->read_frame(out));
    path->on_device(half.data() + 160, nullptr, 160);
    REQUIRE(path->read_frame(out));
    CHECK(out == half);
    CHECK_FALSE(path->read_frame(out));
    const auto s = path->stats();
    CHECK(s.captured_frames == 1);
    CHECK(s.capture_underruns == 1);  // only the miss after the first frame counts
    CHECK(s.capture_overflows == 0);
}

TEST_CASE("microphone: a backlog beyond the latency drops the oldest audio", "[console][path]") {
    auto path = make_path(16000, 60);
    for (int i = 0; i < 10; ++i) {
        const Frame f = ramp_frame(i * 1000);
        path->on_device(f.data(), nullptr, f.size());
    }
    Frame out;
    REQUIRE(path->read_frame(out));
    CHECK(out == ramp_frame(9000));  // the newest frame survives
    CHECK(path->stats().capture_overflows == 1);
    CHECK_FALSE(path->read_frame(out));
}

TEST_CASE("speaker: prefill, exact playback, silence on underrun", "[console][path]") {
    auto path = make_path(16000, 60);
    Frame out;
    out.fill(5);
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == Frame{});
    CHECK(path->stats().playback_underruns == 0);  // nothing was written yet: not an underrun

    path->write_frame(ramp_frame(100));
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == Frame{});  // one frame is below the two-frame prefill
    path->write_frame(ramp_frame(2000));
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == ramp_frame(100));
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == ramp_frame(2000));
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == Frame{});
    const auto s = path->stats();
    CHECK(s.played_frames == 2);
    CHECK(s.playback_underruns == 1);
}

TEST_CASE("speaker: a backlog beyond the latency drops the oldest audio", "[console][path]") {
    auto path = make_path(16000, 60);
    for (int i = 0; i < 12; ++i)
        path->write_frame(ramp_frame(i * 1000));
    Frame out;
    path->on_device(nullptr, out.data(), out.size());
    // Trimmed to the two-frame prefill: the two newest frames remain.
    CHECK(out == ramp_frame(10000));
    path->on_device(nullptr, out.data(), out.size());
    CHECK(out == ramp_frame(11000));
    CHECK(path->stats().playback_overflows == 1);
}

TEST_CASE("resampling path carries tones at their level", "[console][path]") {
    const int rate = GENERATE(48000, 44100);
    auto path = make_path(rate, 60);
    const std::size_t dev_frame = path->device_frame();
    CHECK(path->stats().device_rate == rate);

    // Speaker: 1 s of 1000 Hz at -12 dBFS in, played at the device rate.
    auto tone = sidebar::audio::ToneGenerator::sine(1000, -12);
    std::vector<int16_t> played;
    std::vector<int16_t> chunk(dev_frame);
    for (int i = 0; i < 50; ++i) {
        Frame f;
        tone.fill(f);
        path->write_frame(f);
        path->on_device(nullptr, chunk.data(), chunk.size());
        played.insert(played.end(), chunk.begin(), chunk.end());
    }
    const std::span<const int16_t> steady(played.data() + played.size() / 2, played.size() / 2);
    CHECK(sidebar::audio::tone_level(steady, rate, 1000) == Approx(-12).margin(0.5));
    CHECK(path->stats().playback_underruns == 0);

    // Microphone: 1 s of 440 Hz at -12 dBFS at the device rate, delivered at 16 kHz.
    auto mic = sidebar::audio::ToneGenerator::sine(440, -12, rate);
    std::vector<int16_t> heard;
    int delivered = 0;
    for (int i = 0; i < 50; ++i) {
        mic.fill(chunk);
        path->on_device(chunk.data(), nullptr, chunk.size());
        Frame f;
        if (path->read_frame(f)) {
            ++delivered;
            heard.insert(heard.end(), f.begin(), f.end());
        }
    }
    CHECK(delivered >= 49);
    const std::span<const int16_t> tail(heard.data() + heard.size() / 2, heard.size() / 2);
    CHECK(sidebar::audio::tone_level(tail, 16000, 440) == Approx(-12).margin(0.5));
    CHECK(sidebar::audio::tone_level(tail, 16000, 1000) < -50);
}
