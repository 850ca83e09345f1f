// Full conference-info documents: structure per RFC 4575 section 5, sidebars-by-val, statuses,
// hostile values and a large room.
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>

#include "mixer/roster/conference_info.hpp"
#include "test/mixer/roster/roster_test_support.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;

namespace {

const std::string kUsers = "/c:conference-info/c:users/c:user";

std::string user_xp(const std::string& entity) {
    return kUsers + "[@entity='" + entity + "']";
}

}  // namespace

TEST_CASE("full document of an empty room", "[roster]") {
    RosterSnapshot s = room_with(0);
    const std::string xml = ConferenceInfo::full(s, 1);
    DocPtr doc = parse_xml(xml);
    REQUIRE(doc);
    CHECK(xp_string(doc.get(), "/c:conference-info/@entity") == "sip:conf=1000@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), "/c:conference-info/@state") == "full");
    CHECK(xp_string(doc.get(), "/c:conference-info/@version") == "1");
    const std::string desc = "/c:conference-info/c:conference-description/";
    CHECK(xp_string(doc.get(), desc + "c:display-text") == "Demo room");
    CHECK(xp_string(doc.get(), desc + "c:conf-uris/c:entry/c:uri") ==
          "sip:conf=1000@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), desc + "c:maximum-user-count") == "50");
    CHECK(xp_number(doc.get(), "/c:conference-info/c:conference-state/c:user-count") == 0);
    CHECK(xp_string(doc.get(), "/c:conference-info/c:conference-state/c:active") == "false");
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:users)") == 1);
    CHECK(xp_number(doc.get(), "count(" + kUsers + ")") == 0);
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:sidebars-by-val)") == 0);
    // Schema order of conference-type's children.
    CHECK(xp_string(doc.get(), "local-name(/c:conference-info/*[1])") == "conference-description");
    CHECK(xp_string(doc.get(), "local-name(/c:conference-info/*[2])") == "conference-state");
    CHECK(xp_string(doc.get(), "local-name(/c:conference-info/*[3])") == "users");
}

TEST_CASE("full document with three members", "[roster]") {
    RosterSnapshot s = room_with(3);
    s.members[1].muted = true;     // 2
    s.members[2].deaf = true;      // 3
    s.members[0].speaking = true;  // 1
    s.members[0].codec = "G722";
    DocPtr doc = parse_xml(ConferenceInfo::full(s, 7));
    REQUIRE(doc);
    CHECK(xp_string(doc.get(), "/c:conference-info/@version") == "7");
    CHECK(xp_number(doc.get(), "/c:conference-info/c:conference-state/c:user-count") == 3);
    CHECK(xp_string(doc.get(), "/c:conference-info/c:conference-state/c:active") == "true");
    CHECK(xp_number(doc.get(), "count(" + kUsers + ")") == 3);
    const std::string alice = user_xp("sip:user1@example.com");
    CHECK(xp_string(doc.get(), alice + "/c:display-text") == "user1");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/@entity") ==
          "sip:member=1000.1@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:status") == "connected");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:joining-method") == "dialed-in");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:joining-info/c:when") ==
          "2024-05-01T10:00:01Z");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:media/c:type") == "audio");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:media/c:display-text") == "G722");
    CHECK(xp_string(doc.get(), alice + "/c:endpoint/c:media/c:status") == "sendrecv");
    CHECK(xp_string(doc.get(), alice + "/sb:member-number") == "1");
    CHECK(xp_string(doc.get(), alice + "/sb:speaking") == "true");
    CHECK(xp_string(doc.get(), user_xp("sip:user2@example.com") + "/c:endpoint/c:media/c:status") ==
          "recvonly");
    CHECK(xp_string(doc.get(), user_xp("sip:user2@example.com") + "/sb:speaking") == "false");
    CHECK(xp_string(doc.get(), user_xp("sip:user3@example.com") + "/c:endpoint/c:media/c:status") ==
          "sendonly");
    s.members[2].muted = true;
    DocPtr both = parse_xml(ConferenceInfo::full(s, 8));
    REQUIRE(both);
    CHECK(xp_string(both.get(), user_xp("sip:user3@example.com") +
                                    "/c:endpoint/c:media/c:status") == "inactive");
    // The Call-ID is never published.
    CHECK(ConferenceInfo::full(s, 8).find("call-1") == std::string::npos);
}

