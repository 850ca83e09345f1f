// Fuzz target for sidebar::audio::decode_audio_16k: any bytes as an audio file (libsndfile's
// format detection), or, when the first byte says so, as headerless raw audio of a format the
// second byte picks. Checks the output never exceeds what the length limit allows.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/audio/audio_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sidebar::audio;
    ReadOptions options;
    options.max_seconds = 2.0;  // keeps each run short; the limit itself is under test too
    options.resample_quality = 3;
    std::span<const uint8_t> bytes(data, size);
    if (size >= 2 && data[0] == 0xA5) {
        static constexpr int kRates[] = {8000, 16000, 22050, 48000};
        static constexpr RawEncoding kEncodings[] = {
            RawEncoding::pcm16_le, RawEncoding::pcm16_be, RawEncoding::pcm8_unsigned,
            RawEncoding::ulaw,     RawEncoding::alaw,     RawEncoding::float32_le};
        options.raw = RawFormat{kRates[data[1] & 3], 1 + ((data[1] >> 2) & 1),
                                kEncodings[(data[1] >> 3) % 6]};
        bytes = bytes.subspan(2);
    }
    auto result = decode_audio_16k(bytes, "fuzz", options);
    if (result.ok()) {
        // 2 s at 16 kHz, plus rounding.
        if (result->size() > 32001 || result->empty()) __builtin_trap();
    } else if (result.message().empty()) {
        __builtin_trap();
    }
    return 0;
}
