// Helpers for the recording tests: a scratch directory, tone frames, a log capture, and a WAV
// header check that reads the RIFF and data sizes the way any player would.
#pragma once

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/audio/tone.hpp"
#include "common/log/log.hpp"
#include "mixer/recording/recording_types.hpp"

namespace sidebar::mixer::test {

using Frame = std::array<int16_t, kRecordingFrameSamples>;

// A fresh directory under the system temp directory, removed with everything in it.
class ScratchDir {
  public:
    ScratchDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("sidebar-rec-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

inline std::vector<Frame> tone_frames(double hz, double dbfs, std::size_t count) {
    auto tone = audio::ToneGenerator::sine(hz, dbfs);
    std::vector<Frame> frames(count);
    for (auto& f : frames)
        tone.fill(f);
    return frames;
}

// Collects log lines while alive.
class LogCapture {
  public:
    LogCapture() {
        log::set_sink([this](std::string_view line) {
            std::lock_guard lock(mutex_);
            lines_.emplace_back(line);
        });
    }
    ~LogCapture() { log::set_sink({}); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::size_t count(std::string_view needle) const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& l : lines_)
            n += l.find(needle) != std::string::npos ? 1 : 0;
        return n;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

inline uint32_t le32(const std::vector<uint8_t>& b, std::size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 |
           uint32_t(b[at + 3]) << 24;
}

// Samples according to a complete WAV header: the RIFF size matches the file and the data
// chunk's size is exactly the bytes that follow it. nullopt for an incomplete header.
inline std::optional<uint64_t> wav_header_samples(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (b.size() < 12 || std::string_view(reinterpret_cast<const char*>(b.data()), 4) != "RIFF")
        return std::nullopt;
    if (le32(b, 4) != b.size() - 8) return std::nullopt;
    std::size_t at = 12;
    while (at + 8 <= b.size()) {
        const std::string_view id(reinterpret_cast<const char*>(b.data() + at), 4);
        const uint32_t size = le32(b, at + 4);
        if (id == "data") {
            if (at + 8 + size != b.size()) return std::nullopt;
            return size / 2;
        }
        at += 8 + size + (size & 1);
    }
    return std::nullopt;
}

}  // namespace sidebar::mixer::test
