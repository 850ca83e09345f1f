// Fuzz-style loading of hostile prompt files: every truncation of a valid WAV, random bytes,
// and valid-looking headers with absurd fields. Loading must give a clean Result (an error that
// names the file, or audio) and never crash; the sanitizers of the test build watch the decoder.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "common/prompt/prompt_set.hpp"
#include "test/common/prompt/prompt_test_util.hpp"

namespace fs = std::filesystem;
using sidebar::prompt::PromptSet;
using namespace sidebar::prompt::test;

namespace {

struct Fixture {
    TempDir admin, build;
    fs::path bad;

    Fixture() : bad(admin.path() / "en" / "welcome.wav") {
        write_manifest(build.path(), {"welcome"});
        write_prompt(build.path(), "welcome", 1600, 100);
    }

    // Loads with `bytes` as the admin's welcome.wav; checks the result is clean.
    sidebar::Result<PromptSet> load_with(const std::vector<uint8_t>& bytes) {
        write_bytes(bad, bytes);
        auto set = PromptSet::load({admin.path(), build.path()}, "en");
        if (set.ok()) {
            CHECK(set->has("welcome"));
            CHECK_FALSE(set->audio("welcome").empty());
            CHECK(set->audio("welcome").size() <= 60u * 16000u);
        } else {
            CHECK_THAT(set.message(), Catch::Contains(bad.string()));
        }
        return set;
    }
};

void put_u16(std::vector<uint8_t>& bytes, std::size_t at, uint16_t value) {
    bytes[at] = static_cast<uint8_t>(value);
    bytes[at + 1] = static_cast<uint8_t>(value >> 8);
}

void put_u32(std::vector<uint8_t>& bytes, std::size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i)
        bytes[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

TEST_CASE("every truncation of a valid WAV loads cleanly", "[prompt][hostile]") {
    Fixture f;
    write_prompt(f.admin.path(), "welcome", 400, 1234);
    const auto valid = read_bytes(f.bad);
    REQUIRE(valid.size() > 44);
    std::size_t errors = 0;
    // Every cut inside the header and the first samples, then coarser steps through the data.
    for (std::size_t cut = 0; cut < valid.size(); cut += (cut < 128 ? 1 : 37)) {
        INFO("cut at " << cut);
        std::vector<uint8_t> truncated(valid.begin(), valid.begin() + static_cast<long>(cut));
        if (!f.load_with(truncated).ok()) ++errors;
    }
    // A file cut inside its header can never be audio.
    CHECK(errors >= 44);
}

TEST_CASE("random bytes are refused", "[prompt][hostile]") {
    Fixture f;
    std::mt19937 rng(20241125);  // fixed: a failure must be reproducible
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<std::size_t> length(1, 4096);
    for (int round = 0; round < 60; ++round) {
        std::vector<uint8_t> garbage(length(rng));
        for (auto& b : garbage)
            b = static_cast<uint8_t>(byte(rng));
        INFO("round " << round);
        CHECK_FALSE(f.load_with(garbage).ok());
    }
}

TEST_CASE("a RIFF header with random contents loads cleanly", "[prompt][hostile]") {
    Fixture f;
    write_prompt(f.admin.path(), "welcome", 400, 1234);
    const auto valid = read_bytes(f.bad);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 200; ++round) {
        auto mutated = valid;
        // Scramble a few bytes of the header after "RIFF....WAVE", where the format lives.
        for (int k = 0; k < 4; ++k) {
            std::uniform_int_distribution<std::size_t> where(12, 43);
            mutated[where(rng)] = static_cast<uint8_t>(byte(rng));
        }
        INFO("round " << round);
        (void)f.load_with(mutated);
    }
}

TEST_CASE("absurd format fields are errors", "[prompt][hostile]") {
    Fixture f;
    write_prompt(f.admin.path(), "welcome", 400, 1234);
    const auto valid = read_bytes(f.bad);
    REQUIRE(std::memcmp(valid.data() + 12, "fmt ", 4) == 0);

    SECTION("zero channels") {
        auto bytes = valid;
        put_u16(bytes, 22, 0);
        CHECK_FALSE(f.load_with(bytes).ok());
    }
    SECTION("a thousand channels") {
        auto bytes = valid;
        put_u16(bytes, 22, 1000);
        CHECK_FALSE(f.load_with(bytes).ok());
    }
    SECTION("sample rate zero") {
        auto bytes = valid;
        put_u32(bytes, 24, 0);
        CHECK_FALSE(f.load_with(bytes).ok());
    }
    SECTION("sample rate of 4 GHz") {
        auto bytes = valid;
        put_u32(bytes, 24, 0xFFFFFFFFu);
        CHECK_FALSE(f.load_with(bytes).ok());
    }
    SECTION("a data chunk claiming 4 GiB") {
        auto bytes = valid;
        put_u32(bytes, 40, 0xFFFFFFF0u);
        (void)f.load_with(bytes);  // libsndfile reads what is there: audio or an error, no crash
    }
}
