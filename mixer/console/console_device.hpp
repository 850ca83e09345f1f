// ConsoleDevice: the machine's sound device as a room member (`sidebar-mixer --console <room>`):
// its microphone is a source, its speaker a listener. PortAudio runs the device on its own
// real-time thread; the room's media thread calls read_frame/write_frame once per 20 ms tick.
// Audio crosses between the two through the lock-free queues of ConsoleAudioPath.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/util/result.hpp"
#include "mixer/console/console_audio_path.hpp"
#include "mixer/console/portaudio_runtime.hpp"

namespace sidebar::mixer {

struct ConsoleConfig {
    std::string device;   // PortAudio device name, exactly as listed; empty = default device
    int latency_ms = 60;  // 20..1000: the device's latency and each queue's bound
    // 0: open at 16 kHz, else at the device's default rate (resampling both ways). Non-zero:
    // only this rate (for devices that misreport, and to test the resampling path).
    int device_rate = 0;
};

class ConsoleDevice {
  public:
    using Stats = ConsoleStats;

    // Opens and starts a duplex mono int16 stream. The error names the device and carries
    // PortAudio's message.
    static Result<std::unique_ptr<ConsoleDevice>> open(const ConsoleConfig& config);

    ConsoleDevice(const ConsoleDevice&) = delete;
    ConsoleDevice& operator=(const ConsoleDevice&) = delete;
    // Stops the stream (letting queued audio play out); PortAudio is terminated when the last
    // device closes.
    ~ConsoleDevice();

    // Media thread, once per tick. Microphone: false (and silence) when no whole frame has been
    // captured since the last call.
    bool read_frame(std::span<int16_t, kConsoleFrame> out) { return path_->read_frame(out); }
    // Speaker.
    void write_frame(std::span<const int16_t, kConsoleFrame> in) { path_->write_frame(in); }

    Stats stats() const { return path_->stats(); }
    const std::string& device_name() const { return name_; }

  private:
    ConsoleDevice(PortAudioLease lease, std::string name, std::unique_ptr<ConsoleAudioPath> path,
                  void* stream)
        : lease_(std::move(lease)),
          name_(std::move(name)),
          path_(std::move(path)),
          stream_(stream) {}

    // Declared first, destroyed last: PortAudio outlives the stream.
    PortAudioLease lease_;
    std::string name_;
    std::unique_ptr<ConsoleAudioPath> path_;  // the stream's callback uses it until closed
    void* stream_ = nullptr;                  // PaStream*, owned
};

}  // namespace sidebar::mixer
