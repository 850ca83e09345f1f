// Receive statistics against hand-computed RFC 3550 appendix A values: probation, wrap, loss
// with reordering and duplicates, restarts after a jump, jitter, LSR/DLSR; and SendStats.
#include "common/rtp/receive_stats.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using namespace sidebar::rtp;

namespace {

// A PCMU source at 8 kHz sending a packet every 20 ms (160 timestamp units).
struct Source {
    ReceiveStats stats{0x5EED1234};
    uint32_t timestamp_base = 0x12345678;
    uint32_t arrival_base = 1000;

    // Packet `seq`, sent at frame `frame`, arriving `delay` RTP units after its send time.
    PacketVerdict send(uint16_t seq, uint32_t frame, uint32_t delay = 0) {
        return stats.on_packet(seq, timestamp_base + 160 * frame,
                               arrival_base + 160 * frame + delay);
    }
};

}  // namespace

SCENARIO("a source is validated after two packets in sequence", "[rtp][stats]") {
    Source s;
    CHECK_FALSE(s.stats.valid());
    CHECK(s.send(100, 0) == PacketVerdict::probation);
    CHECK(s.stats.expected() == 0);
    CHECK(s.send(101, 1) == PacketVerdict::accepted);
    CHECK(s.stats.valid());
    // A.1 counts from the validating packet: base 101, one received.
    CHECK(s.stats.received() == 1);
    CHECK(s.stats.expected() == 1);
    CHECK(s.stats.extended_highest_sequence() == 101);

    WHEN("the second packet is not in sequence, probation starts over from it") {
        Source t;
        CHECK(t.send(100, 0) == PacketVerdict::probation);
        CHECK(t.send(200, 1) == PacketVerdict::probation);
        CHECK(t.send(202, 2) == PacketVerdict::probation);
        CHECK(t.send(203, 3) == PacketVerdict::accepted);
        CHECK(t.stats.extended_highest_sequence() == 203);
    }
    WHEN("probation spans the 65535 -> 0 wrap") {
        Source t;
        CHECK(t.send(65535, 0) == PacketVerdict::probation);
        CHECK(t.send(0, 1) == PacketVerdict::accepted);
        CHECK(t.stats.extended_highest_sequence() == 0);
    }
    WHEN("min_sequential is 1") {
        ReceiveStats quick(1, 1);
        CHECK(quick.on_packet(7, 0, 0) == PacketVerdict::accepted);
        CHECK(quick.valid());
        CHECK(quick.received() == 1);
        ReceiveStats zero(1, 0);  // clamped to 1
        CHECK(zero.on_packet(7, 0, 0) == PacketVerdict::accepted);
    }
}

SCENARIO("the extended sequence counts cycles across 65535 -> 0", "[rtp][stats]") {
    Source s;
    uint32_t frame = 0;
    for (uint32_t seq = 65530; seq < 65536 + 6; ++seq, ++frame) {
        s.send(static_cast<uint16_t>(seq), frame);
    }
    CHECK(s.stats.extended_highest_sequence() == 65536 + 5);
    CHECK(s.stats.expected() == 65536 + 5 - 65531 + 1);
    CHECK(s.stats.received() == 11);
    CHECK(s.stats.cumulative_lost() == 0);

    WHEN("a packet from before the wrap arrives late") {
        CHECK(s.send(65534, 4) == PacketVerdict::late);
        CHECK(s.stats.extended_highest_sequence() == 65536 + 5);  // no spurious cycle
        CHECK(s.stats.cumulative_lost() == -1);                   // counted as a duplicate
    }
}

