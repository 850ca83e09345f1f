// MemberStream's receive side over real loopback sockets: a paced PCMU tone comes out of pull()
// at its level, strangers and garbage are dropped and counted (never played), symmetric-RTP
// latching, RFC 4733 digits, the inactivity timeout, and a re-INVITE that switches the codec.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <optional>

#include "common/dtmf/rfc4733_sender.hpp"
#include "mixer/media/member_stream.hpp"
#include "test/mixer/media/member_stream_peer.hpp"

using namespace mixer_test;
using sidebar::codec::kFrameSamples;
using sidebar::codec::Kind;

namespace {

constexpr double kToneDbfs = -20.0;

// Sends one tone packet from `from` each tick and pulls a frame; returns what pull() played
// after the first `skip` ticks (the jitter buffer's start-up), and how many pulls had audio.
struct Played {
    std::vector<int16_t> samples;
    int frames_with_audio = 0;
};

Played play(asio::io_context& io, sidebar::mixer::MemberStream& stream, udp::socket& from,
            ToneRtp& tone, int ticks, int skip, const std::function<void(int)>& extra = {}) {
    Played out;
    const udp::endpoint to = stream_rtp(stream);
    run_ticks(io, ticks, [&](int i) {
        from.send_to(asio::buffer(tone.next()), to);
        if (extra) extra(i);
        std::array<int16_t, kFrameSamples> frame{};
        const bool audio = stream.pull(now_us(), frame);
        if (audio) ++out.frames_with_audio;
        if (i >= skip) out.samples.insert(out.samples.end(), frame.begin(), frame.end());
        return true;
    });
    return out;
}

}  // namespace

TEST_CASE("a paced PCMU tone comes out of pull() at its level", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    const auto negotiated = negotiate(peer.offer(Kind::pcmu));
    REQUIRE(negotiated.codec.kind == Kind::pcmu);
    REQUIRE(negotiated.telephone_event.has_value());
    auto stream = start_stream(io, negotiated);
    CHECK(stream->codec() == Kind::pcmu);

    ToneRtp tone(Kind::pcmu, 0, 1000.0, kToneDbfs);
    const Played played = play(io, *stream, peer.rtp, tone, 50, 20);
    CHECK(stream->stats().packets_in >= 45);
    CHECK(stream->stats().dropped_foreign == 0);
    CHECK(played.frames_with_audio >= 40);
    REQUIRE(played.samples.size() == 30 * kFrameSamples);
    CHECK(level_of(played.samples, 1000.0) == Approx(kToneDbfs).margin(2.0));
    CHECK(level_of(played.samples, 2210.0) < kToneDbfs - 40.0);
    CHECK_FALSE(stream->timed_out(now_us()));
}

TEST_CASE("packets from another address are dropped as foreign and never played",
          "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    // A stranger on another loopback address sends a 2210 Hz tone alongside the member's 1 kHz.
    udp::socket stranger = bound_socket(io, "127.0.0.2");
    ToneRtp member_tone(Kind::pcmu, 0, 1000.0, kToneDbfs, 0x1111);
    ToneRtp stranger_tone(Kind::pcmu, 0, 2210.0, kToneDbfs, 0x2222);
    int stranger_sent = 0;
    const Played played = play(io, *stream, peer.rtp, member_tone, 50, 20, [&](int) {
        stranger.send_to(asio::buffer(stranger_tone.next()), stream_rtp(*stream));
        ++stranger_sent;
    });
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_foreign >= 50; }));
    CHECK(stranger_sent == 50);
    CHECK(stream->stats().dropped_foreign == 50);
    CHECK(stream->stats().packets_in == 50);
    REQUIRE(stream->remote().has_value());
    CHECK(stream->remote()->port() == peer.rtp_port());
    CHECK(level_of(played.samples, 1000.0) == Approx(kToneDbfs).margin(2.0));
    CHECK(level_of(played.samples, 2210.0) < kToneDbfs - 40.0);
}

TEST_CASE("only a stranger sends: nothing is played", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    udp::socket stranger = bound_socket(io, "127.0.0.2");
    ToneRtp tone(Kind::pcmu, 0, 1000.0, kToneDbfs);
    const Played played = play(io, *stream, stranger, tone, 20, 0);
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_foreign >= 20; }));
    CHECK(stream->stats().packets_in == 0);
    CHECK(played.frames_with_audio == 0);
    CHECK(level_of(played.samples, 1000.0) < -90.0);
}

