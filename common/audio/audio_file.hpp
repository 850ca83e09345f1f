// Audio files: reading any format libsndfile knows (WAV, FLAC, Ogg, AU, headerless raw) into the
// internal format (16 kHz mono int16), and writing 16-bit PCM WAV. Prompt files are input from
// admins and may be anything, so every reader failure is a Result with the file and the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

struct sf_private_tag;

namespace sidebar::audio {

inline constexpr int kInternalRate = 16000;
// Longest file read_audio_16k accepts by default: a prompt is seconds long; ten minutes is
// already generous, and it bounds memory (19 MB at 16 kHz).
inline constexpr double kMaxReadSeconds = 600.0;
inline constexpr int kMinSampleRate = 1000;
inline constexpr int kMaxSampleRate = 384000;
inline constexpr int kMaxChannels = 32;

// Sample encodings of headerless files.
enum class RawEncoding { pcm16_le, pcm16_be, pcm8_unsigned, ulaw, alaw, float32_le };

struct RawFormat {
    int sample_rate = kInternalRate;
    int channels = 1;
    RawEncoding encoding = RawEncoding::pcm16_le;
};

struct ReadOptions {
    // Set for a headerless file; otherwise the format comes from the file's header.
    std::optional<RawFormat> raw;
    double max_seconds = kMaxReadSeconds;
    // speexdsp quality 0..10; prompts are converted once, so better than the media path's 3.
    int resample_quality = 7;
};

// Reads `path` as 16 kHz mono: channels are averaged, other rates resampled. Errors: missing or
// unreadable file, not audio, no channels or too many, sample rate outside 1000..384000 Hz,
// longer than options.max_seconds (by header or while reading), too short to make one 16 kHz
// sample, decode errors. A successful result is never empty.
Result<std::vector<int16_t>> read_audio_16k(const std::string& path,
                                            const ReadOptions& options = {});

// The same from bytes in memory; `name` is used in messages.
Result<std::vector<int16_t>> decode_audio_16k(std::span<const uint8_t> bytes, std::string_view name,
                                              const ReadOptions& options = {});

// Writes 16-bit PCM WAV, appending as audio arrives (recordings write from a worker thread, off
// the media thread). The header is completed on close() or destruction; flush() makes the file
// on disk valid so far (for a recording that must survive a crash). WAV caps a file at 4 GiB,
// about 37 hours of 16 kHz mono.
class AudioFileWriter {
  public:
    static Result<AudioFileWriter> create(const std::string& path, int sample_rate,
                                          int channels = 1);

    AudioFileWriter(AudioFileWriter&& other) noexcept;
    AudioFileWriter& operator=(AudioFileWriter&& other) noexcept;
    AudioFileWriter(const AudioFileWriter&) = delete;
    AudioFileWriter& operator=(const AudioFileWriter&) = delete;
    ~AudioFileWriter();

    // Interleaved samples; a whole number of frames (samples.size() % channels == 0).
    Status append(std::span<const int16_t> samples);
    Status flush();
    // Completes the header and closes the file; later appends fail.
    Status close();

    bool is_open() const { return file_ != nullptr; }
    int64_t frames_written() const { return frames_; }
    const std::string& path() const { return path_; }

  private:
    AudioFileWriter(sf_private_tag* file, std::string path, int channels)
        : file_(file), path_(std::move(path)), channels_(channels) {}

    sf_private_tag* file_ = nullptr;  // owned
    std::string path_;
    int channels_ = 1;
    int64_t frames_ = 0;
};

// Writes `samples` (mono) as a 16-bit PCM WAV file at `sample_rate`.
Status write_wav(const std::string& path, std::span<const int16_t> samples,
                 int sample_rate = kInternalRate);

}  // namespace sidebar::audio