SCENARIO("loss, reordering and duplicates give A.3's numbers", "[rtp][stats]") {
    GIVEN("100 packets after validation with 5 lost") {
        Source s;
        s.send(999, 0);
        for (uint16_t seq = 1000; seq < 1100; ++seq) {
            if (seq % 20 == 7) continue;  // 1007, 1027, 1047, 1067, 1087
            CHECK(s.send(seq, seq - 999u) == PacketVerdict::accepted);
        }
        CHECK(s.stats.expected() == 100);
        CHECK(s.stats.received() == 95);
        CHECK(s.stats.cumulative_lost() == 5);
        const ReportBlock first = s.stats.make_report_block(0);
        CHECK(first.ssrc == 0x5EED1234);
        CHECK(first.cumulative_lost == 5);
        CHECK(first.fraction_lost == 5 * 256 / 100);  // 12
        CHECK(first.highest_sequence == 1099);
        THEN("the next interval counts only its own loss") {
            for (uint16_t seq = 1100; seq < 1150; ++seq) {
                if (seq != 1120) s.send(seq, seq - 999u);
            }
            const ReportBlock second = s.stats.make_report_block(0);
            CHECK(second.cumulative_lost == 6);
            CHECK(second.fraction_lost == 1 * 256 / 50);  // 5
            const ReportBlock idle = s.stats.make_report_block(0);
            CHECK(idle.fraction_lost == 0);  // nothing expected in the interval
            CHECK(idle.cumulative_lost == 6);
        }
    }
    GIVEN("packets reordered but none lost") {
        Source s;
        s.send(1, 0);
        for (uint16_t seq : {2, 3, 5, 4, 6, 8, 7, 9})
            s.send(seq, seq);
        CHECK(s.stats.received() == 8);
        CHECK(s.stats.expected() == 8);
        CHECK(s.stats.cumulative_lost() == 0);
        CHECK(s.stats.make_report_block(0).fraction_lost == 0);
    }
    GIVEN("a reordered packet arriving after its gap was counted") {
        Source s;
        s.send(1, 0);
        s.send(2, 1);
        s.send(4, 3);
        CHECK(s.stats.make_report_block(0).cumulative_lost == 1);
        CHECK(s.send(3, 2) == PacketVerdict::late);
        CHECK(s.stats.make_report_block(0).cumulative_lost == 0);
    }
    GIVEN("duplicates") {
        Source s;
        s.send(1, 0);
        CHECK(s.send(2, 1) == PacketVerdict::accepted);
        CHECK(s.send(3, 2) == PacketVerdict::accepted);
        CHECK(s.send(3, 2) == PacketVerdict::late);
        CHECK(s.send(3, 2) == PacketVerdict::late);
        CHECK(s.send(4, 3) == PacketVerdict::accepted);
        // A.3: duplicates count as received, so loss goes negative and fraction stays 0.
        CHECK(s.stats.received() == 5);
        CHECK(s.stats.expected() == 3);
        const ReportBlock block = s.stats.make_report_block(0);
        CHECK(block.cumulative_lost == -2);
        CHECK(block.fraction_lost == 0);
    }
}

SCENARIO("MAX_DROPOUT and MAX_MISORDER bound loss and reordering", "[rtp][stats]") {
    Source s;
    s.send(10000, 0);
    s.send(10001, 1);
    WHEN("the jump is 2999") {
        CHECK(s.send(13000, 2) == PacketVerdict::accepted);
        CHECK(s.stats.cumulative_lost() == 2998);
    }
    WHEN("the jump is 3000") {
        CHECK(s.send(13001, 2) == PacketVerdict::held);
        CHECK(s.stats.received() == 1);  // a held packet is not counted
        THEN("the stream carrying on in sequence is unaffected") {
            CHECK(s.send(10002, 3) == PacketVerdict::accepted);
            CHECK(s.stats.cumulative_lost() == 0);
        }
        THEN("the next packet after the jump restarts the source") {
            CHECK(s.send(13002, 3) == PacketVerdict::restarted);
            CHECK(s.stats.received() == 1);
            CHECK(s.stats.expected() == 1);
            CHECK(s.stats.extended_highest_sequence() == 13002);
            CHECK(s.send(13003, 4) == PacketVerdict::accepted);
            CHECK(s.stats.cumulative_lost() == 0);
        }
        THEN("a second unrelated jump keeps holding") {
            CHECK(s.send(30000, 3) == PacketVerdict::held);
            CHECK(s.send(13002, 4) == PacketVerdict::held);
        }
    }
    WHEN("a packet is 99 behind it is late; 100 behind is a jump") {
        CHECK(s.send(static_cast<uint16_t>(10001 - 99), 2) == PacketVerdict::late);
        CHECK(s.send(static_cast<uint16_t>(10001 - 100), 2) == PacketVerdict::held);
    }
}