TEST_CASE("symmetric RTP latches to the member's port on its own IP", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);  // port X, as the SDP says
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    const std::array<uint8_t, 160> payload{};
    REQUIRE(stream->remote().has_value());
    CHECK(stream->remote()->port() == peer.rtp_port());

    // Before any packet, our audio goes where the SDP said.
    stream->send(payload, 160, now_us());
    std::vector<std::vector<uint8_t>> at_x;
    REQUIRE(run_until(io, [&] {
        for (auto& d : drain(peer.rtp))
            at_x.push_back(d);
        return !at_x.empty();
    }));

    // The member's packets come from port Y (a NAT): the stream latches to Y.
    udp::socket nat = bound_socket(io);
    ToneRtp tone(Kind::pcmu, 0, 1000.0, kToneDbfs);
    for (int i = 0; i < 3; ++i)
        nat.send_to(asio::buffer(tone.next()), stream_rtp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().packets_in == 3; }));
    REQUIRE(stream->remote().has_value());
    CHECK(stream->remote()->port() == nat.local_endpoint().port());
    CHECK(stream->stats().dropped_foreign == 0);

    // Our audio now goes to Y, no longer to X.
    stream->send(payload, 160, now_us());
    std::vector<std::vector<uint8_t>> at_y;
    REQUIRE(run_until(io, [&] {
        for (auto& d : drain(nat))
            at_y.push_back(d);
        return !at_y.empty();
    }));
    CHECK(at_y.size() == 1);
    CHECK(drain(peer.rtp).empty());

    // Latched once: the SDP port on the same IP is now a stranger.
    ToneRtp other(Kind::pcmu, 0, 1000.0, kToneDbfs, 0x5555);
    peer.rtp.send_to(asio::buffer(other.next()), stream_rtp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_foreign == 1; }));
    CHECK(stream->stats().packets_in == 3);
    CHECK(stream->remote()->port() == nat.local_endpoint().port());
}

TEST_CASE("a first packet from the SDP port latches there: another port is refused",
          "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    ToneRtp tone(Kind::pcmu, 0, 1000.0, kToneDbfs);
    peer.rtp.send_to(asio::buffer(tone.next()), stream_rtp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().packets_in == 1; }));
    udp::socket same_ip = bound_socket(io);
    ToneRtp intruder(Kind::pcmu, 0, 2210.0, kToneDbfs, 0x6666);
    same_ip.send_to(asio::buffer(intruder.next()), stream_rtp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_foreign == 1; }));
    CHECK(stream->remote()->port() == peer.rtp_port());
    CHECK(stream->stats().packets_in == 1);
}

TEST_CASE("garbage datagrams are dropped as malformed", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    const std::vector<std::vector<uint8_t>> garbage = {
        {'h', 'e', 'l', 'l', 'o'},
        {0x80, 0x00, 0x01},  // RTP version, shorter than a header
        {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // version 0
        {0xa0, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0x00},  // padding count 0
    };
    for (const auto& d : garbage)
        peer.rtp.send_to(asio::buffer(d), stream_rtp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_malformed == garbage.size(); }));
    CHECK(stream->stats().packets_in == 0);
    // Garbage on the RTCP port too: not RTCP, and an SR whose length runs past the end.
    const std::vector<uint8_t> bad_sr{0x80, 0xc8, 0xff, 0xff, 0x00, 0x00};
    peer.rtcp.send_to(asio::buffer(garbage[0]), stream_rtcp(*stream));
    peer.rtcp.send_to(asio::buffer(bad_sr), stream_rtcp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_malformed == garbage.size() + 2; }));
    CHECK(stream->stats().dropped_foreign == 0);
    std::array<int16_t, kFrameSamples> frame{};
    CHECK_FALSE(stream->pull(now_us(), frame));
}

TEST_CASE("a payload type that was not negotiated is dropped", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    ToneRtp pcma(Kind::pcma, 8, 1000.0, kToneDbfs);  // PCMA, not in the answer
    ToneRtp odd(Kind::pcmu, 96, 1000.0, kToneDbfs);
    for (int i = 0; i < 4; ++i) {
        peer.rtp.send_to(asio::buffer(pcma.next()), stream_rtp(*stream));
        peer.rtp.send_to(asio::buffer(odd.next()), stream_rtp(*stream));
    }
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_payload_type == 8; }));
    CHECK(stream->jitter_stats().received == 0);
    std::array<int16_t, kFrameSamples> frame{};
    CHECK_FALSE(stream->pull(now_us(), frame));
}

