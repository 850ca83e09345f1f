// Helpers shared by the audio tests: temporary files and reference tones.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numbers>
#include <string>
#include <vector>

namespace sidebar::audio::test {

inline const std::string kData = std::string(SIDEBAR_TEST_DATA) + "/audio/";

// A path under /tmp, removed at the end of the test.
struct TempPath {
    std::string path;
    explicit TempPath(const std::string& suffix) {
        char name[] = "/tmp/sidebar-audio-XXXXXX";
        const int fd = ::mkstemp(name);
        REQUIRE(fd >= 0);
        ::close(fd);
        std::remove(name);
        path = std::string(name) + suffix;
    }
    ~TempPath() { std::remove(path.c_str()); }
};

inline std::vector<int16_t> reference_sine(int rate, double hz, std::size_t n, double dbfs) {
    const double amp = 32768.0 * std::pow(10.0, dbfs / 20.0);
    std::vector<int16_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = std::lrint(amp * std::sin(2.0 * std::numbers::pi * hz * double(i) / rate));
        out[i] = static_cast<int16_t>(std::clamp(v, -32768.0, 32767.0));
    }
    return out;
}

inline std::vector<uint8_t> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace sidebar::audio::test
