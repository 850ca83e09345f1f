// Partial conference-info documents and differs(): each change produces the RFC 4575 partial
// elements, and a subscriber applying full(before) then partial(before, after) ends with exactly
// the state of full(after) (checked for single changes and for random sequences).
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "mixer/roster/conference_info.hpp"
#include "test/mixer/roster/roster_test_support.hpp"

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;

namespace {

const std::string kUsers = "/c:conference-info/c:users";
const std::string kSidebars = "/c:conference-info/c:sidebars-by-val";

Model model_of(const RosterSnapshot& s, unsigned long version) {
    Model m;
    DocPtr doc = parse_xml(ConferenceInfo::full(s, static_cast<uint32_t>(version)));
    REQUIRE(doc);
    REQUIRE(apply(m, doc.get()));
    return m;
}

// Checks the partial from before to after and returns it parsed.
DocPtr check_partial(const RosterSnapshot& before, const RosterSnapshot& after) {
    Model m = model_of(before, 4);
    const std::string xml = ConferenceInfo::partial(before, after, 5);
    DocPtr doc = parse_xml(xml);
    REQUIRE(doc);
    CHECK(xp_string(doc.get(), "/c:conference-info/@state") == "partial");
    CHECK(xp_string(doc.get(), "/c:conference-info/@version") == "5");
    REQUIRE(apply(m, doc.get()));
    CHECK(m == model_of(after, 5));
    CHECK(ConferenceInfo::differs(before, after));
    return doc;
}

RosterSnapshot with_sidebar(uint32_t n) {
    RosterSnapshot s = room_with(n);
    s.sidebars.push_back(RosterSidebar{1, "side"});
    s.members[0].sidebar = 1;
    s.members[1].sidebar = 1;
    return s;
}

}  // namespace

TEST_CASE("partial: a member joins", "[roster][partial]") {
    const RosterSnapshot before = room_with(2);
    RosterSnapshot after = before;
    after.members.push_back(member(3, "carol"));
    DocPtr doc = check_partial(before, after);
    CHECK(xp_string(doc.get(), kUsers + "/@state") == "partial");
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user)") == 1);
    CHECK(xp_string(doc.get(), kUsers + "/c:user/@entity") == "sip:carol@example.com");
    CHECK(xp_string(doc.get(), kUsers + "/c:user/@state") == "full");
    CHECK(xp_string(doc.get(), kUsers + "/c:user/sb:member-number") == "3");
    CHECK(xp_number(doc.get(), "/c:conference-info/c:conference-state/c:user-count") == 3);
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:conference-description)") == 0);
}