TEST_CASE("RFC 4733 events give each digit once", "[mixer][media][stream][dtmf]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    sidebar::dtmf::SenderOptions options;
    options.interval_ms = 20;
    auto sender = sidebar::dtmf::Rfc4733Sender::create(options, 500);
    REQUIRE(sender.ok());
    std::vector<char> digits;
    uint32_t timestamp = 8000;
    for (char digit : {'5', '#'}) {
        REQUIRE(sender->start(digit, timestamp, 120).ok());
        timestamp += 8000;
        int packets = 0;
        run_ticks(io, 50, [&](int) {
            auto event = sender->next();
            if (!event) return false;
            sidebar::rtp::RtpHeader header;
            header.payload_type = kEventPayloadType;
            header.sequence = event->seq;
            header.timestamp = event->timestamp;
            header.marker = event->marker;
            header.ssrc = 0x4733;
            peer.rtp.send_to(asio::buffer(rtp_packet(header, event->payload)), stream_rtp(*stream));
            ++packets;
            for (char d : stream->take_digits(now_us()))
                digits.push_back(d);
            return true;
        });
        CHECK(packets >= 6);  // updates, then the end packet three times
        REQUIRE(run_until(io, [&] { return stream->stats().packets_in >= 1; }));
        // The last packets reach the stream after the loop's last take_digits().
        run_until(
            io, [] { return false; }, milliseconds(60));
        for (char d : stream->take_digits(now_us()))
            digits.push_back(d);
    }
    CHECK(digits == std::vector<char>{'5', '#'});
    CHECK(stream->take_digits(now_us()).empty());
    CHECK(stream->stats().digits == 2);
    CHECK(stream->stats().dropped_payload_type == 0);
    std::array<int16_t, kFrameSamples> frame{};
    CHECK_FALSE(stream->pull(now_us(), frame));  // digits are never audio
}

TEST_CASE("inactivity: timed out without packets, not while the member may not send",
          "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    sidebar::mixer::MemberStreamSettings settings;
    settings.inactivity_timeout = milliseconds(100);

    SECTION("sendrecv: times out, and a packet resets the clock") {
        auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)), settings);
        const int64_t start = now_us();
        CHECK_FALSE(stream->timed_out(start + 50'000));
        CHECK(stream->timed_out(start + 200'000));
        run_until(
            io, [] { return false; }, milliseconds(150));
        CHECK(stream->timed_out(now_us()));
        ToneRtp tone(Kind::pcmu, 0, 1000.0, kToneDbfs);
        peer.rtp.send_to(asio::buffer(tone.next()), stream_rtp(*stream));
        REQUIRE(run_until(io, [&] { return stream->stats().packets_in == 1; }));
        CHECK_FALSE(stream->timed_out(now_us()));
        CHECK(stream->timed_out(now_us() + 200'000));
    }
    SECTION("the member's sendonly (it sends music on hold): we expect packets") {
        const auto negotiated = negotiate(peer.offer(Kind::pcmu, "sendonly"));
        REQUIRE(negotiated.we_receive());
        REQUIRE_FALSE(negotiated.we_send());
        auto stream = start_stream(io, negotiated, settings);
        CHECK(stream->timed_out(now_us() + 200'000));
    }
    for (const char* direction : {"inactive", "recvonly"}) {
        DYNAMIC_SECTION("the member's " << direction << ": never timed out") {
            const auto negotiated = negotiate(peer.offer(Kind::pcmu, direction));
            REQUIRE_FALSE(negotiated.we_receive());
            auto stream = start_stream(io, negotiated, settings);
            CHECK_FALSE(stream->timed_out(now_us() + 10'000'000));
        }
    }
    SECTION("a re-INVITE to hold stops the timeout, unhold starts it again") {
        auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)), settings);
        REQUIRE(stream->update(negotiate(peer.offer(Kind::pcmu, "inactive"))).ok());
        CHECK_FALSE(stream->timed_out(now_us() + 10'000'000));
        REQUIRE(stream->update(negotiate(peer.offer(Kind::pcmu))).ok());
        CHECK(stream->timed_out(now_us() + 10'000'000));
    }
}

TEST_CASE("a re-INVITE to opus switches decoding", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    ToneRtp pcmu(Kind::pcmu, 0, 1000.0, kToneDbfs, 0xaaaa);
    const Played before = play(io, *stream, peer.rtp, pcmu, 25, 10);
    CHECK(level_of(before.samples, 1000.0) == Approx(kToneDbfs).margin(2.0));

    const auto opus = negotiate(peer.offer(Kind::opus));
    REQUIRE(opus.codec.kind == Kind::opus);
    REQUIRE(opus.codec.local_payload_type == kOpusPayloadType);
    REQUIRE(stream->update(opus).ok());
    CHECK(stream->codec() == Kind::opus);

    ToneRtp opus_tone(Kind::opus, kOpusPayloadType, 1130.0, kToneDbfs, 0xbbbb);
    const uint64_t pt_drops = stream->stats().dropped_payload_type;
    const Played after = play(io, *stream, peer.rtp, opus_tone, 50, 25, [&](int i) {
        if (i % 10 == 0) peer.rtp.send_to(asio::buffer(pcmu.next()), stream_rtp(*stream));
    });
    REQUIRE(run_until(io, [&] { return stream->stats().dropped_payload_type == pt_drops + 5; }));
    CHECK(stream->stats().dropped_malformed == 0);
    CHECK(level_of(after.samples, 1130.0) == Approx(kToneDbfs).margin(3.0));
    CHECK(level_of(after.samples, 1000.0) < kToneDbfs - 30.0);
}