TEST_CASE("members are listed by number whatever the snapshot order", "[roster]") {
    RosterSnapshot s = room_with(3);
    std::swap(s.members[0], s.members[2]);
    DocPtr doc = parse_xml(ConferenceInfo::full(s, 1));
    REQUIRE(doc);
    for (int i = 1; i <= 3; ++i)
        CHECK(xp_string(doc.get(), kUsers + "[" + std::to_string(i) + "]/sb:member-number") ==
              std::to_string(i));
    CHECK(ConferenceInfo::full(s, 1) == ConferenceInfo::full(room_with(3), 1));
}

TEST_CASE("a sidebar with two members: sidebars-by-val and muted-via-focus", "[roster][sidebar]") {
    RosterSnapshot s = room_with(3);
    s.sidebars.push_back(RosterSidebar{2, "Alice & Bob"});
    s.members[0].sidebar = 2;
    s.members[2].sidebar = 2;
    s.members[2].muted = true;
    DocPtr doc = parse_xml(ConferenceInfo::full(s, 1));
    REQUIRE(doc);
    // Main roster: everyone, the moved members muted-via-focus.
    CHECK(xp_number(doc.get(), "/c:conference-info/c:conference-state/c:user-count") == 3);
    CHECK(xp_string(doc.get(), user_xp("sip:user1@example.com") + "/c:endpoint/c:status") ==
          "muted-via-focus");
    CHECK(xp_string(doc.get(), user_xp("sip:user2@example.com") + "/c:endpoint/c:status") ==
          "connected");
    CHECK(xp_string(doc.get(), user_xp("sip:user3@example.com") + "/c:endpoint/c:status") ==
          "muted-via-focus");
    // The sidebar, with its own users (connected there), after users in schema order.
    CHECK(xp_string(doc.get(), "local-name(/c:conference-info/*[4])") == "sidebars-by-val");
    const std::string entry = "/c:conference-info/c:sidebars-by-val/c:entry";
    CHECK(xp_number(doc.get(), "count(" + entry + ")") == 1);
    CHECK(xp_string(doc.get(), entry + "/@entity") == "sip:conf=1000.sb2@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), entry + "/@state") == "full");
    CHECK(xp_string(doc.get(), entry + "/c:conference-description/c:subject") == "Alice & Bob");
    CHECK(xp_number(doc.get(), entry + "/c:conference-state/c:user-count") == 2);
    CHECK(xp_number(doc.get(), "count(" + entry + "/c:users/c:user)") == 2);
    const std::string sb_user3 = entry + "/c:users/c:user[@entity='sip:user3@example.com']";
    CHECK(xp_string(doc.get(), sb_user3 + "/c:endpoint/c:status") == "connected");
    CHECK(xp_string(doc.get(), sb_user3 + "/c:endpoint/c:media/c:status") == "recvonly");
    CHECK(xp_string(doc.get(), sb_user3 + "/sb:member-number") == "3");
    CHECK(xp_number(doc.get(),
                    "count(" + entry + "/c:users/c:user[@entity='sip:user2@example.com'])") == 0);
}

TEST_CASE("members of a sidebar that does not exist stay in the main room", "[roster][sidebar]") {
    RosterSnapshot s = room_with(2);
    s.members[0].sidebar = 9;
    DocPtr doc = parse_xml(ConferenceInfo::full(s, 1));
    REQUIRE(doc);
    CHECK(xp_string(doc.get(), user_xp("sip:user1@example.com") + "/c:endpoint/c:status") ==
          "connected");
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:sidebars-by-val)") == 0);
}

