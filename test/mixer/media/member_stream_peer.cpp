// The member's side of the member-stream tests: sockets, tone RTP, negotiated SDP, test clock.
#include "test/mixer/media/member_stream_peer.hpp"

#include <unistd.h>

#include <array>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "common/audio/goertzel.hpp"
#include "common/sdp/sdp_parser.hpp"

namespace mixer_test {

using namespace sidebar;

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

uint16_t test_port_base() {
    // 10000..19999: below the mixer's (20000) and the IVR's (30000) default ranges and outside
    // Linux's ephemeral ports (32768..60999), which the peers' own sockets take.
    constexpr int kSlots = 10000 / kTestPorts;
    return static_cast<uint16_t>(10000 + (getpid() % kSlots) * kTestPorts);
}

std::string offer_text(uint16_t rtp_port, uint16_t rtcp_port, codec::Kind kind,
                       const std::string& direction, const std::string& address) {
    const bool opus = kind == codec::Kind::opus;
    const std::string pt = opus ? std::to_string(kOpusPayloadType) : "0";
    std::string text = "v=0\r\no=- 7 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address +
                       "\r\nt=0 0\r\nm=audio " + std::to_string(rtp_port) + " RTP/AVP " + pt +
                       " 101\r\n";
    if (opus) text += "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n";
    text += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n";
    text += "a=rtcp:" + std::to_string(rtcp_port) + "\r\n";
    text += "a=" + direction + "\r\n";
    return text;
}

sdp::Negotiated negotiate(const std::string& offer) {
    auto parsed = sdp::parse(offer);
    INFO(offer);
    REQUIRE(parsed.ok());
    sdp::Capabilities caps;
    caps.codecs = {codec::Kind::opus, codec::Kind::pcmu};
    auto negotiated = sdp::negotiate_answer(*parsed, caps);
    INFO((negotiated.ok() ? std::string() : negotiated.reason()));
    REQUIRE(negotiated.ok());
    return std::move(negotiated).value();
}

udp::socket bound_socket(asio::io_context& io, const std::string& address) {
    udp::socket socket(io, udp::endpoint(asio::ip::make_address(address), 0));
    socket.non_blocking(true);
    return socket;
}

std::vector<std::vector<uint8_t>> drain(udp::socket& socket) {
    std::vector<std::vector<uint8_t>> out;
    std::array<uint8_t, 2048> buffer{};
    for (;;) {
        boost::system::error_code ec;
        udp::endpoint from;
        const std::size_t n = socket.receive_from(asio::buffer(buffer), from, 0, ec);
        if (ec) return out;
        out.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
}

Peer::Peer(asio::io_context& io, const std::string& address)
    : rtp(bound_socket(io, address)), rtcp(bound_socket(io, address)) {}

ToneRtp::ToneRtp(codec::Kind kind, uint8_t payload_type, double hz, double level_dbfs,
                 uint32_t ssrc)
    : encoder_(codec::make_encoder(kind)), tone_(audio::ToneGenerator::sine(hz, level_dbfs)) {
    header_.payload_type = payload_type;
    header_.sequence = 1000;
    header_.timestamp = 50000;
    header_.ssrc = ssrc;
    header_.marker = true;
}

std::vector<uint8_t> ToneRtp::next() {
    std::array<int16_t, codec::kFrameSamples> pcm{};
    tone_.fill(pcm);
    std::array<uint8_t, codec::kMaxPayloadBytes> payload{};
    auto size = encoder_->encode(pcm, payload);
    REQUIRE(size.ok());
    auto packet = rtp_packet(header_, std::span<const uint8_t>(payload.data(), *size));
    header_.marker = false;
    ++header_.sequence;
    header_.timestamp += encoder_->timestamp_step();
    return packet;
}

std::vector<uint8_t> rtp_packet(const rtp::RtpHeader& header, std::span<const uint8_t> payload) {
    std::vector<uint8_t> out(rtp::serialized_size(header, payload.size()));
    auto written = rtp::serialize(header, payload, out);
    REQUIRE(written.ok());
    out.resize(*written);
    return out;
}

int run_ticks(asio::io_context& io, int count, const std::function<bool(int)>& tick) {
    asio::steady_timer timer(io);
    auto next = std::chrono::steady_clock::now();
    int ran = 0;
    std::function<void()> arm = [&] {
        timer.expires_at(next);
        timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            const bool more = tick(ran++);
            if (!more || ran >= count) {
                io.stop();
                return;
            }
            next += milliseconds(20);
            arm();
        });
    };
    arm();
    io.restart();
    io.run_for(milliseconds(20) * count + milliseconds(2000));
    timer.cancel();
    io.restart();
    io.poll();  // lets the cancelled wait finish while `timer` is alive
    io.restart();
    return ran;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.run_one_for(milliseconds(5));
        io.restart();
    }
    return done();
}

std::shared_ptr<mixer::MemberStream> start_stream(asio::io_context& io,
                                                  const sdp::Negotiated& negotiated,
                                                  mixer::MemberStreamSettings settings) {
    // The first half of this process's ports; the port allocator tests use the second.
    static const uint16_t base = test_port_base();
    static mixer::PortAllocator allocator("127.0.0.1", base, static_cast<uint16_t>(base + 199));
    auto ports = allocator.allocate(io);
    INFO((ports.ok() ? std::string() : ports.message()));
    REQUIRE(ports.ok());
    auto stream = mixer::MemberStream::create(std::move(*ports), negotiated, std::move(settings));
    REQUIRE(stream.ok());
    (*stream)->start(now_us());
    return *stream;
}

udp::endpoint stream_rtp(const mixer::MemberStream& stream) {
    return {asio::ip::make_address("127.0.0.1"), stream.local_port()};
}

udp::endpoint stream_rtcp(const mixer::MemberStream& stream) {
    return {asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(stream.local_port() + 1)};
}

double level_of(const std::vector<int16_t>& samples, double hz) {
    return audio::tone_level(samples, codec::kInternalRate, hz);
}

}  // namespace mixer_test
