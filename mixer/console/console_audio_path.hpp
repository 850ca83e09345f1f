// ConsoleAudioPath: everything between a sound device's callback and the room's 20 ms ticks,
// without PortAudio itself (so it is testable without a device). Two SampleRings carry audio at
// the device's rate; the media thread resamples to and from the internal 16 kHz. The device side
// (on_device) runs on the audio driver's real-time thread: it only copies, counts and never
// locks or allocates. Depths are bounded: the oldest audio is dropped when a queue grows past its
// limit, silence is played when the speaker's queue runs dry; both are counted.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/resample/resampler.hpp"
#include "common/util/result.hpp"
#include "mixer/console/sample_ring.hpp"

namespace sidebar::mixer {

inline constexpr int kConsoleRate = 16000;
inline constexpr std::size_t kConsoleFrame = 320;  // 20 ms at 16 kHz

struct ConsoleStats {
    uint64_t captured_frames = 0;     // 20 ms frames read_frame delivered
    uint64_t played_frames = 0;       // 20 ms of queued audio the device played (not silence)
    uint64_t capture_overflows = 0;   // times old microphone audio was dropped (media thread slow)
    uint64_t playback_underruns = 0;  // times the speaker ran dry and played silence
    uint64_t capture_underruns = 0;   // ticks with no microphone frame, after the first one came
    uint64_t playback_overflows = 0;  // times old speaker audio was dropped (device slow)
    int device_rate = 0;
};

class ConsoleAudioPath {
  public:
    // device_rate: the rate the stream runs at (a multiple of 50, 8000..192000); latency_ms:
    // how much audio (20..1000 ms) each queue may hold before its oldest audio is dropped.
    static Result<std::unique_ptr<ConsoleAudioPath>> create(int device_rate, int latency_ms);

    ConsoleAudioPath(const ConsoleAudioPath&) = delete;
    ConsoleAudioPath& operator=(const ConsoleAudioPath&) = delete;

    int device_rate() const { return device_rate_; }
    // Samples in 20 ms at the device's rate: the callback size the stream is opened with.
    std::size_t device_frame() const { return device_frame_; }

    // Device thread: `in` (may be null) holds `count` captured samples, `out` (may be null) gets
    // `count` samples to play.
    void on_device(const int16_t* in, int16_t* out, std::size_t count);

    // Media thread.
    bool read_frame(std::span<int16_t, kConsoleFrame> out);
    void write_frame(std::span<const int16_t, kConsoleFrame> in);
    // Any thread.
    ConsoleStats stats() const;

  private:
    ConsoleAudioPath(int device_rate, int latency_ms, resample::Resampler down,
                     resample::Resampler up);

    void play(int16_t* out, std::size_t count);

    const int device_rate_;
    const std::size_t device_frame_;
    const std::size_t capture_limit_;  // deeper than this: drop down to capture_keep_
    const std::size_t capture_keep_;
    const std::size_t playback_prefill_;  // queued before the speaker starts (jitter margin)
    const std::size_t playback_limit_;    // deeper than this: drop down to the prefill
    SampleRing capture_;
    SampleRing playback_;

    // Media thread only.
    resample::Resampler down_;      // device rate -> 16 kHz
    resample::Resampler up_;        // 16 kHz -> device rate
    std::vector<int16_t> chunk_;    // device-rate samples taken from capture_
    std::vector<int16_t> pending_;  // 16 kHz samples resampled but not yet delivered
    std::size_t pending_count_ = 0;
    std::vector<int16_t> upsampled_;
    bool captured_any_ = false;

    // Device thread only.
    bool primed_ = false;

    std::atomic<bool> writing_{false};  // write_frame has been called: dry speaker now counts
    std::atomic<uint64_t> captured_frames_{0};
    std::atomic<uint64_t> played_samples_{0};
    std::atomic<uint64_t> capture_overflows_{0};
    std::atomic<uint64_t> playback_underruns_{0};
    std::atomic<uint64_t> capture_underruns_{0};
    std::atomic<uint64_t> playback_overflows_{0};
};

}  // namespace sidebar::mixer