TEST_CASE("partial: a member leaves", "[roster][partial]") {
    const RosterSnapshot before = room_with(3);
    RosterSnapshot after = before;
    after.members.erase(after.members.begin() + 1);
    DocPtr doc = check_partial(before, after);
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user)") == 1);
    CHECK(xp_string(doc.get(), kUsers + "/c:user/@entity") == "sip:user2@example.com");
    CHECK(xp_string(doc.get(), kUsers + "/c:user/@state") == "deleted");
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user/*)") == 0);
    CHECK(xp_number(doc.get(), "/c:conference-info/c:conference-state/c:user-count") == 2);
    // The last one leaving makes the conference inactive.
    const RosterSnapshot empty = room_with(0);
    DocPtr last = check_partial(room_with(1), empty);
    CHECK(xp_string(last.get(), "/c:conference-info/c:conference-state/c:active") == "false");
}

TEST_CASE("partial: mute and unmute change only the media", "[roster][partial]") {
    const RosterSnapshot before = room_with(3);
    RosterSnapshot after = before;
    after.members[2].muted = true;
    DocPtr doc = check_partial(before, after);
    const std::string user = kUsers + "/c:user";
    CHECK(xp_number(doc.get(), "count(" + user + ")") == 1);
    CHECK(xp_string(doc.get(), user + "/@state") == "partial");
    CHECK(xp_string(doc.get(), user + "/c:endpoint/@state") == "partial");
    CHECK(xp_string(doc.get(), user + "/c:endpoint/c:media/@id") == "1");
    CHECK(xp_string(doc.get(), user + "/c:endpoint/c:media/c:status") == "recvonly");
    CHECK(xp_number(doc.get(), "count(" + user + "/c:endpoint/c:status)") == 0);
    CHECK(xp_number(doc.get(), "count(" + user + "/c:display-text)") == 0);
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:conference-state)") == 0);
    DocPtr back = check_partial(after, before);
    CHECK(xp_string(back.get(), user + "/c:endpoint/c:media/c:status") == "sendrecv");
}

TEST_CASE("partial: speaking starts and stops", "[roster][partial]") {
    const RosterSnapshot before = room_with(2);
    RosterSnapshot after = before;
    after.members[0].speaking = true;
    DocPtr doc = check_partial(before, after);
    const std::string user = kUsers + "/c:user";
    CHECK(xp_string(doc.get(), user + "/@entity") == "sip:user1@example.com");
    CHECK(xp_string(doc.get(), user + "/sb:speaking") == "true");
    CHECK(xp_number(doc.get(), "count(" + user + "/c:endpoint)") == 0);
    DocPtr stop = check_partial(after, before);
    CHECK(xp_string(stop.get(), user + "/sb:speaking") == "false");
}

TEST_CASE("partial: a sidebar is created with two members", "[roster][partial][sidebar]") {
    const RosterSnapshot before = room_with(3);
    const RosterSnapshot after = with_sidebar(3);
    DocPtr doc = check_partial(before, after);
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user[@state='partial'])") == 2);
    CHECK(xp_string(doc.get(), kUsers + "/c:user[1]/c:endpoint/c:status") == "muted-via-focus");
    CHECK(xp_string(doc.get(), kSidebars + "/@state") == "partial");
    CHECK(xp_string(doc.get(), kSidebars + "/c:entry/@state") == "full");
    CHECK(xp_string(doc.get(), kSidebars + "/c:entry/@entity") ==
          "sip:conf=1000.sb1@127.0.0.1:5070");
    CHECK(xp_number(doc.get(), "count(" + kSidebars + "/c:entry/c:users/c:user)") == 2);
    // No change in the number of people in the conference.
    CHECK(xp_number(doc.get(), "count(/c:conference-info/c:conference-state)") == 0);
}

TEST_CASE("partial: a member moves into and out of an existing sidebar",
          "[roster][partial][sidebar]") {
    const RosterSnapshot before = with_sidebar(3);
    RosterSnapshot after = before;
    after.members[2].sidebar = 1;
    DocPtr doc = check_partial(before, after);
    const std::string entry = kSidebars + "/c:entry";
    CHECK(xp_string(doc.get(), entry + "/@state") == "partial");
    CHECK(xp_number(doc.get(), entry + "/c:conference-state/c:user-count") == 3);
    CHECK(xp_string(doc.get(), entry + "/c:users/c:user/@entity") == "sip:user3@example.com");
    CHECK(xp_string(doc.get(), entry + "/c:users/c:user/@state") == "full");
    DocPtr out = check_partial(after, before);
    CHECK(xp_string(out.get(), entry + "/c:users/c:user/@state") == "deleted");
    CHECK(xp_string(out.get(), kUsers + "/c:user/c:endpoint/c:status") == "connected");
}

TEST_CASE("partial: a sidebar is dissolved", "[roster][partial][sidebar]") {
    const RosterSnapshot before = with_sidebar(3);
    const RosterSnapshot after = room_with(3);
    DocPtr doc = check_partial(before, after);
    CHECK(xp_string(doc.get(), kSidebars + "/c:entry/@state") == "deleted");
    CHECK(xp_number(doc.get(), "count(" + kSidebars + "/c:entry/*)") == 0);
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user[c:endpoint/c:status='connected'])") ==
          2);
}

TEST_CASE("partial: room name and limit changes resend the description", "[roster][partial]") {
    const RosterSnapshot before = room_with(1);
    RosterSnapshot after = before;
    after.room_name = "Renamed";
    after.max_members = 0;
    DocPtr doc = check_partial(before, after);
    const std::string desc = "/c:conference-info/c:conference-description";
    CHECK(xp_string(doc.get(), desc + "/c:display-text") == "Renamed");
    CHECK(xp_number(doc.get(), "count(" + desc + "/c:maximum-user-count)") == 0);
}

TEST_CASE("partial: a user whose key moves is deleted before it is re-added", "[roster][partial]") {
    RosterSnapshot before = room_with(2);
    before.members[1].entity = before.members[0].entity;  // 2 falls back to its member URI
    RosterSnapshot after = before;
    after.members.erase(after.members.begin());  // 1 leaves: 2 now gets its From as key
    DocPtr doc = check_partial(before, after);
    CHECK(xp_number(doc.get(), "count(" + kUsers + "/c:user[@state='deleted'])") == 2);
    CHECK(xp_string(doc.get(), kUsers + "/c:user[3]/@entity") == "sip:user1@example.com");
    CHECK(xp_string(doc.get(), kUsers + "/c:user[3]/@state") == "full");
}

TEST_CASE("partial: another room or focus gives a full document", "[roster][partial]") {
    const RosterSnapshot before = room_with(1);
    RosterSnapshot after = before;
    after.room = "2000";
    DocPtr doc = parse_xml(ConferenceInfo::partial(before, after, 3));
    REQUIRE(doc);
    CHECK(xp_string(doc.get(), "/c:conference-info/@state") == "full");
    CHECK(xp_string(doc.get(), "/c:conference-info/@entity") == "sip:conf=2000@127.0.0.1:5070");
    CHECK(ConferenceInfo::differs(before, after));
}

TEST_CASE("differs: only what a subscriber sees counts", "[roster][differs]") {
    const RosterSnapshot base = with_sidebar(3);
    RosterSnapshot same = base;
    CHECK_FALSE(ConferenceInfo::differs(base, same));
    same.members[0].call_id = "other";            // not published
    std::swap(same.members[0], same.members[2]);  // order is not shown either
    CHECK_FALSE(ConferenceInfo::differs(base, same));
    RosterSnapshot trunc = base;
    trunc.members[2].display_name = std::string(300, 'a');
    RosterSnapshot trunc2 = trunc;
    trunc2.members[2].display_name += "tail beyond the limit";
    CHECK_FALSE(ConferenceInfo::differs(trunc, trunc2));
    // An empty partial is still a valid document.
    DocPtr empty = parse_xml(ConferenceInfo::partial(base, same, 2));
    REQUIRE(empty);
    CHECK(xp_number(empty.get(), "count(/c:conference-info/*)") == 0);

    const auto changed = [&](auto mutate) {
        RosterSnapshot s = base;
        mutate(s);
        return ConferenceInfo::differs(base, s);
    };
    CHECK(changed([](RosterSnapshot& s) { s.members[2].speaking = true; }));
    CHECK(changed([](RosterSnapshot& s) { s.members[2].deaf = true; }));
    CHECK(changed([](RosterSnapshot& s) { s.members[2].display_name = "x"; }));
    CHECK(changed([](RosterSnapshot& s) { s.members[2].codec = "PCMA"; }));
    CHECK(changed([](RosterSnapshot& s) { s.members[2].sidebar = 1; }));
    CHECK(changed([](RosterSnapshot& s) { s.sidebars[0].subject = "new"; }));
    CHECK(changed([](RosterSnapshot& s) { s.max_members = 3; }));
    CHECK(changed([](RosterSnapshot& s) { s.members.pop_back(); }));
    CHECK(changed([](RosterSnapshot& s) { s.focus_host = "127.0.0.1:5071"; }));
}

TEST_CASE("random change sequences: full + partials always equal the new full",
          "[roster][partial]") {
    std::mt19937 rng(4575);
    const auto pick = [&](uint32_t n) {
        return std::uniform_int_distribution<uint32_t>(0, n)(rng);
    };
    for (int run = 0; run < 20; ++run) {
        RosterSnapshot s = room_with(pick(6));
        uint32_t next_member = 100;
        uint32_t next_sidebar = 1;
        Model m = model_of(s, 1);
        for (unsigned long version = 2; version < 60; ++version) {
            RosterSnapshot t = s;
            for (uint32_t k = pick(3) + 1; k > 0; --k) {
                const uint32_t op = pick(7);
                RosterMember* victim =
                    t.members.empty()
                        ? nullptr
                        : &t.members[pick(static_cast<uint32_t>(t.members.size() - 1))];
                if (op == 0) {
                    t.members.push_back(member(next_member, "m" + std::to_string(next_member % 7)));
                    ++next_member;  // repeated names exercise the key fallback
                } else if (op == 1 && victim) {
                    t.members.erase(t.members.begin() + (victim - t.members.data()));
                } else if (op == 2 && victim) {
                    victim->muted = !victim->muted;
                } else if (op == 3 && victim) {
                    victim->speaking = !victim->speaking;
                } else if (op == 4) {
                    t.sidebars.push_back(RosterSidebar{next_sidebar++, "s"});
                } else if (op == 5 && !t.sidebars.empty()) {
                    const uint32_t gone = t.sidebars.front().number;
                    t.sidebars.erase(t.sidebars.begin());
                    for (RosterMember& x : t.members)
                        if (x.sidebar == gone) x.sidebar = 0;
                } else if (op == 6 && victim && !t.sidebars.empty()) {
                    victim->sidebar =
                        t.sidebars[pick(static_cast<uint32_t>(t.sidebars.size() - 1))].number;
                } else if (op == 7 && victim) {
                    victim->deaf = !victim->deaf;
                    victim->display_name += "!";
                }
            }
            DocPtr doc = parse_xml(ConferenceInfo::partial(s, t, static_cast<uint32_t>(version)));
            REQUIRE(doc);
            REQUIRE(apply(m, doc.get()));
            REQUIRE(m == model_of(t, version));
            const bool empty = xp_number(doc.get(), "count(/c:conference-info/*)") == 0;
            REQUIRE(ConferenceInfo::differs(s, t) == !empty);
            s = std::move(t);
        }
    }
}
