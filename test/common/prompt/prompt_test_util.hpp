// Helpers for the prompt tests: a temporary folder tree removed at the end of the test, and
// writing manifests and WAV files into it.
#pragma once

#include <unistd.h>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/audio/audio_file.hpp"

namespace sidebar::prompt::test {

class TempDir {
  public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ =
            std::filesystem::temp_directory_path() /
            ("sidebar-prompt-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

inline void write_text(const std::filesystem::path& path, std::string_view text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline std::vector<uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

// A manifest of `ids` (each text "text of <id>") at <dir>/<lang>/manifest.json.
inline std::filesystem::path write_manifest(const std::filesystem::path& dir,
                                            const std::vector<std::string>& ids,
                                            const std::string& lang = "en") {
    std::string json = R"({"lang": ")" + lang + R"(", "voice": "en-us", "prompts": {)";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        json += (i > 0 ? ", \"" : "\"") + ids[i] + "\": \"text of " + ids[i] + "\"";
    }
    json += "}}";
    auto path = dir / lang / "manifest.json";
    write_text(path, json);
    return path;
}

// A constant-valued prompt of `samples` samples, so tests can tell files apart by value.
inline void write_prompt(const std::filesystem::path& dir, const std::string& id,
                         std::size_t samples, int16_t value, const std::string& lang = "en",
                         int rate = audio::kInternalRate) {
    std::filesystem::create_directories(dir / lang);
    std::vector<int16_t> pcm(samples, value);
    auto status = audio::write_wav((dir / lang / (id + ".wav")).string(), pcm, rate);
    if (!status) throw std::runtime_error(status.message());
}

}  // namespace sidebar::prompt::test
