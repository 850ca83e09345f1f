// Reading audio files of any libsndfile format into 16 kHz mono, from a path or from memory.
#include "common/audio/audio_file.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/resample/resampler.hpp"

namespace sidebar::audio {

namespace {

constexpr sf_count_t kChunkFrames = 1024;

// The bytes libsndfile reads through its virtual I/O interface.
struct MemoryFile {
    const uint8_t* data;
    sf_count_t size;
    sf_count_t pos;
};

sf_count_t mem_length(void* user) {
    return static_cast<MemoryFile*>(user)->size;
}

sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
    auto* f = static_cast<MemoryFile*>(user);
    sf_count_t base = 0;
    switch (whence) {
        case SEEK_SET:
            base = 0;
            break;
        case SEEK_CUR:
            base = f->pos;
            break;
        case SEEK_END:
            base = f->size;
            break;
        default:
            return -1;
    }
    sf_count_t target = 0;
    // A hostile header can ask for any offset: refuse ones that overflow or go before the start.
    if (__builtin_add_overflow(base, offset, &target) || target < 0) return -1;
    f->pos = target;
    return f->pos;
}

sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
    auto* f = static_cast<MemoryFile*>(user);
    if (count <= 0 || f->pos >= f->size) return 0;
    const sf_count_t n = std::min(count, f->size - f->pos);
    std::memcpy(ptr, f->data + f->pos, static_cast<std::size_t>(n));
    f->pos += n;
    return n;
}

sf_count_t mem_write(const void*, sf_count_t, void*) {
    return 0;
}

sf_count_t mem_tell(void* user) {
    return static_cast<MemoryFile*>(user)->pos;
}

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

Error fail(std::string_view name, const std::string& why) {
    return make_error("audio: " + std::string(name) + ": " + why);
}

Result<int> raw_subformat(RawEncoding encoding) {
    switch (encoding) {
        case RawEncoding::pcm16_le:
            return SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE;
        case RawEncoding::pcm16_be:
            return SF_FORMAT_PCM_16 | SF_ENDIAN_BIG;
        case RawEncoding::pcm8_unsigned:
            return SF_FORMAT_PCM_U8;
        case RawEncoding::ulaw:
            return SF_FORMAT_ULAW;
        case RawEncoding::alaw:
            return SF_FORMAT_ALAW;
        case RawEncoding::float32_le:
            return SF_FORMAT_FLOAT | SF_ENDIAN_LITTLE;
    }
    return make_error("unknown raw encoding");
}

// The SF_INFO to open with: zero for headed files, the caller's format for raw ones.
Result<SF_INFO> open_info(std::string_view name, const ReadOptions& options) {
    SF_INFO info{};
    if (!options.raw) return info;
    const RawFormat& raw = *options.raw;
    if (raw.sample_rate < kMinSampleRate || raw.sample_rate > kMaxSampleRate) {
        return fail(name, "raw sample rate " + std::to_string(raw.sample_rate) +
                              " Hz is outside 1000..384000 Hz");
    }
    if (raw.channels < 1 || raw.channels > kMaxChannels) {
        return fail(name, "raw channel count " + std::to_string(raw.channels) + " is outside 1.." +
                              std::to_string(kMaxChannels));
    }
    auto sub = raw_subformat(raw.encoding);
    if (!sub) return fail(name, sub.message());
    info.samplerate = raw.sample_rate;
    info.channels = raw.channels;
    info.format = SF_FORMAT_RAW | *sub;
    return info;
}

// "601", "0.25": seconds to the millisecond, without trailing zeros.
std::string format_seconds(double seconds) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", seconds);
    std::string text = buf;
    while (text.ends_with('0'))
        text.pop_back();
    if (text.ends_with('.')) text.pop_back();
    return text;
}

int16_t to_int16(float x) {
    // Float files may hold NaN, infinities or values past full scale.
    if (!(x == x)) return 0;
    const float scaled = std::clamp(x * 32768.0f, -32768.0f, 32767.0f);
    return static_cast<int16_t>(std::lrint(scaled));
}

