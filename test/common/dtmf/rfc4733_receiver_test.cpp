// Rfc4733Receiver: real sipp captures, then every way a network and a sender can disturb an
// event: lost, repeated and reordered packets, long presses, overlapping events, garbage.
#include "common/dtmf/rfc4733_receiver.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace sidebar::dtmf;
using Type = DigitEvent::Type;

namespace {

struct Packet {
    int64_t arrival_us;
    uint16_t seq;
    uint32_t ts;
    bool marker;
    std::vector<uint8_t> payload;
};

std::map<std::string, std::vector<Packet>> load_sipp_fixture() {
    std::ifstream in(std::string(SIDEBAR_TEST_DATA) + "/dtmf/sipp_dtmf_2833.txt");
    REQUIRE(in.good());
    std::map<std::string, std::vector<Packet>> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, hex;
        Packet p{};
        unsigned seq = 0, marker = 0;
        fields >> name >> p.arrival_us >> seq >> p.ts >> marker >> hex;
        REQUIRE(fields);
        p.seq = uint16_t(seq);
        p.marker = marker != 0;
        for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
            p.payload.push_back(uint8_t(std::stoul(hex.substr(i, 2), nullptr, 16)));
        out[name].push_back(p);
    }
    return out;
}

std::vector<uint8_t> block(uint8_t event, bool end, uint16_t duration) {
    return {event, uint8_t((end ? 0x80 : 0) | 10), uint8_t(duration >> 8), uint8_t(duration)};
}

// Feeds (timestamp, payload) packets 50 ms apart from `t0`, returning every digit event.
struct Feeder {
    Rfc4733Receiver rx;
    std::vector<DigitEvent> events;
    int64_t now = 0;
    uint16_t seq = 1;

    void send(uint32_t ts, const std::vector<uint8_t>& payload, int64_t step_us = 50'000) {
        now += step_us;
        REQUIRE(rx.on_packet(seq++, ts, false, payload, now, events).ok());
    }
    // A whole event: start, updates every 400 units, three end packets.
    void press(uint8_t event, uint32_t ts, uint16_t duration) {
        for (uint32_t d = 0; d < duration; d += 400)
            send(ts, block(event, false, uint16_t(d)));
        for (int i = 0; i < 3; ++i)
            send(ts, block(event, true, duration), 1'000);
    }
    std::string digits(Type type) const {
        std::string s;
        for (const DigitEvent& e : events)
            if (e.type == type) s += e.digit;
        return s;
    }
};

}  // namespace

SCENARIO("sipp's RFC 2833 captures give each digit exactly once", "[dtmf][rfc4733]") {
    const auto captures = load_sipp_fixture();
    REQUIRE(captures.size() == 12);
    const std::map<std::string, char> expected = {
        {"0", '0'}, {"1", '1'}, {"2", '2'}, {"3", '3'}, {"4", '4'},    {"5", '5'},
        {"6", '6'}, {"7", '7'}, {"8", '8'}, {"9", '9'}, {"star", '*'}, {"pound", '#'}};
    for (const auto& [name, packets] : captures) {
        DYNAMIC_SECTION("capture dtmf_2833_" << name) {
            Rfc4733Receiver rx;
            std::vector<DigitEvent> events;
            for (const Packet& p : packets)
                REQUIRE(rx.on_packet(p.seq, p.ts, p.marker, p.payload, p.arrival_us, events).ok());
            rx.poll(10'000'000, events);
            REQUIRE(events.size() == 2);
            CHECK(events[0].type == Type::pressed);
            CHECK(events[0].digit == expected.at(name));
            CHECK(events[0].timestamp == packets[0].ts);
            CHECK(events[1].type == Type::released);
            CHECK(events[1].digit == expected.at(name));
            CHECK(events[1].duration == 2240);
            CHECK(events[1].duration_ms == 280);
            CHECK_FALSE(events[1].timed_out);
            CHECK(rx.stats().redundant == 2);  // the two repeated end packets
            // The press is reported on the first packet, before the end arrives.
            std::vector<DigitEvent> first;
            Rfc4733Receiver early;
            REQUIRE(
                early.on_packet(packets[0].seq, packets[0].ts, true, packets[0].payload, 0, first)
                    .ok());
            REQUIRE(first.size() == 1);
            CHECK(first[0].type == Type::pressed);
        }
    }
}

