// MemberStream's send side over real loopback sockets: RTP with its own SSRC, consecutive
// sequence numbers, timestamps advancing by the given step and the marker on the first packet;
// nothing sent on hold while the clock runs on; RTCP reports reach the member's RTCP port and
// parse, and the member's RTCP is counted.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <variant>

#include "common/rtp/rtcp_build.hpp"
#include "common/rtp/rtcp_packet.hpp"
#include "mixer/media/member_stream.hpp"
#include "test/mixer/media/member_stream_peer.hpp"

using namespace mixer_test;
using sidebar::codec::Kind;
namespace rtp = sidebar::rtp;

namespace {

// Copies of what the peer received, parsed.
struct Received {
    rtp::RtpHeader header;
    std::vector<uint8_t> payload;
};

std::vector<Received> parse_all(const std::vector<std::vector<uint8_t>>& datagrams) {
    std::vector<Received> out;
    for (const auto& d : datagrams) {
        auto packet = rtp::parse_rtp(d);
        REQUIRE(packet.ok());
        Received r;
        r.header = packet->header;
        r.header.extension.reset();
        r.payload.assign(packet->payload.begin(), packet->payload.end());
        out.push_back(std::move(r));
    }
    return out;
}

// Waits until the peer's RTP socket has `count` packets in all, or `timeout` passes.
std::vector<Received> receive(asio::io_context& io, udp::socket& socket, std::size_t count,
                              milliseconds timeout = milliseconds(1000)) {
    std::vector<std::vector<uint8_t>> got;
    run_until(
        io,
        [&] {
            for (auto& d : drain(socket))
                got.push_back(std::move(d));
            return got.size() >= count;
        },
        timeout);
    return parse_all(got);
}

}  // namespace

TEST_CASE("send(): own SSRC, consecutive seq, timestamp by the step, marker first",
          "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    const auto negotiated = negotiate(peer.offer(Kind::pcmu));
    auto stream = start_stream(io, negotiated);
    std::vector<uint8_t> payload(160);
    for (int i = 0; i < 10; ++i) {
        payload[0] = static_cast<uint8_t>(i);
        stream->send(payload, 160, now_us());
    }
    const auto got = receive(io, peer.rtp, 10);
    REQUIRE(got.size() == 10);
    CHECK(stream->stats().packets_out == 10);
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("packet " << i);
        const auto& h = got[i].header;
        CHECK(h.payload_type == negotiated.codec.payload_type);
        CHECK(h.ssrc == got[0].header.ssrc);
        CHECK(h.marker == (i == 0));
        CHECK(h.sequence == static_cast<uint16_t>(got[0].header.sequence + i));
        CHECK(h.timestamp == static_cast<uint32_t>(got[0].header.timestamp + 160 * i));
        CHECK(got[i].payload.size() == 160);
        CHECK(got[i].payload[0] == i);
    }
    // Opus's step is 960: the timestamp follows whatever step the caller gives.
    stream->send(payload, 960, now_us());
    stream->send(payload, 960, now_us());
    const auto more = receive(io, peer.rtp, 2);
    REQUIRE(more.size() == 2);
    CHECK(more[0].header.timestamp == got[9].header.timestamp + 160);
    CHECK(more[1].header.timestamp == more[0].header.timestamp + 960);
    CHECK_FALSE(more[0].header.marker);
    // An empty payload sends nothing.
    stream->send({}, 160, now_us());
    CHECK(receive(io, peer.rtp, 1, milliseconds(200)).empty());
}

TEST_CASE("on hold nothing is sent but the clock runs on", "[mixer][media][stream]") {
    asio::io_context io;
    Peer peer(io);
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)));
    const std::vector<uint8_t> payload(160, 0xff);
    stream->send(payload, 160, now_us());
    const auto first = receive(io, peer.rtp, 1);
    REQUIRE(first.size() == 1);

    // The member holds (a=sendonly from it: we only receive).
    const auto hold = negotiate(peer.offer(Kind::pcmu, "sendonly"));
    REQUIRE(hold.is_hold());
    REQUIRE(stream->update(hold).ok());
    for (int i = 0; i < 5; ++i)
        stream->send(payload, 160, now_us());
    CHECK(receive(io, peer.rtp, 1, milliseconds(200)).empty());
    CHECK(stream->stats().packets_out == 1);

    REQUIRE(stream->update(negotiate(peer.offer(Kind::pcmu))).ok());
    stream->send(payload, 160, now_us());
    const auto back = receive(io, peer.rtp, 1);
    REQUIRE(back.size() == 1);
    CHECK(back[0].header.sequence == static_cast<uint16_t>(first[0].header.sequence + 1));
    CHECK(back[0].header.timestamp == first[0].header.timestamp + 6 * 160);
    CHECK(back[0].header.ssrc == first[0].header.ssrc);
}

