// Direction and hold in negotiate_answer: the RFC 3264 6.1 complement of the offer, limited by
// what we do, with the RFC 2543 c=0.0.0.0 hold counted as "do not send".
#include <catch2/catch.hpp>

#include "common/sdp/offer_answer.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "test/common/sdp/sdp_test_support.hpp"

using namespace sidebar::sdp;

namespace {

SessionDescription audio_offer(const std::string& address, std::optional<Direction> media_dir,
                               std::optional<Direction> session_dir = std::nullopt) {
    std::string text =
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n";
    if (session_dir) text += "a=" + std::string(to_string(*session_dir)) + "\r\n";
    text += "m=audio 4000 RTP/AVP 0\r\n";
    if (media_dir) text += "a=" + std::string(to_string(*media_dir)) + "\r\n";
    auto sd = parse(text);
    REQUIRE(sd.ok());
    return std::move(sd).value();
}

}  // namespace

SCENARIO("our direction is the complement of the offer's", "[sdp][offer_answer][direction]") {
    struct Case {
        std::optional<Direction> offered;
        bool zero_address;
        Direction ours;
        bool hold;
    };
    const std::vector<Case> cases{
        {std::nullopt, false, Direction::sendrecv, false},
        {Direction::sendrecv, false, Direction::sendrecv, false},
        {Direction::sendonly, false, Direction::recvonly, true},
        {Direction::recvonly, false, Direction::sendonly, false},
        {Direction::inactive, false, Direction::inactive, true},
        // RFC 2543 hold: c=0.0.0.0 means the offerer does not receive.
        {std::nullopt, true, Direction::recvonly, true},
        {Direction::sendrecv, true, Direction::recvonly, true},
        {Direction::sendonly, true, Direction::recvonly, true},
        {Direction::recvonly, true, Direction::inactive, true},
        {Direction::inactive, true, Direction::inactive, true},
    };
    for (const auto& c : cases) {
        INFO("offered " << (c.offered ? to_string(*c.offered) : "nothing") << ", zero address "
                        << c.zero_address);
        const auto n =
            negotiate_answer(audio_offer(c.zero_address ? "0.0.0.0" : "10.0.0.1", c.offered), {});
        REQUIRE(n.ok());
        CHECK(n->direction == c.ours);
        CHECK(n->answer.media[0].direction == c.ours);
        CHECK(n->is_hold() == c.hold);
        CHECK(n->we_send() == sends(c.ours));
        CHECK(n->we_receive() == receives(c.ours));
        CHECK(n->remote_zero_address == c.zero_address);
    }
}

SCENARIO("a session-level direction applies unless the m= line has its own",
         "[sdp][offer_answer][direction]") {
    CHECK(negotiate_answer(audio_offer("10.0.0.1", std::nullopt, Direction::sendonly), {})
              ->direction == Direction::recvonly);
    CHECK(negotiate_answer(audio_offer("10.0.0.1", Direction::sendrecv, Direction::sendonly), {})
              ->direction == Direction::sendrecv);
}

SCENARIO("our own direction limits the answer", "[sdp][offer_answer][direction]") {
    Capabilities recorder;
    recorder.direction = Direction::recvonly;
    CHECK(negotiate_answer(audio_offer("10.0.0.1", std::nullopt), recorder)->direction ==
          Direction::recvonly);
    CHECK(negotiate_answer(audio_offer("10.0.0.1", Direction::recvonly), recorder)->direction ==
          Direction::inactive);
    Capabilities announcer;
    announcer.direction = Direction::sendonly;
    CHECK(negotiate_answer(audio_offer("10.0.0.1", Direction::sendrecv), announcer)->direction ==
          Direction::sendonly);
}

SCENARIO("the direction helpers", "[sdp][direction]") {
    CHECK(reverse(Direction::sendonly) == Direction::recvonly);
    CHECK(reverse(Direction::recvonly) == Direction::sendonly);
    CHECK(reverse(Direction::sendrecv) == Direction::sendrecv);
    CHECK(reverse(Direction::inactive) == Direction::inactive);
    CHECK(direction_from_string("inactive") == Direction::inactive);
    CHECK_FALSE(direction_from_string("SENDRECV"));
    CHECK_FALSE(direction_from_string(""));
}