// Everything after opening: checks of the header, then reading, downmixing and resampling.
Result<std::vector<int16_t>> decode(SNDFILE* file, const SF_INFO& info, std::string_view name,
                                    const ReadOptions& options) {
    if (info.channels < 1) return fail(name, "has no audio channels");
    if (info.channels > kMaxChannels) {
        return fail(name, "has " + std::to_string(info.channels) + " channels, more than " +
                              std::to_string(kMaxChannels));
    }
    if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate) {
        return fail(name, "has a sample rate of " + std::to_string(info.samplerate) +
                              " Hz, outside 1000..384000 Hz");
    }
    const double max_seconds = std::max(0.0, options.max_seconds);
    const auto max_frames = static_cast<sf_count_t>(max_seconds * info.samplerate);
    const std::string limit_text = "more than the " + format_seconds(max_seconds) + " s limit";
    // Some formats (Ogg, raw) do not know or may misstate their length: check here and as read.
    if (info.frames > max_frames && info.frames != SF_COUNT_MAX) {
        return fail(name, "is " + format_seconds(double(info.frames) / info.samplerate) +
                              " s long, " + limit_text);
    }
    auto resampler =
        resample::Resampler::create(info.samplerate, kInternalRate, options.resample_quality);
    if (!resampler) return fail(name, resampler.message());

    const auto channels = static_cast<std::size_t>(info.channels);
    std::vector<float> interleaved(static_cast<std::size_t>(kChunkFrames) * channels);
    std::vector<int16_t> mono(static_cast<std::size_t>(kChunkFrames));
    std::vector<int16_t> converted(resampler->output_size(mono.size()) + 16);
    std::vector<int16_t> out;
    sf_count_t total = 0;
    while (true) {
        const sf_count_t got = sf_readf_float(file, interleaved.data(), kChunkFrames);
        if (got <= 0) break;
        total += got;
        if (total > max_frames) return fail(name, "is longer than " + limit_text.substr(10));
        for (sf_count_t i = 0; i < got; ++i) {
            float sum = 0.0f;
            for (std::size_t c = 0; c < channels; ++c)
                sum += interleaved[std::size_t(i) * channels + c];
            mono[std::size_t(i)] = to_int16(sum / float(channels));
        }
        const std::size_t n =
            resampler->process(std::span<const int16_t>(mono.data(), std::size_t(got)), converted);
        out.insert(out.end(), converted.begin(), converted.begin() + long(n));
    }
    if (sf_error(file) != SF_ERR_NO_ERROR) {
        return fail(name, std::string("decode error: ") + sf_strerror(file));
    }
    if (total == 0) return fail(name, "contains no audio samples");
    // The resampler holds back its filter delay: push silence through until the output has the
    // length the input implies.
    const auto expected =
        static_cast<std::size_t>((uint64_t(total) * kInternalRate + uint64_t(info.samplerate) / 2) /
                                 uint64_t(info.samplerate));
    if (expected == 0) {
        return fail(name, "is too short: " + std::to_string(total) + " frame(s) at " +
                              std::to_string(info.samplerate) + " Hz make no 16 kHz sample");
    }
    std::fill(mono.begin(), mono.end(), int16_t{0});
    for (int round = 0; out.size() < expected && round < 64; ++round) {
        const std::size_t n = resampler->process(mono, converted);
        out.insert(out.end(), converted.begin(), converted.begin() + long(n));
    }
    out.resize(expected);
    return out;
}

}  // namespace

Result<std::vector<int16_t>> read_audio_16k(const std::string& path, const ReadOptions& options) {
    auto info = open_info(path, options);
    if (!info) return info.error();
    // O_NONBLOCK so that a FIFO named as a prompt cannot hang start-up.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return fail(path, std::string("cannot open: ") + std::strerror(errno));
    // Declared before the SNDFILE so it closes after it; libsndfile never closes it (close_desc
    // false), which keeps ownership in one place also when sf_open_fd fails.
    const FdCloser closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(path, S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
    }
    if (st.st_size == 0) return fail(path, "is empty");
    SF_INFO sf_info = *info;
    SndfilePtr file(sf_open_fd(fd, SFM_READ, &sf_info, SF_FALSE));
    if (!file) {
        return fail(path, std::string("not an audio file libsndfile can read (") +
                              sf_strerror(nullptr) + ")");
    }
    return decode(file.get(), sf_info, path, options);
}

Result<std::vector<int16_t>> decode_audio_16k(std::span<const uint8_t> bytes, std::string_view name,
                                              const ReadOptions& options) {
    auto info = open_info(name, options);
    if (!info) return info.error();
    if (bytes.empty()) return fail(name, "is empty");
    MemoryFile memory{bytes.data(), static_cast<sf_count_t>(bytes.size()), 0};
    SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
    SF_INFO sf_info = *info;
    SndfilePtr file(sf_open_virtual(&io, SFM_READ, &sf_info, &memory));
    if (!file) {
        return fail(name, std::string("not an audio file libsndfile can read (") +
                              sf_strerror(nullptr) + ")");
    }
    return decode(file.get(), sf_info, name, options);
}

}  // namespace sidebar::audio