TEST_CASE("RTCP: an SR with our SSRC and CNAME reaches the member's RTCP port",
          "[mixer][media][stream][rtcp]") {
    asio::io_context io;
    Peer peer(io);
    sidebar::mixer::MemberStreamSettings settings;
    settings.cname = "unit-test-mixer";
    auto stream = start_stream(io, negotiate(peer.offer(Kind::pcmu)), settings);

    // The member's own RTCP (RR + CNAME) is read and counted.
    std::array<uint8_t, 256> buffer{};
    rtp::CompoundBuilder builder(buffer);
    rtp::ReceiverReport rr;
    rr.ssrc = 0x11223344;
    REQUIRE(builder.add_receiver_report(rr).ok());
    REQUIRE(builder.add_cname(rr.ssrc, "peer").ok());
    auto size = builder.finish();
    REQUIRE(size.ok());
    peer.rtcp.send_to(asio::buffer(buffer.data(), *size), stream_rtcp(*stream));
    REQUIRE(run_until(io, [&] { return stream->stats().rtcp_in == 1; }));
    CHECK(stream->stats().dropped_malformed == 0);

    // 20 ms ticks both ways until a report arrives; the first is due 2.5 s in (RFC 3550 6.2),
    // the test gives it at most 8 s.
    ToneRtp tone(Kind::pcmu, 0, 1000.0, -20.0, 0x11223344);
    const std::vector<uint8_t> payload(160, 0xff);
    std::vector<std::vector<uint8_t>> reports;
    const int64_t started = now_us();
    int64_t arrived = 0;
    run_ticks(io, 400, [&](int) {
        peer.rtp.send_to(asio::buffer(tone.next()), stream_rtp(*stream));
        stream->send(payload, 160, now_us());
        drain(peer.rtp);
        for (auto& d : drain(peer.rtcp))
            reports.push_back(std::move(d));
        if (reports.empty()) return true;
        arrived = now_us();
        return false;
    });
    REQUIRE(reports.size() == 1);
    CHECK(arrived - started >= 2'000'000);
    CHECK(stream->stats().rtcp_out == 1);

    auto parsed = rtp::parse_rtcp(reports[0]);
    INFO((parsed.ok() ? std::string() : parsed.message()));
    REQUIRE(parsed.ok());
    REQUIRE(parsed->size() >= 2);
    const auto* sr = std::get_if<rtp::SenderReport>(&(*parsed)[0]);
    REQUIRE(sr != nullptr);
    CHECK(sr->info.packet_count > 0);
    CHECK(sr->info.packet_count <= stream->stats().packets_out);
    CHECK(sr->info.octet_count == sr->info.packet_count * 160);
    REQUIRE(sr->reports.size() == 1);
    CHECK(sr->reports[0].ssrc == 0x11223344);
    CHECK(sr->reports[0].cumulative_lost == 0);
    const auto* sdes = std::get_if<rtp::Sdes>(&(*parsed)[1]);
    REQUIRE(sdes != nullptr);
    REQUIRE(sdes->chunks.size() == 1);
    CHECK(sdes->chunks[0].ssrc == sr->ssrc);
    CHECK(sdes->chunks[0].cname() == std::optional<std::string>("unit-test-mixer"));

    // The SR's SSRC is the one on our RTP.
    stream->send(payload, 160, now_us());
    const auto rtp_packets = receive(io, peer.rtp, 1);
    REQUIRE(rtp_packets.size() == 1);
    CHECK(rtp_packets[0].header.ssrc == sr->ssrc);
}
