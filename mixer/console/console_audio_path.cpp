// ConsoleAudioPath: queue depths, resampling and the counters of the console's audio.
#include "mixer/console/console_audio_path.hpp"

#include <algorithm>
#include <string>

namespace sidebar::mixer {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
// Resampler output for one 20 ms chunk can exceed its nominal size by a sample or two when the
// rates do not divide evenly; this slack keeps speexdsp from ever stopping short of the input.
constexpr std::size_t kResampleSlack = 16;

std::size_t samples_for_ms(int rate, int ms) {
    return static_cast<std::size_t>(rate) * static_cast<std::size_t>(ms) / 1000;
}

}  // namespace

Result<std::unique_ptr<ConsoleAudioPath>> ConsoleAudioPath::create(int device_rate,
                                                                   int latency_ms) {
    if (device_rate < 8000 || device_rate > 192000 || device_rate % 50 != 0) {
        return make_error("console: unsupported device rate " + std::to_string(device_rate));
    }
    if (latency_ms < 20 || latency_ms > 1000) {
        return make_error("console: latency_ms must be 20..1000, got " +
                          std::to_string(latency_ms));
    }
    auto down = resample::Resampler::create(device_rate, kConsoleRate);
    if (!down) return down.error();
    auto up = resample::Resampler::create(kConsoleRate, device_rate);
    if (!up) return up.error();
    return std::unique_ptr<ConsoleAudioPath>(new ConsoleAudioPath(
        device_rate, latency_ms, std::move(down).value(), std::move(up).value()));
}

ConsoleAudioPath::ConsoleAudioPath(int device_rate, int latency_ms, resample::Resampler down,
                                   resample::Resampler up)
    : device_rate_(device_rate),
      device_frame_(samples_for_ms(device_rate, 20)),
      // The microphone queue normally holds under one callback's worth; past the latency budget
      // the media thread has fallen behind, and the newest 20 ms is what is worth keeping.
      capture_limit_(std::max(samples_for_ms(device_rate, latency_ms), 3 * device_frame_)),
      capture_keep_(device_frame_),
      // At least two frames, to absorb a callback and a tick arriving in either order plus
      // scheduling jitter; half the latency budget when that is more.
      playback_prefill_(std::max(2 * device_frame_, samples_for_ms(device_rate, latency_ms / 2))),
      playback_limit_(playback_prefill_ + samples_for_ms(device_rate, latency_ms)),
      capture_(2 * (capture_limit_ + device_frame_)),
      playback_(2 * (playback_limit_ + device_frame_)),
      down_(std::move(down)),
      up_(std::move(up)),
      chunk_(device_frame_),
      pending_(kConsoleFrame + down_.output_size(device_frame_) + kResampleSlack),
      upsampled_(up_.output_size(kConsoleFrame) + kResampleSlack) {}

void ConsoleAudioPath::on_device(const int16_t* in, int16_t* out, std::size_t count) {
    if (in != nullptr) {
        // The ring is twice the limit deep, so this only fails when the media thread has stopped
        // reading altogether; the newest audio is lost then, and counted.
        if (capture_.write({in, count}) < count) capture_overflows_.fetch_add(1, kRelaxed);
    }
    if (out != nullptr) play(out, count);
}

void ConsoleAudioPath::play(int16_t* out, std::size_t count) {
    std::size_t queued = playback_.size();
    if (queued > playback_limit_) {
        playback_.discard(queued - playback_prefill_);
        playback_overflows_.fetch_add(1, kRelaxed);
        queued = playback_prefill_;
    }
    if (!primed_ && queued >= std::max(playback_prefill_, count)) primed_ = true;
    const std::size_t got = primed_ ? playback_.read({out, count}) : 0;
    std::fill(out + got, out + count, int16_t{0});
    played_samples_.fetch_add(got, kRelaxed);
    if (primed_ && got < count) {
        // Ran dry: wait for the prefill again rather than play every late frame in fragments.
        primed_ = false;
        if (writing_.load(kRelaxed)) playback_underruns_.fetch_add(1, kRelaxed);
    }
}

bool ConsoleAudioPath::read_frame(std::span<int16_t, kConsoleFrame> out) {
    const std::size_t queued = capture_.size();
    if (queued > capture_limit_) {
        capture_.discard(queued - capture_keep_);
        capture_overflows_.fetch_add(1, kRelaxed);
    }
    while (pending_count_ < kConsoleFrame) {
        const std::size_t got = capture_.read(chunk_);
        if (got == 0) break;
        pending_count_ += down_.process(
            std::span<const int16_t>(chunk_.data(), got),
            std::span<int16_t>(pending_.data() + pending_count_, pending_.size() - pending_count_));
    }
    if (pending_count_ < kConsoleFrame) {
        std::fill(out.begin(), out.end(), int16_t{0});
        if (captured_any_) capture_underruns_.fetch_add(1, kRelaxed);
        return false;
    }
    std::copy_n(pending_.begin(), kConsoleFrame, out.begin());
    std::copy(pending_.begin() + kConsoleFrame, pending_.begin() + pending_count_,
              pending_.begin());
    pending_count_ -= kConsoleFrame;
    captured_any_ = true;
    captured_frames_.fetch_add(1, kRelaxed);
    return true;
}

void ConsoleAudioPath::write_frame(std::span<const int16_t, kConsoleFrame> in) {
    writing_.store(true, kRelaxed);
    const std::size_t n = up_.process(in, upsampled_);
    // Only when the device has stopped pulling does the ring fill up (the callback trims it to
    // its limit otherwise); then this frame is lost, and counted.
    if (playback_.write({upsampled_.data(), n}) < n) playback_overflows_.fetch_add(1, kRelaxed);
}

ConsoleStats ConsoleAudioPath::stats() const {
    ConsoleStats s;
    s.captured_frames = captured_frames_.load(kRelaxed);
    s.played_frames = played_samples_.load(kRelaxed) / device_frame_;
    s.capture_overflows = capture_overflows_.load(kRelaxed);
    s.playback_underruns = playback_underruns_.load(kRelaxed);
    s.capture_underruns = capture_underruns_.load(kRelaxed);
    s.playback_overflows = playback_overflows_.load(kRelaxed);
    s.device_rate = device_rate_;
    return s;
}

}  // namespace sidebar::mixer
