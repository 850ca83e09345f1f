// Recording paths: refused names, parent directories created, and numbered names instead of
// overwriting an existing file.
#include "mixer/recording/recording_path.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "test/mixer/recording/recording_test_support.hpp"

using namespace sidebar::mixer;
using sidebar::mixer::test::ScratchDir;

TEST_CASE("recording paths that are refused", "[recording][path]") {
    ScratchDir dir;
    std::filesystem::create_directories(dir / "sub");
    CHECK_FALSE(check_recording_path(""));
    CHECK_FALSE(check_recording_path(std::string("a\0b.wav", 7)));
    CHECK_FALSE(check_recording_path(dir.path() / "x" / ""));
    CHECK_FALSE(check_recording_path(dir.path() / "."));
    CHECK_FALSE(check_recording_path(dir.path() / ".."));
    CHECK_FALSE(check_recording_path(dir / "sub"));  // a directory
    CHECK_FALSE(check_recording_path("/dev/full"));  // a device
    CHECK_FALSE(check_recording_path(std::string(5000, 'a')));
    std::filesystem::create_symlink(dir / "target.wav", dir / "link.wav");
    CHECK_FALSE(check_recording_path(dir / "link.wav"));
    CHECK(check_recording_path(dir / "fine.wav"));
    CHECK(check_recording_path("relative.wav"));

    const auto refused = claim_recording_path(std::string("a\0b.wav", 7));
    REQUIRE_FALSE(refused);
    CHECK(refused.message().find("NUL") != std::string::npos);
    CHECK_FALSE(claim_recording_path("/dev/full"));
    CHECK_FALSE(std::filesystem::exists("/dev/full-1"));
}

TEST_CASE("claiming creates directories and never overwrites", "[recording][path]") {
    ScratchDir dir;
    const auto first = claim_recording_path(dir.path() / "a" / "b" / "room.wav");
    REQUIRE(first);
    CHECK(*first == dir.path() / "a" / "b" / "room.wav");
    CHECK(std::filesystem::is_regular_file(*first));

    std::ofstream(dir / "keep.wav") << "precious";
    const auto second = claim_recording_path(dir / "keep.wav");
    REQUIRE(second);
    CHECK(*second == dir / "keep-1.wav");
    const auto third = claim_recording_path(dir / "keep.wav");
    REQUIRE(third);
    CHECK(*third == dir / "keep-2.wav");
    std::ifstream in(dir / "keep.wav");
    std::string content;
    in >> content;
    CHECK(content == "precious");
}

TEST_CASE("claiming under a regular file fails with a reason", "[recording][path]") {
    ScratchDir dir;
    std::ofstream(dir / "somefile") << "x";
    const auto r = claim_recording_path(dir.path() / "somefile" / "x.wav");
    REQUIRE_FALSE(r);
    CHECK(r.message().find("somefile") != std::string::npos);
}