SCENARIO("interarrival jitter follows A.8", "[rtp][stats][jitter]") {
    GIVEN("constant 20 ms spacing") {
        Source s;
        for (uint16_t i = 0; i < 200; ++i)
            s.send(i, i, 37);  // constant network delay
        THEN("jitter is 0") {
            CHECK(s.stats.jitter() == 0);
        }
    }
    GIVEN("arrivals alternating 10 ms and 30 ms apart at 8 kHz") {
        // Every transit difference D is +-80 timestamp units, so J -> 80 (1 - (15/16)^n): the
        // RFC's floating-point and integer versions both report 5, 9, 14, 18 for n = 1..4 and
        // floor(79.99...) = 79 once converged.
        Source s;
        std::vector<uint32_t> reported;
        uint32_t arrival = 1000;
        for (uint16_t i = 0; i < 300; ++i) {
            if (i > 0) arrival += (i % 2 == 1) ? 80 : 240;
            s.stats.on_packet(i, 160u * i, arrival);
            reported.push_back(s.stats.jitter());
        }
        // Packet 0 is on probation, packet 1 sets the first transit, packet 2 gives D(1,2).
        CHECK(reported[1] == 0);
        CHECK(reported[2] == 5);
        CHECK(reported[3] == 9);
        CHECK(reported[4] == 14);
        CHECK(reported[5] == 18);
        CHECK(reported[11] == 38);  // n = 10: 80 (1 - (15/16)^10) = 38.4
        CHECK(reported.back() == 79);
        CHECK(s.stats.make_report_block(0).jitter == 79);
    }
    GIVEN("one late packet") {
        Source s;
        for (uint16_t i = 0; i < 10; ++i)
            s.send(i, i);
        s.send(10, 10, 160);  // 20 ms late: D = 160, J = 160/16
        CHECK(s.stats.jitter() == 10);
        s.send(11, 11);                 // back on time: D = 160 again
        CHECK(s.stats.jitter() == 19);  // (160 + 160 - 10) / 16 in 1/16 units, floored
    }
    GIVEN("timestamps and arrival times that wrap past 2^32") {
        Source s;
        s.timestamp_base = 0xFFFFFF00u;
        s.arrival_base = 0xFFFFFFF0u;
        for (uint16_t i = 0; i < 20; ++i)
            s.send(i, i, 3);
        CHECK(s.stats.jitter() == 0);
    }
    GIVEN("a restart with a new timestamp base") {
        Source s;
        for (uint16_t i = 0; i < 20; ++i)
            s.send(i, i);
        s.timestamp_base += 0x40000000;  // the sender restarted its clock as well
        s.send(30000, 20);
        CHECK(s.send(30001, 21) == PacketVerdict::restarted);
        s.send(30002, 22);
        CHECK(s.stats.jitter() == 0);  // the jump is not taken as jitter
    }
}

SCENARIO("report blocks carry LSR and DLSR from the last SR", "[rtp][stats][rtcp]") {
    Source s;
    s.send(1, 0);
    s.send(2, 1);
    ReportBlock none = s.stats.make_report_block(0x00050000);
    CHECK(none.last_sr == 0);
    CHECK(none.delay_since_last_sr == 0);
    s.stats.on_sender_report(0xE8F0A1B2C3D4E5F6ull, 0x00010000);
    ReportBlock block = s.stats.make_report_block(0x00018000);
    CHECK(block.last_sr == 0xA1B2C3D4);
    CHECK(block.delay_since_last_sr == 0x8000);  // half a second
    WHEN("our clock wrapped between the SR and the report") {
        s.stats.on_sender_report(0, 0xFFFF8000);
        CHECK(s.stats.make_report_block(0x00004000).delay_since_last_sr == 0xC000);
    }
}

SCENARIO("SendStats counts what an SR reports", "[rtp][stats]") {
    SendStats send;
    CHECK_FALSE(send.has_sent());
    for (int i = 0; i < 50; ++i)
        send.on_packet_sent(160);
    CHECK(send.has_sent());
    CHECK(send.packet_count() == 50);
    CHECK(send.octet_count() == 8000);
    const SenderInfo info = send.make_sender_info(0x1122334455667788ull, 8000);
    CHECK(info == SenderInfo{0x1122334455667788ull, 8000, 50, 8000});
}
