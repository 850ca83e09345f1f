// PromptSet: every prompt of one language, decoded once at start-up to 16 kHz mono int16 and kept
// in memory, so playing a prompt on a media thread never touches the disk. Each id of the
// manifest is looked up as <dir>/<lang>/<id>.wav in a list of folders, first hit wins: an admin's
// folder of recorded prompts goes first, the synthesized build output last.
//
//   auto prompts = PromptSet::load({"/etc/sidebar/prompts", default_prompt_dir()}, "en");
//   if (!prompts) throw std::runtime_error(prompts.message());
//   std::span<const int16_t> pcm = prompts->audio("welcome");
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::prompt {

// A prompt is a few seconds; this bounds memory per prompt (1.9 MB at 16 kHz).
inline constexpr double kMaxPromptSeconds = 60.0;
// Refused before decoding: no prompt of 60 s needs more, even as 32-bit 96 kHz stereo.
inline constexpr std::uintmax_t kMaxPromptFileBytes = 64ull * 1024 * 1024;

// The build's synthesized prompts (${CMAKE_BINARY_DIR}/prompts), compiled in.
std::filesystem::path default_prompt_dir();
// prompts/ of the source tree, where the manifests live (compiled in).
std::filesystem::path source_prompt_dir();

struct LoadOptions {
    // The manifest to use. Unset: the first <dir>/<lang>/manifest.json of the load's folders
    // (the build copies it next to the WAVs), else <source_prompt_dir()>/<lang>/manifest.json.
    std::optional<std::filesystem::path> manifest;
    double max_seconds = kMaxPromptSeconds;
};

class PromptSet {
  public:
    // Loads every id of the manifest. Fails, naming each file (up to ten problems in one
    // message), when an id has no WAV in any folder or its file is unreadable, not audio,
    // empty, longer than max_seconds or larger than kMaxPromptFileBytes. A bad file in an
    // earlier folder is an error, not a reason to fall back to a later one: an admin should
    // hear about the recording they dropped in, not get the robot voice silently.
    static Result<PromptSet> load(std::vector<std::filesystem::path> dirs, std::string lang,
                                  const LoadOptions& options = {});

    // The prompt's samples (16 kHz mono); empty for an unknown id. The span stays valid as long
    // as this set, also across a move of the set.
    std::span<const int16_t> audio(std::string_view id) const;
    bool has(std::string_view id) const;
    // The file `id` was loaded from; empty for an unknown id.
    std::filesystem::path source(std::string_view id) const;

    const std::string& lang() const { return lang_; }
    std::size_t size() const { return prompts_.size(); }
    std::vector<std::string> ids() const;

  private:
    struct Prompt {
        std::vector<int16_t> samples;
        std::filesystem::path file;
    };

    std::string lang_;
    // std::map: node-based, so samples never move once loaded (spans given out stay valid).
    std::map<std::string, Prompt, std::less<>> prompts_;
};

}  // namespace sidebar::prompt
