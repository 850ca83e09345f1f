// Loading a PromptSet: folder order (admin override first), the manifest lookup, and the errors
// an admin sees for missing, empty, overlong and misplaced files.
#include <catch2/catch.hpp>

#include "common/prompt/prompt_set.hpp"
#include "test/common/prompt/prompt_test_util.hpp"

namespace fs = std::filesystem;
using sidebar::prompt::PromptSet;
using namespace sidebar::prompt::test;

TEST_CASE("prompts load from the build folder", "[prompt][set]") {
    TempDir build;
    write_manifest(build.path(), {"welcome", "goodbye"});
    write_prompt(build.path(), "welcome", 1600, 100);
    write_prompt(build.path(), "goodbye", 800, 200);

    auto set = PromptSet::load({build.path()}, "en");
    REQUIRE(set.ok());
    CHECK(set->size() == 2);
    CHECK(set->lang() == "en");
    CHECK(set->has("welcome"));
    CHECK_FALSE(set->has("nothing"));
    REQUIRE(set->audio("welcome").size() == 1600);
    CHECK(set->audio("welcome")[0] == 100);
    CHECK(set->audio("goodbye").size() == 800);
    CHECK(set->audio("nothing").empty());
    CHECK(set->source("goodbye") == build.path() / "en" / "goodbye.wav");
    CHECK(set->ids() == std::vector<std::string>{"goodbye", "welcome"});
}

TEST_CASE("an admin's folder overrides the build's files id by id", "[prompt][set]") {
    TempDir admin, build;
    write_manifest(build.path(), {"welcome", "goodbye"});
    write_prompt(build.path(), "welcome", 1600, 100);
    write_prompt(build.path(), "goodbye", 800, 200);
    // A recording at 8 kHz: it is converted to the internal rate.
    write_prompt(admin.path(), "welcome", 4000, 5000, "en", 8000);

    auto set = PromptSet::load({admin.path(), build.path()}, "en");
    REQUIRE(set.ok());
    auto welcome = set->audio("welcome");
    CHECK(welcome.size() == 8000);
    CHECK(welcome[welcome.size() / 2] > 4000);  // the admin's file, not the build's value 100
    CHECK(set->source("welcome") == admin.path() / "en" / "welcome.wav");
    CHECK(set->audio("goodbye")[0] == 200);  // not overridden: the build's file
}

TEST_CASE("spans stay valid when the set is moved", "[prompt][set]") {
    TempDir build;
    write_manifest(build.path(), {"a"});
    write_prompt(build.path(), "a", 320, 7);
    auto set = PromptSet::load({build.path()}, "en");
    REQUIRE(set.ok());
    auto before = set->audio("a");
    PromptSet moved = std::move(*set);
    CHECK(moved.audio("a").data() == before.data());
}

TEST_CASE("a missing id is an error naming the id and the folders", "[prompt][set]") {
    TempDir admin, build;
    write_manifest(build.path(), {"welcome", "goodbye"});
    write_prompt(build.path(), "welcome", 1600, 100);

    auto set = PromptSet::load({admin.path(), build.path()}, "en");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.message(), Catch::Contains("\"goodbye\""));
    CHECK_THAT(set.message(), Catch::Contains("en/goodbye.wav"));
    CHECK_THAT(set.message(), Catch::Contains(admin.path().string()));
    CHECK_THAT(set.message(), Catch::Contains("1 problem"));
}

TEST_CASE("bad files are errors naming the file, not a fall-back", "[prompt][set]") {
    TempDir admin, build;
    write_manifest(build.path(), {"welcome"});
    write_prompt(build.path(), "welcome", 1600, 100);
    const fs::path bad = admin.path() / "en" / "welcome.wav";

    SECTION("empty file") {
        write_text(bad, "");
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains(bad.string()));
        CHECK_THAT(set.message(), Catch::Contains("empty"));
    }
    SECTION("a WAV header with no samples") {
        write_prompt(admin.path(), "welcome", 0, 0);
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains(bad.string()));
    }
    SECTION("longer than 60 s") {
        write_prompt(admin.path(), "welcome", 61 * 8000, 10, "en", 8000);
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains(bad.string()));
        CHECK_THAT(set.message(), Catch::Contains("limit"));
    }
    SECTION("a folder where the file should be") {
        fs::create_directories(bad);
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains("not a regular file"));
    }
    SECTION("a dangling symlink") {
        fs::create_directories(bad.parent_path());
        fs::create_symlink(admin.path() / "gone.wav", bad);
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains(bad.string()));
    }
    SECTION("unreadable file") {
        write_prompt(admin.path(), "welcome", 1600, 100);
        fs::permissions(bad, fs::perms::none);
        if (::access(bad.c_str(), R_OK) == 0) {
            // Running as root: permissions do not stop reading. Show a text file instead, which
            // is the other everyday way for an admin's file to be unusable.
            write_text(bad, "this is not audio, it is a note an admin saved as .wav\n");
        }
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains(bad.string()));
    }
}

TEST_CASE("several problems are reported together", "[prompt][set]") {
    TempDir build;
    write_manifest(build.path(), {"a", "b", "c"});
    write_prompt(build.path(), "b", 320, 1);
    auto set = PromptSet::load({build.path()}, "en");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.message(), Catch::Contains("2 problem(s)"));
    CHECK_THAT(set.message(), Catch::Contains("\"a\""));
    CHECK_THAT(set.message(), Catch::Contains("\"c\""));
}

TEST_CASE("the manifest is found in the folders or given explicitly", "[prompt][set]") {
    TempDir admin, build, elsewhere;
    write_manifest(build.path(), {"a"});
    write_prompt(build.path(), "a", 320, 1);
    write_prompt(build.path(), "b", 320, 2);

    SECTION("an admin's manifest comes first and may add ids") {
        write_manifest(admin.path(), {"a", "b"});
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        REQUIRE(set.ok());
        CHECK(set->has("b"));
    }
    SECTION("an explicit manifest") {
        sidebar::prompt::LoadOptions options;
        options.manifest = write_manifest(elsewhere.path(), {"b"});
        auto set = PromptSet::load({build.path()}, "en", options);
        REQUIRE(set.ok());
        CHECK(set->size() == 1);
        CHECK(set->has("b"));
    }
    SECTION("a broken explicit manifest") {
        sidebar::prompt::LoadOptions options;
        options.manifest = elsewhere.path() / "broken.json";
        write_text(*options.manifest, "{\"lang\": ");
        auto set = PromptSet::load({build.path()}, "en", options);
        REQUIRE_FALSE(set.ok());
        CHECK_THAT(set.message(), Catch::Contains("broken.json"));
    }
}

TEST_CASE("bad arguments are errors", "[prompt][set]") {
    TempDir build;
    CHECK_FALSE(PromptSet::load({}, "en").ok());
    CHECK_FALSE(PromptSet::load({build.path()}, "../en").ok());
    CHECK_FALSE(PromptSet::load({build.path()}, "").ok());
}