TEST_CASE("hostile display names, URIs and subjects cannot break the document",
          "[roster][hostile]") {
    RosterSnapshot s = room_with(5);
    s.room_name = "</display-text><injected/>";
    s.members[0].display_name = "<script>alert('x')</script>";
    s.members[1].display_name = "\"quoted\" & 'single'";
    s.members[2].display_name = std::string("ctl\x01\x02") + '\0' + "\x1b[2Jend\xff\xfe";
    s.members[3].display_name = std::string(10 * 1024, 'N');
    s.members[4].entity = "sip:x@y\" state=\"deleted";
    s.members[4].codec = "<PCMU>";
    s.members[4].joined_at = "2024&<>";
    s.sidebars.push_back(RosterSidebar{1, std::string(5000, '<')});
    s.members[4].sidebar = 1;
    const std::string xml = ConferenceInfo::full(s, 1);
    DocPtr doc = parse_xml(xml);
    REQUIRE(doc);
    CHECK(xml.find("<script>") == std::string::npos);
    CHECK(xml.find("<injected/>") == std::string::npos);
    CHECK(xp_string(doc.get(), "/c:conference-info/c:conference-description/c:display-text") ==
          "</display-text><injected/>");
    CHECK(xp_string(doc.get(), kUsers + "[1]/c:display-text") == "<script>alert('x')</script>");
    CHECK(xp_string(doc.get(), kUsers + "[2]/c:display-text") == "\"quoted\" & 'single'");
    CHECK(xp_string(doc.get(), kUsers + "[3]/c:display-text") == "ctl[2Jend");
    CHECK(xp_string(doc.get(), kUsers + "[4]/c:display-text").size() == 256);
    CHECK(xp_string(doc.get(), kUsers + "[5]/@entity") == "sip:x@y\" state=\"deleted");
    CHECK(xp_string(doc.get(), kUsers + "[5]/@state") == "full");
    CHECK(xp_string(doc.get(), kUsers + "[5]/c:endpoint/c:media/c:display-text") == "<PCMU>");
    CHECK(xp_string(doc.get(),
                    "/c:conference-info/c:sidebars-by-val/c:entry/"
                    "c:conference-description/c:subject") == std::string(256, '<'));
    CHECK(xml.size() < 16 * 1024);  // 10 KB + 5 KB of hostile input stays bounded
}

TEST_CASE("user entities stay unique when callers repeat or imitate URIs", "[roster][hostile]") {
    RosterSnapshot s = room_with(4);
    s.members[1].entity = s.members[0].entity;                 // same From as member 1
    s.members[2].entity = "sip:member=1000.4@127.0.0.1:5070";  // imitates member 4's URI
    s.members[3].entity = "";
    DocPtr doc = parse_xml(ConferenceInfo::full(s, 1));
    REQUIRE(doc);
    std::set<std::string> keys;
    for (int i = 1; i <= 4; ++i)
        keys.insert(xp_string(doc.get(), kUsers + "[" + std::to_string(i) + "]/@entity"));
    CHECK(keys.size() == 4);
    CHECK(xp_string(doc.get(), kUsers + "[1]/@entity") == "sip:user1@example.com");
    CHECK(xp_string(doc.get(), kUsers + "[2]/@entity") == "sip:member=1000.2@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), kUsers + "[3]/@entity") == "sip:member=1000.3@127.0.0.1:5070");
    CHECK(xp_string(doc.get(), kUsers + "[4]/@entity") == "sip:member=1000.4@127.0.0.1:5070");
}

TEST_CASE("a 1000-member room", "[roster][large]") {
    RosterSnapshot s = room_with(1000);
    s.max_members = 1000;
    for (uint32_t sb = 1; sb <= 10; ++sb)
        s.sidebars.push_back(RosterSidebar{sb, "sb"});
    for (std::size_t i = 0; i < 100; ++i)
        s.members[i].sidebar = static_cast<uint32_t>(i / 10 + 1);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string xml = ConferenceInfo::full(s, 1);
    const auto t1 = std::chrono::steady_clock::now();
    RosterSnapshot after = s;
    after.members[500].speaking = true;
    const std::string part = ConferenceInfo::partial(s, after, 2);
    const auto t2 = std::chrono::steady_clock::now();
    const auto us = [](auto d) {
        return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    };
    WARN("1000 members: full " << xml.size() << " bytes in " << us(t1 - t0) << " us; partial "
                               << part.size() << " bytes in " << us(t2 - t1) << " us");
    DocPtr doc = parse_xml(xml);
    REQUIRE(doc);
    CHECK(xp_number(doc.get(), "count(" + kUsers + ")") == 1000);
    CHECK(xp_number(doc.get(), "count(//c:sidebars-by-val/c:entry/c:users/c:user)") == 100);
    CHECK(xp_number(doc.get(), "count(" + kUsers + "[c:endpoint/c:status='muted-via-focus'])") ==
          100);
    CHECK(xml.size() < 1000 * 1024);  // well under a kilobyte per member
    CHECK(part.size() < 512);
    REQUIRE(parse_xml(part));
}
