// Rfc4733Sender: the packet schedule of a digit, and that a receiver hears exactly what was sent.
#include "common/dtmf/rfc4733_sender.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "common/dtmf/rfc4733_receiver.hpp"

using namespace sidebar::dtmf;

namespace {

Rfc4733Sender make_sender(SenderOptions options = {}, uint16_t seq = 65534) {
    auto s = Rfc4733Sender::create(options, seq);
    REQUIRE(s.ok());
    return std::move(s).value();
}

std::vector<EventPacket> drain(Rfc4733Sender& sender) {
    std::vector<EventPacket> out;
    while (auto p = sender.next())
        out.push_back(*p);
    return out;
}

}  // namespace

SCENARIO("a digit becomes a start, updates and three end packets", "[dtmf][rfc4733]") {
    Rfc4733Sender sender = make_sender();
    CHECK_FALSE(sender.next().has_value());
    REQUIRE(sender.start('5', 0xFFFFFF00u, 120).ok());
    CHECK(sender.active());
    const auto packets = drain(sender);
    CHECK_FALSE(sender.active());
    // 120 ms at 8 kHz is 960 units; updates every 50 ms (400 units): 0, 400, 800, then 960 x3.
    REQUIRE(packets.size() == 6);
    const std::vector<uint16_t> durations = {0, 400, 800, 960, 960, 960};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const EventPacket& p = packets[i];
        CHECK(p.timestamp == 0xFFFFFF00u);
        CHECK(p.marker == (i == 0));
        CHECK(p.end == (i >= 3));
        CHECK(p.seq == uint16_t(65534 + i));  // wraps past 65535
        auto parsed = parse_telephone_events(p.payload);
        REQUIRE(parsed.ok());
        CHECK(parsed->events[0].event == 5);
        CHECK(parsed->events[0].volume == 10);
        CHECK(parsed->events[0].duration == durations[i]);
        CHECK(parsed->events[0].end == (i >= 3));
    }
    CHECK(sender.next_seq() == 4);
}

SCENARIO("a receiver hears every sent digit exactly once", "[dtmf][rfc4733]") {
    Rfc4733Sender sender = make_sender({.clock_rate = 8000, .interval_ms = 20});
    Rfc4733Receiver receiver;
    std::vector<DigitEvent> events;
    uint32_t ts = 1000;
    int64_t now = 0;
    for (char digit : std::string("0123456789*#ABCD")) {
        REQUIRE(sender.start(digit, ts, 100).ok());
        for (const EventPacket& p : drain(sender)) {
            now += 20'000;
            REQUIRE(receiver.on_packet(p.seq, p.timestamp, p.marker, p.payload, now, events).ok());
        }
        ts += 1600;
    }
    std::string pressed, released;
    for (const DigitEvent& e : events) {
        (e.type == DigitEvent::Type::pressed ? pressed : released) += e.digit;
        if (e.type == DigitEvent::Type::released) CHECK(e.duration_ms == 100);
    }
    CHECK(pressed == "0123456789*#ABCD");
    CHECK(released == "0123456789*#ABCD");
}

SCENARIO("the sender refuses what it cannot send, with the reason", "[dtmf][rfc4733]") {
    Rfc4733Sender sender = make_sender();
    auto bad_digit = sender.start('x', 0, 100);
    REQUIRE_FALSE(bad_digit.ok());
    CHECK(bad_digit.message() == "rfc4733 sender: 'x' is not a DTMF digit");
    auto too_short = sender.start('1', 0, 10);
    REQUIRE_FALSE(too_short.ok());
    CHECK(too_short.message() == "rfc4733 sender: duration 10 ms is outside 40..8000");
    auto too_long = sender.start('1', 0, 9000);
    REQUIRE_FALSE(too_long.ok());
    REQUIRE(sender.start('1', 0, 100).ok());
    auto busy = sender.start('2', 0, 100);
    REQUIRE_FALSE(busy.ok());
    CHECK(busy.message() == "rfc4733 sender: a digit is still being sent");
    sender.set_next_seq(777);
    CHECK(sender.next()->seq == 777);

    auto bad_volume = Rfc4733Sender::create({.volume = 64}, 0);
    REQUIRE_FALSE(bad_volume.ok());
    CHECK(bad_volume.message() == "rfc4733 sender: volume must be 0..63, got 64");
    CHECK_FALSE(Rfc4733Sender::create({.clock_rate = 0}, 0).ok());
    CHECK_FALSE(Rfc4733Sender::create({.interval_ms = 0}, 0).ok());
    CHECK_FALSE(Rfc4733Sender::create({.end_repeats = 0}, 0).ok());
}

SCENARIO("flash and a 48 kHz event clock", "[dtmf][rfc4733]") {
    Rfc4733Sender sender = make_sender({.clock_rate = 48000, .end_repeats = 1});
    auto long_press = sender.start('F', 0, 2000);
    REQUIRE_FALSE(long_press.ok());  // 2 s at 48 kHz does not fit 16 bits
    CHECK(long_press.message() == "rfc4733 sender: duration 2000 ms is outside 40..1365");
    REQUIRE(sender.start('F', 0, 1000).ok());
    const auto packets = drain(sender);
    REQUIRE_FALSE(packets.empty());
    auto last = parse_telephone_events(packets.back().payload);
    REQUIRE(last.ok());
    CHECK(last->events[0].event == 16);
    CHECK(last->events[0].duration == 48000);
    CHECK(packets.back().end);
    CHECK_FALSE(packets[packets.size() - 2].end);
}
