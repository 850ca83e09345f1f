// Loading a PromptSet: finding the manifest, picking each id's file from the folders in order,
// and decoding it with common/audio under the prompt limits.
#include "common/prompt/prompt_set.hpp"

#include <system_error>
#include <utility>

#include "common/audio/audio_file.hpp"
#include "common/log/log.hpp"
#include "common/prompt/manifest.hpp"

#ifndef SIDEBAR_DEFAULT_PROMPT_DIR
#error "SIDEBAR_DEFAULT_PROMPT_DIR must be defined by the build"
#endif
#ifndef SIDEBAR_PROMPT_SOURCE_DIR
#error "SIDEBAR_PROMPT_SOURCE_DIR must be defined by the build"
#endif

namespace sidebar::prompt {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxReportedProblems = 10;

fs::path find_manifest(const std::vector<fs::path>& dirs, const std::string& lang) {
    for (const auto& dir : dirs) {
        fs::path candidate = dir / lang / "manifest.json";
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
    }
    return source_prompt_dir() / lang / "manifest.json";
}

struct Found {
    fs::path file;
    std::size_t dir_index = 0;
};

// The first folder's file for `id`, or nullopt when no folder has one. Anything present under
// that name counts (a directory too), so that it is reported rather than skipped.
std::optional<Found> find_file(const std::vector<fs::path>& dirs, const std::string& lang,
                               const std::string& id) {
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        fs::path candidate = dirs[i] / lang / (id + ".wav");
        std::error_code ec;
        if (fs::symlink_status(candidate, ec).type() != fs::file_type::not_found && !ec) {
            Found found;
            found.file = std::move(candidate);
            found.dir_index = i;
            return found;
        }
    }
    return std::nullopt;
}

Result<std::vector<int16_t>> read_prompt(const fs::path& file, double max_seconds) {
    const std::string name = file.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return make_error("prompt " + name + ": not a regular file" +
                          (ec ? " (" + ec.message() + ")" : std::string()));
    }
    const auto bytes = fs::file_size(file, ec);
    if (ec) return make_error("prompt " + name + ": " + ec.message());
    if (bytes == 0) return make_error("prompt " + name + ": empty file");
    if (bytes > kMaxPromptFileBytes) return make_error("prompt " + name + ": larger than 64 MiB");
    audio::ReadOptions options;
    options.max_seconds = max_seconds;
    auto samples = audio::read_audio_16k(name, options);
    if (!samples) return make_error("prompt " + samples.message());
    if (samples->empty()) return make_error("prompt " + name + ": no audio");
    return samples;
}

std::string join_dirs(const std::vector<fs::path>& dirs) {
    std::string text;
    for (const auto& dir : dirs) {
        if (!text.empty()) text += ", ";
        text += dir.string();
    }
    return text;
}

}  // namespace

fs::path default_prompt_dir() {
    return fs::path(SIDEBAR_DEFAULT_PROMPT_DIR);
}

fs::path source_prompt_dir() {
    return fs::path(SIDEBAR_PROMPT_SOURCE_DIR);
}

Result<PromptSet> PromptSet::load(std::vector<fs::path> dirs, std::string lang,
                                  const LoadOptions& options) {
    if (!valid_lang(lang)) return make_error("prompts: invalid language name \"" + lang + "\"");
    if (dirs.empty()) return make_error("prompts: no prompt folder given");
    const fs::path manifest_path = options.manifest ? *options.manifest : find_manifest(dirs, lang);
    auto manifest = load_manifest(manifest_path);
    if (!manifest) return manifest.error();

    PromptSet set;
    set.lang_ = lang;
    std::vector<std::string> problems;
    std::size_t problem_count = 0;
    std::size_t overridden = 0;
    for (const auto& entry : manifest->prompts) {
        auto found = find_file(dirs, lang, entry.id);
        Result<std::vector<int16_t>> samples =
            found ? read_prompt(found->file, options.max_seconds)
                  : Result<std::vector<int16_t>>(make_error("prompt \"" + entry.id + "\": no " +
                                                            lang + "/" + entry.id +
                                                            ".wav in any of " + join_dirs(dirs)));
        if (!samples) {
            if (++problem_count <= kMaxReportedProblems) problems.push_back(samples.message());
            continue;
        }
        if (found->dir_index + 1 < dirs.size()) ++overridden;
        set.prompts_.emplace(entry.id, Prompt{std::move(*samples), std::move(found->file)});
    }
    if (problem_count > 0) {
        std::string message = "prompts (" + manifest_path.string() +
                              "): " + std::to_string(problem_count) + " problem(s): ";
        for (std::size_t i = 0; i < problems.size(); ++i) {
            message += (i > 0 ? "; " : "") + problems[i];
        }
        return make_error(std::move(message));
    }
    log::info("prompt.load")
        .field("lang", lang)
        .field("prompts", set.prompts_.size())
        .field("overridden", overridden)
        .field("manifest", manifest_path.string())
        .msg("prompts loaded");
    return set;
}

std::span<const int16_t> PromptSet::audio(std::string_view id) const {
    auto it = prompts_.find(id);
    if (it == prompts_.end()) return {};
    return it->second.samples;
}

bool PromptSet::has(std::string_view id) const {
    return prompts_.find(id) != prompts_.end();
}

fs::path PromptSet::source(std::string_view id) const {
    auto it = prompts_.find(id);
    return it == prompts_.end() ? fs::path() : it->second.file;
}

std::vector<std::string> PromptSet::ids() const {
    std::vector<std::string> result;
    result.reserve(prompts_.size());
    for (const auto& [id, prompt] : prompts_)
        result.push_back(id);
    return result;
}

}  // namespace sidebar::prompt
