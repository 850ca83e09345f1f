// The prompt manifest, prompts/<lang>/manifest.json: {"lang", "voice", "prompts": {id: text}}.
// The build synthesizes one WAV per id from it; at run time it is the list of ids a PromptSet
// must find. Ids become file names, so they are checked here as strictly as the build does.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::prompt {

inline constexpr std::size_t kMaxManifestBytes = 1024 * 1024;
inline constexpr std::size_t kMaxPrompts = 2000;
inline constexpr std::size_t kMaxPromptIdChars = 64;
inline constexpr std::size_t kMaxPromptTextChars = 500;

struct ManifestEntry {
    std::string id;
    std::string text;
};

struct Manifest {
    std::string lang;
    std::string voice;
    std::vector<ManifestEntry> prompts;  // in the file's key order (nlohmann sorts: by id)
};

// 1..64 characters of a-z, 0-9 and '_': safe as a file name on every system.
bool valid_prompt_id(std::string_view id);
// A language folder name: 1..16 characters of letters, digits, '-' and '_' ("en", "pt-br").
bool valid_lang(std::string_view lang);

// Parses manifest text; `origin` names it in errors. Errors: syntax, not an object, missing or
// wrong-typed "lang"/"voice"/"prompts", bad ids, empty or overlong texts, too many prompts.
Result<Manifest> parse_manifest(std::string_view text, std::string_view origin);

// Reads and parses a manifest file (at most kMaxManifestBytes).
Result<Manifest> load_manifest(const std::filesystem::path& path);

}  // namespace sidebar::prompt
