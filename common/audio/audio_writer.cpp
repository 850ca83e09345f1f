// AudioFileWriter: 16-bit PCM WAV through libsndfile, appended frame by frame.
#include <sndfile.h>

#include <cstring>

#include "common/audio/audio_file.hpp"

namespace sidebar::audio {

namespace {

Error fail(const std::string& path, const std::string& why) {
    return make_error("audio: " + path + ": " + why);
}

}  // namespace

Result<AudioFileWriter> AudioFileWriter::create(const std::string& path, int sample_rate,
                                                int channels) {
    if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate) {
        return fail(path, "cannot write at " + std::to_string(sample_rate) +
                              " Hz, outside 1000..384000 Hz");
    }
    if (channels < 1 || channels > kMaxChannels) {
        return fail(path, "cannot write " + std::to_string(channels) + " channels");
    }
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    if (file == nullptr) {
        return fail(path, std::string("cannot create: ") + sf_strerror(nullptr));
    }
    return AudioFileWriter(file, path, channels);
}

AudioFileWriter::AudioFileWriter(AudioFileWriter&& other) noexcept
    : file_(other.file_),
      path_(std::move(other.path_)),
      channels_(other.channels_),
      frames_(other.frames_) {
    other.file_ = nullptr;
}

AudioFileWriter& AudioFileWriter::operator=(AudioFileWriter&& other) noexcept {
    if (this != &other) {
        (void)close();
        file_ = other.file_;
        path_ = std::move(other.path_);
        channels_ = other.channels_;
        frames_ = other.frames_;
        other.file_ = nullptr;
    }
    return *this;
}

AudioFileWriter::~AudioFileWriter() {
    (void)close();
}

Status AudioFileWriter::append(std::span<const int16_t> samples) {
    if (file_ == nullptr) return fail(path_, "append after close");
    if (samples.size() % std::size_t(channels_) != 0) {
        return fail(path_, std::to_string(samples.size()) + " samples are not whole frames of " +
                               std::to_string(channels_) + " channels");
    }
    if (samples.empty()) return Ok{};
    const auto frames = static_cast<sf_count_t>(samples.size() / std::size_t(channels_));
    const sf_count_t written = sf_writef_short(file_, samples.data(), frames);
    frames_ += written;
    if (written != frames) {
        return fail(path_, "write failed after " + std::to_string(frames_) +
                               " frames: " + sf_strerror(file_));
    }
    return Ok{};
}

Status AudioFileWriter::flush() {
    if (file_ == nullptr) return fail(path_, "flush after close");
    sf_command(file_, SFC_UPDATE_HEADER_NOW, nullptr, 0);
    sf_write_sync(file_);
    if (sf_error(file_) != SF_ERR_NO_ERROR) return fail(path_, sf_strerror(file_));
    return Ok{};
}

Status AudioFileWriter::close() {
    if (file_ == nullptr) return Ok{};
    const int err = sf_close(file_);
    file_ = nullptr;
    if (err != 0) return fail(path_, std::string("close failed: ") + sf_error_number(err));
    return Ok{};
}

Status write_wav(const std::string& path, std::span<const int16_t> samples, int sample_rate) {
    auto writer = AudioFileWriter::create(path, sample_rate, 1);
    if (!writer) return writer.error();
    if (auto s = writer->append(samples); !s) return s;
    return writer->close();
}

}  // namespace sidebar::audio
