// RFC 8285 header extension elements: finding them in both forms, and refusing overruns.
#include "common/rtp/header_extension.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "test/common/rtp/fixtures.hpp"

using Catch::Contains;
using namespace sidebar::rtp;

SCENARIO("one-byte extension elements are found by id", "[rtp][extension]") {
    const auto bytes = test::load_fixture("csrc_ext.rtp");
    auto packet = parse_rtp(bytes);
    REQUIRE(packet.ok());
    REQUIRE(packet->header.extension.has_value());
    const HeaderExtension& ext = *packet->header.extension;
    CHECK(is_one_byte_extension(ext));
    CHECK_FALSE(is_two_byte_extension(ext));

    auto level = find_extension_element(ext, 1);
    REQUIRE(level.ok());
    REQUIRE(level->has_value());
    REQUIRE((*level)->size() == 1);
    CHECK((**level)[0] == (0x80 | 50));  // RFC 6464: voice, -50 dBov

    auto three = find_extension_element(ext, 3);
    REQUIRE(three.ok());
    REQUIRE(three->has_value());
    CHECK(std::vector<uint8_t>((*three)->begin(), (*three)->end()) ==
          std::vector<uint8_t>{0x12, 0x34, 0x56});

    auto absent = find_extension_element(ext, 2);
    REQUIRE(absent.ok());
    CHECK_FALSE(absent->has_value());
}

SCENARIO("two-byte extension elements are found, padding skipped", "[rtp][extension]") {
    const std::vector<uint8_t> data = {0, 1, 2, 0xAB, 0xCD, 7, 0, 0};
    const HeaderExtension ext{0x1003, data};  // appbits 3 are ignored
    CHECK(is_two_byte_extension(ext));
    auto one = find_extension_element(ext, 1);
    REQUIRE(one.ok());
    REQUIRE(one->has_value());
    CHECK((*one)->size() == 2);
    CHECK((**one)[1] == 0xCD);
    auto seven = find_extension_element(ext, 7);
    REQUIRE(seven.ok());
    REQUIRE(seven->has_value());
    CHECK((*seven)->empty());  // two-byte form allows zero-length elements
}

SCENARIO("malformed extension elements are refused", "[rtp][extension][hostile]") {
    GIVEN("a one-byte element longer than the extension") {
        const std::vector<uint8_t> data = {0x2F, 1, 2, 3};  // id 2, 16 bytes
        auto r = find_extension_element(HeaderExtension{0xBEDE, data}, 5);
        REQUIRE_FALSE(r.ok());
        CHECK(r.message() ==
              "rtp: extension element 2 at offset 0 with 16 data bytes runs past the 4-byte "
              "extension");
    }
    GIVEN("a two-byte element header cut by the end") {
        const std::vector<uint8_t> data = {0, 0, 0, 9};
        auto r = find_extension_element(HeaderExtension{0x1000, data}, 5);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("element 9 at offset 3"));
    }
    GIVEN("a two-byte element length past the end") {
        const std::vector<uint8_t> data = {4, 200, 0, 0};
        auto r = find_extension_element(HeaderExtension{0x1000, data}, 4);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.message(), Contains("200 data bytes runs past the 4-byte extension"));
    }
    GIVEN("ids that cannot exist") {
        const std::vector<uint8_t> data = {0x10, 1, 0, 0};
        CHECK_THAT(find_extension_element(HeaderExtension{0xBEDE, data}, 15).message(),
                   Contains("outside 1..14"));
        CHECK_THAT(find_extension_element(HeaderExtension{0xBEDE, data}, 0).message(),
                   Contains("outside 1..14"));
        CHECK_THAT(find_extension_element(HeaderExtension{0x1000, data}, 0).message(),
                   Contains("id 0 is padding"));
    }
    GIVEN("id 15, which ends a one-byte walk before a bogus element") {
        const std::vector<uint8_t> data = {0xF0, 0x2F, 0, 0};
        auto r = find_extension_element(HeaderExtension{0xBEDE, data}, 2);
        REQUIRE(r.ok());
        CHECK_FALSE(r->has_value());
    }
    GIVEN("another profile's extension") {
        const std::vector<uint8_t> data = {0x10, 1, 0, 0};
        auto r = find_extension_element(HeaderExtension{0x1234, data}, 1);
        REQUIRE(r.ok());
        CHECK_FALSE(r->has_value());
    }
}
