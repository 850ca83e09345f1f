// The mixer's Request-URI resources: what is ours parses, everything else is refused.
#include "common/sip/resource_uri.hpp"

#include <catch2/catch.hpp>

using sidebar::sip::parse_resource;
using sidebar::sip::Resource;

TEST_CASE("resource user parts of DESIGN 5.1 parse", "[sip]") {
    auto conf = parse_resource("conf=1000");
    REQUIRE(conf);
    CHECK(conf->kind == Resource::Kind::conference);
    CHECK(conf->room == "1000");

    auto sb = parse_resource("conf=1000.sb3");
    REQUIRE(sb);
    CHECK(sb->kind == Resource::Kind::sidebar);
    CHECK(sb->number == 3);

    auto factory = parse_resource("sidebar=1000");
    REQUIRE(factory);
    CHECK(factory->kind == Resource::Kind::sidebar_factory);

    auto member = parse_resource("member=1000.12");
    REQUIRE(member);
    CHECK(member->kind == Resource::Kind::member);
    CHECK(member->number == 12);
    CHECK(sidebar::sip::resource_user(*member) == "member=1000.12");
    CHECK(sidebar::sip::resource_user(*sb) == "conf=1000.sb3");
}

TEST_CASE("anything else is not a resource", "[sip]") {
    for (const char* bad :
         {"", "conf=", "conf=.sb1", "conf=1000.sb", "conf=1000.sb0", "conf=1000.sb01",
          "conf=1000.x1", "member=1000", "member=1000.", "member=1000.0", "member=1000.1234567",
          "sidebar=", "sidebar=10.1", "bob", "conf=10 00", "conf=room/../x",
          "conf=123456789012345678901234567890123", "CONF=1000", "menu=1"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_resource(bad));
    }
}