SCENARIO("network trouble does not duplicate or lose digits", "[dtmf][rfc4733]") {
    Feeder f;
    WHEN("the first packets are lost") {
        f.send(1000, block(7, false, 800));
        f.send(1000, block(7, true, 1200), 1'000);
        THEN("the digit is reported on the first packet that shows it") {
            CHECK(f.digits(Type::pressed) == "7");
            CHECK(f.digits(Type::released) == "7");
            CHECK(f.events.back().duration == 1200);
        }
    }
    WHEN("every end packet is lost") {
        f.send(1000, block(3, false, 0));
        f.send(1000, block(3, false, 400));
        std::vector<DigitEvent> out;
        f.rx.poll(f.now + 400'000, out);
        CHECK(out.empty());
        f.rx.poll(f.now + 600'000, out);
        THEN("the timeout releases the digit with the last duration it saw") {
            REQUIRE(out.size() == 1);
            CHECK(out[0].type == Type::released);
            CHECK(out[0].digit == '3');
            CHECK(out[0].timed_out);
            CHECK(out[0].duration == 400);
            CHECK(f.rx.stats().timeouts == 1);
        }
        AND_THEN("a late end packet of that digit does not report it again") {
            f.send(1000, block(3, true, 800), 700'000);
            CHECK(f.digits(Type::pressed) == "3");
        }
    }
    WHEN("updates arrive out of order") {
        f.send(1000, block(9, false, 0));
        f.send(1000, block(9, false, 800));
        f.send(1000, block(9, false, 400));
        f.send(1000, block(9, true, 1200));
        THEN("the older update is ignored and the digit is reported once") {
            CHECK(f.digits(Type::pressed) == "9");
            CHECK(f.events.back().duration == 1200);
        }
    }
    WHEN("a late end packet of the previous digit arrives during the next one") {
        f.press(1, 1000, 800);
        f.send(3000, block(2, false, 0));
        f.send(1000, block(1, true, 800));
        f.send(3000, block(2, true, 800));
        THEN("it is suppressed") {
            CHECK(f.digits(Type::pressed) == "12");
            CHECK(f.digits(Type::released) == "12");
        }
    }
    WHEN("a new event starts before the previous one ended") {
        f.send(1000, block(4, false, 400));
        f.send(2000, block(5, false, 0));
        THEN("the previous digit is released and the new one pressed") {
            REQUIRE(f.events.size() == 3);
            CHECK(f.events[1].type == Type::released);
            CHECK(f.events[1].digit == '4');
            CHECK(f.events[2].type == Type::pressed);
            CHECK(f.events[2].digit == '5');
        }
    }
    WHEN("the same digit is pressed twice") {
        f.press(6, 1000, 800);
        f.press(6, 5000, 800);
        THEN("both presses are reported, each once") {
            CHECK(f.digits(Type::pressed) == "66");
            CHECK(f.digits(Type::released) == "66");
            CHECK(f.rx.stats().redundant == 4);
        }
    }
}

SCENARIO("a long press is one digit however its duration is carried", "[dtmf][rfc4733]") {
    Feeder f;
    WHEN("the duration wraps past 65535 with the same timestamp") {
        for (uint32_t d = 0; d < 90000; d += 4000)
            f.send(500, block(8, false, uint16_t(d & 0xFFFF)));
        f.send(500, block(8, true, uint16_t(90000 & 0xFFFF)));
        THEN("one press, and the release carries the full duration") {
            CHECK(f.digits(Type::pressed) == "8");
            REQUIRE(f.digits(Type::released) == "8");
            CHECK(f.events.back().duration == 90000);
            CHECK(f.events.back().duration_ms == 11250);
        }
    }
    WHEN("the sender splits it into segments (RFC 4733 2.5.1.3)") {
        for (uint32_t d = 0; d < 65535; d += 4000)
            f.send(500, block(8, false, uint16_t(d)));
        f.send(500, block(8, false, 65535));
        f.send(500 + 65535, block(8, false, 4000));
        f.send(500 + 65535, block(8, true, 8000));
        THEN("one press spanning both segments") {
            CHECK(f.digits(Type::pressed) == "8");
            REQUIRE(f.digits(Type::released) == "8");
            CHECK(f.events.back().duration == 65535 + 8000);
            CHECK(f.events.back().timestamp == 500);
        }
    }
}

SCENARIO("several events in one payload are each reported", "[dtmf][rfc4733]") {
    Feeder f;
    std::vector<uint8_t> payload = block(1, true, 800);
    for (uint8_t b : block(2, true, 800))
        payload.push_back(b);
    for (uint8_t b : block(3, false, 160))
        payload.push_back(b);
    f.send(1000, payload);
    f.send(1000, payload);
    CHECK(f.digits(Type::pressed) == "123");
    CHECK(f.digits(Type::released) == "12");
    CHECK(f.events[2].timestamp == 1800);
    CHECK(f.events[4].timestamp == 2600);
}

SCENARIO("garbage and unknown events leave the receiver working", "[dtmf][rfc4733]") {
    Feeder f;
    std::vector<DigitEvent> out;
    const std::vector<uint8_t> three = {1, 2, 3};
    auto bad = f.rx.on_packet(1, 1000, false, three, 0, out);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() ==
          "rfc4733: payload of 3 bytes is not a whole number of 4-byte event blocks");
    auto empty = f.rx.on_packet(2, 1000, false, {}, 0, out);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.message() == "rfc4733: empty telephone-event payload");
    f.send(1000, block(70, false, 0));  // a tone this product does not know
    f.send(1000, block(255, true, 800));
    CHECK(f.events.empty());
    CHECK(f.rx.stats().malformed == 2);
    CHECK(f.rx.stats().unknown_events == 2);
    f.press(0, 2000, 800);
    CHECK(f.digits(Type::pressed) == "0");
}

SCENARIO("a sender that restarts its timestamps is not taken for a stale event",
         "[dtmf][rfc4733]") {
    Feeder f;
    f.press(1, 100000, 800);
    // A stale block right after: an older event never seen.
    f.send(90000, block(2, false, 0));
    CHECK(f.rx.stats().stale == 1);
    // Seconds later, an "older" timestamp is a new timestamp base.
    f.send(50000, block(3, false, 0), 3'000'000);
    CHECK(f.digits(Type::pressed) == "13");
    std::vector<DigitEvent> out;
    f.rx.reset(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == Type::released);
    CHECK_FALSE(f.rx.in_event());
}

SCENARIO("a hostile stream of random packets never breaks the receiver", "[dtmf][rfc4733]") {
    Rfc4733Receiver rx;
    std::vector<DigitEvent> out;
    std::mt19937 rng(17);
    for (int i = 0; i < 20000; ++i) {
        std::vector<uint8_t> payload(rng() % 24);
        for (uint8_t& b : payload)
            b = uint8_t(rng() % 4 == 0 ? rng() : rng() % 20);
        (void)rx.on_packet(uint16_t(rng()), uint32_t(rng() % 5000), rng() % 2, payload,
                           int64_t(i) * 20'000, out);
        REQUIRE(out.size() <= 3 * std::size_t(i + 1) * 6);
    }
    // Every release follows a press of the same digit.
    char pressed = 0;
    for (const DigitEvent& e : out) {
        if (e.type == Type::pressed) {
            pressed = e.digit;
        } else {
            CHECK(e.digit == pressed);
        }
    }
}
