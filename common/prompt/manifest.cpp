// Parsing and validating prompt manifests without exceptions: a manifest may come from an admin's
// override folder, so every problem is a Result naming the file and the key.
#include "common/prompt/manifest.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

namespace sidebar::prompt {
namespace {

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_lang_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

template <typename Pred>
bool all_of_chars(std::string_view text, Pred pred) {
    for (char c : text) {
        if (!pred(c)) return false;
    }
    return true;
}

Error fail(std::string_view origin, std::string_view what) {
    return make_error("prompt manifest " + std::string(origin) + ": " + std::string(what));
}

Result<std::string> string_member(const nlohmann::json& json, const char* key,
                                  std::string_view origin) {
    auto it = json.find(key);
    if (it == json.end() || !it->is_string()) {
        return fail(origin, std::string("\"") + key + "\" must be a string");
    }
    return it->get<std::string>();
}

}  // namespace

bool valid_prompt_id(std::string_view id) {
    return !id.empty() && id.size() <= kMaxPromptIdChars && all_of_chars(id, is_id_char);
}

bool valid_lang(std::string_view lang) {
    return !lang.empty() && lang.size() <= 16 && all_of_chars(lang, is_lang_char);
}

Result<Manifest> parse_manifest(std::string_view text, std::string_view origin) {
    if (text.size() > kMaxManifestBytes) return fail(origin, "larger than 1 MiB");
    const auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded()) return fail(origin, "not valid JSON");
    if (!json.is_object()) return fail(origin, "must be a JSON object");

    Manifest manifest;
    auto lang = string_member(json, "lang", origin);
    if (!lang) return lang.error();
    if (!valid_lang(*lang)) return fail(origin, "\"lang\" must be a language name like \"en\"");
    manifest.lang = std::move(*lang);
    auto voice = string_member(json, "voice", origin);
    if (!voice) return voice.error();
    manifest.voice = std::move(*voice);

    auto prompts = json.find("prompts");
    if (prompts == json.end() || !prompts->is_object() || prompts->empty()) {
        return fail(origin, "\"prompts\" must be a non-empty object of id: text");
    }
    if (prompts->size() > kMaxPrompts) return fail(origin, "more than 2000 prompts");
    manifest.prompts.reserve(prompts->size());
    for (const auto& [id, value] : prompts->items()) {
        if (!valid_prompt_id(id)) {
            return fail(origin, "prompt id \"" + id.substr(0, kMaxPromptIdChars) +
                                    "\" must be 1..64 characters of a-z, 0-9 and _");
        }
        if (!value.is_string()) return fail(origin, "prompts." + id + " must be a string");
        const auto& text_value = value.get_ref<const std::string&>();
        if (text_value.empty() || text_value.size() > kMaxPromptTextChars) {
            return fail(origin, "prompts." + id + " must have 1..500 characters");
        }
        manifest.prompts.push_back(ManifestEntry{id, text_value});
    }
    return manifest;
}

Result<Manifest> load_manifest(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return fail(name, ec ? ec.message() : "not found or not a regular file");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail(name, ec.message());
    if (size > kMaxManifestBytes) return fail(name, "larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(name, "cannot be opened");
    // One byte more than the size seen, so a file growing meanwhile still fails the size check.
    std::string text(static_cast<std::size_t>(size) + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return fail(name, "read error");
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse_manifest(text, name);
}

}  // namespace sidebar::prompt
