// Manifest parsing: the shape the build and the loader agree on, and refusal of ids that would
// escape the prompt folder.
#include <catch2/catch.hpp>

#include "common/prompt/manifest.hpp"
#include "common/prompt/prompt_set.hpp"
#include "test/common/prompt/prompt_test_util.hpp"

using sidebar::prompt::parse_manifest;

TEST_CASE("a valid manifest parses with every entry", "[prompt][manifest]") {
    auto manifest = parse_manifest(
        R"({"lang": "en", "voice": "en-us", "prompts": {"welcome": "Hello.", "n_1": "one"}})",
        "test");
    REQUIRE(manifest.ok());
    CHECK(manifest->lang == "en");
    CHECK(manifest->voice == "en-us");
    REQUIRE(manifest->prompts.size() == 2);
    bool saw_welcome = false;
    for (const auto& entry : manifest->prompts) {
        if (entry.id == "welcome") {
            saw_welcome = true;
            CHECK(entry.text == "Hello.");
        }
    }
    CHECK(saw_welcome);
}

TEST_CASE("manifest errors name the origin and the problem", "[prompt][manifest]") {
    struct Case {
        const char* json;
        const char* expect;
    };
    const Case cases[] = {
        {"{", "not valid JSON"},
        {"[]", "must be a JSON object"},
        {R"({"voice": "en-us", "prompts": {"a": "b"}})", "\"lang\""},
        {R"({"lang": "../x", "voice": "en-us", "prompts": {"a": "b"}})", "\"lang\""},
        {R"({"lang": "en", "voice": 3, "prompts": {"a": "b"}})", "\"voice\""},
        {R"({"lang": "en", "voice": "v", "prompts": {}})", "non-empty"},
        {R"({"lang": "en", "voice": "v", "prompts": ["a"]})", "non-empty"},
        {R"({"lang": "en", "voice": "v", "prompts": {"../../etc/passwd": "x"}})", "prompt id"},
        {R"({"lang": "en", "voice": "v", "prompts": {"Welcome": "x"}})", "prompt id"},
        {R"({"lang": "en", "voice": "v", "prompts": {"": "x"}})", "prompt id"},
        {R"({"lang": "en", "voice": "v", "prompts": {"a": 1}})", "prompts.a must be a string"},
        {R"({"lang": "en", "voice": "v", "prompts": {"a": ""}})", "1..500"},
    };
    for (const auto& c : cases) {
        INFO(c.json);
        auto manifest = parse_manifest(c.json, "origin.json");
        REQUIRE_FALSE(manifest.ok());
        CHECK_THAT(manifest.message(), Catch::Contains("origin.json"));
        CHECK_THAT(manifest.message(), Catch::Contains(c.expect));
    }
}

TEST_CASE("overlong manifest texts and files are refused", "[prompt][manifest]") {
    const std::string long_text(501, 'a');
    auto manifest = parse_manifest(
        R"({"lang": "en", "voice": "v", "prompts": {"a": ")" + long_text + "\"}}", "t");
    CHECK_FALSE(manifest.ok());
    const std::string huge(sidebar::prompt::kMaxManifestBytes + 1, ' ');
    auto too_big = parse_manifest(huge, "t");
    REQUIRE_FALSE(too_big.ok());
    CHECK_THAT(too_big.message(), Catch::Contains("1 MiB"));
}

TEST_CASE("load_manifest reports missing files by name", "[prompt][manifest]") {
    sidebar::prompt::test::TempDir dir;
    auto missing = sidebar::prompt::load_manifest(dir.path() / "nope.json");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.message(), Catch::Contains("nope.json"));
    auto path = sidebar::prompt::test::write_manifest(dir.path(), {"a", "b"});
    auto loaded = sidebar::prompt::load_manifest(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->prompts.size() == 2);
}

TEST_CASE("the source tree's English manifest is valid", "[prompt][manifest]") {
    auto manifest =
        sidebar::prompt::load_manifest(sidebar::prompt::source_prompt_dir() / "en/manifest.json");
    REQUIRE(manifest.ok());
    CHECK(manifest->lang == "en");
    CHECK(manifest->prompts.size() > 50);
}
