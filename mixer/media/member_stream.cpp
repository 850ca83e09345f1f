// A member's RTP: receive (latching, validation, jitter buffer, digits), pull and send.
#include "mixer/media/member_stream.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <cstring>
#include <random>

#include "common/log/log.hpp"
#include "common/rtp/rtp_packet.hpp"

namespace sidebar::mixer {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

constexpr std::size_t kBatch = 16;
constexpr int kMaxBatchesPerWake = 8;  // a flood waits in the kernel, other members still run
constexpr std::size_t kDatagramBytes = 1600;

// Receive buffers are per media thread, not per member: a member costs no 25 KB of buffers.
struct ReceiveBatch {
    std::array<std::array<uint8_t, kDatagramBytes>, kBatch> data{};
    std::array<mmsghdr, kBatch> headers{};
    std::array<iovec, kBatch> iov{};
    std::array<sockaddr_storage, kBatch> from{};
};

ReceiveBatch& receive_batch() {
    thread_local ReceiveBatch batch;
    return batch;
}

int64_t steady_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::optional<udp::endpoint> endpoint_of(const std::string& address, uint16_t port) {
    if (address.empty() || port == 0) return std::nullopt;
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(address, ec);
    if (ec || ip.is_unspecified()) return std::nullopt;
    return udp::endpoint(ip, port);
}

}  // namespace

MemberStream::MemberStream(BoundPorts ports, MemberStreamSettings settings, uint32_t ssrc)
    : rtp_socket_(std::move(ports.rtp)),
      rtcp_socket_(std::move(ports.rtcp)),
      local_port_(ports.rtp_port),
      settings_(std::move(settings)),
      rtcp_(ssrc, settings_.cname, 8000),
      ssrc_(ssrc) {
    std::random_device random;
    sequence_ = static_cast<uint16_t>(random());
    timestamp_ = random();
}

MemberStream::~MemberStream() {
    close();
}

Result<std::shared_ptr<MemberStream>> MemberStream::create(BoundPorts ports,
                                                           const sdp::Negotiated& negotiated,
                                                           MemberStreamSettings settings) {
    std::random_device random;
    std::shared_ptr<MemberStream> stream(
        new MemberStream(std::move(ports), std::move(settings), random()));
    if (Status configured = stream->configure(negotiated); !configured) {
        return make_error(configured.message());
    }
    return stream;
}

Status MemberStream::configure(const sdp::Negotiated& negotiated) {
    const bool codec_changed =
        !decoder_ || negotiated.codec.kind != negotiated_.codec.kind ||
        negotiated.codec.local_payload_type != negotiated_.codec.local_payload_type;
    if (codec_changed) {
        auto decoder = codec::create_decoder(negotiated.codec.kind);
        if (!decoder) return make_error("decoder: " + decoder.message());
        jitter::JitterConfig config;
        config.clock_rate = (*decoder)->rtp_clock_rate();
        config.min_delay_ms = settings_.jitter_min_ms;
        config.max_delay_ms = settings_.jitter_max_ms;
        // Enough slots for the longest delay in 10 ms packets and a little reordering: each slot
        // holds a whole datagram, so the default 64 would cost ~100 KB per member.
        config.capacity = static_cast<std::size_t>(settings_.jitter_max_ms / 10 + 4);
        // And each slot only as large as the codec's largest packet: 60 ms of G.711 or G.722 is
        // 480 bytes (longer packets are refused and counted), Opus may use the whole datagram.
        config.max_payload_bytes = negotiated.codec.kind == codec::Kind::opus ? 1500 : 480;
        playout_.reset();  // it borrows the old decoder
        decoder_ = std::move(*decoder);
        auto playout = jitter::JitterPlayout::create(*decoder_, config);
        if (!playout) return make_error("jitter buffer: " + playout.message());
        playout_.emplace(std::move(*playout));
        rtcp_.set_clock_rate(negotiated.codec.clock_rate);
    }
    auto remote = endpoint_of(negotiated.remote_address, negotiated.remote_rtp_port);
    if (remote != remote_ || !remote) {
        // A new address in a re-INVITE is taken as said; latching may happen again from it.
        remote_ = remote;
        latched_ = false;
    }
    remote_rtcp_ = negotiated.rtcp_mux
                       ? remote_
                       : endpoint_of(negotiated.remote_rtcp_address, negotiated.remote_rtcp_port);
    const int event_clock =
        negotiated.telephone_event ? negotiated.telephone_event->clock_rate : 8000;
    if (!negotiated_.telephone_event || negotiated_.telephone_event->clock_rate != event_clock) {
        digits_receiver_ = dtmf::Rfc4733Receiver(event_clock);
    }
    negotiated_ = negotiated;
    return Ok{};
}

Status MemberStream::update(const sdp::Negotiated& negotiated) {
    return configure(negotiated);
}

void MemberStream::start(int64_t now_us) {
    last_received_us_ = now_us;
    wait_rtp();
    wait_rtcp();
}

void MemberStream::close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    rtp_socket_.close(ignored);
    rtcp_socket_.close(ignored);
}

void MemberStream::wait_rtp() {
    rtp_socket_.async_wait(udp::socket::wait_read,
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                               if (ec || self->closed_) return;
                               self->drain(self->rtp_socket_, false);
                               self->wait_rtp();
                           });
}

void MemberStream::wait_rtcp() {
    rtcp_socket_.async_wait(udp::socket::wait_read,
                            [self = shared_from_this()](const boost::system::error_code& ec) {
                                if (ec || self->closed_) return;
                                self->drain(self->rtcp_socket_, true);
                                self->wait_rtcp();
                            });
}

void MemberStream::drain(udp::socket& socket, bool rtcp_socket) {
    ReceiveBatch& batch = receive_batch();
    for (int round = 0; round < kMaxBatchesPerWake; ++round) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            batch.iov[i] = iovec{batch.data[i].data(), kDatagramBytes};
            std::memset(&batch.headers[i], 0, sizeof(mmsghdr));
            batch.headers[i].msg_hdr.msg_iov = &batch.iov[i];
            batch.headers[i].msg_hdr.msg_iovlen = 1;
            batch.headers[i].msg_hdr.msg_name = &batch.from[i];
            batch.headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        }
        const int n =
            recvmmsg(socket.native_handle(), batch.headers.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0) return;
        const int64_t now_us = steady_now_us();
        for (int i = 0; i < n; ++i) {
            const mmsghdr& h = batch.headers[static_cast<std::size_t>(i)];
            udp::endpoint from;
            std::memcpy(from.data(), h.msg_hdr.msg_name, h.msg_hdr.msg_namelen);
            from.resize(h.msg_hdr.msg_namelen);
            const std::span<const uint8_t> datagram(batch.data[static_cast<std::size_t>(i)].data(),
                                                    h.msg_len);
            // RTCP shares the RTP port only under rtcp-mux (RFC 5761); without it, an RTCP-looking
            // datagram there is just a packet of a payload type we do not take.
            const bool is_rtcp =
                rtcp_socket || (negotiated_.rtcp_mux && rtp::looks_like_rtcp(datagram));
            if (!accept_source(from, is_rtcp)) {
                ++stats_.dropped_foreign;
                continue;
            }
            if ((h.msg_hdr.msg_flags & MSG_TRUNC) != 0) {
                ++stats_.dropped_malformed;
                continue;
            }
            last_received_us_ = now_us;
            if (is_rtcp) {
                ++stats_.rtcp_in;
                if (!rtcp_.on_rtcp(datagram, now_us)) ++stats_.dropped_malformed;
            } else {
                on_rtp(datagram, now_us);
            }
        }
        if (static_cast<std::size_t>(n) < kBatch) return;
    }
}

bool MemberStream::accept_source(const udp::endpoint& from, bool rtcp) {
    // The negotiated address's first packet latches too: else a stranger on the member's IP
    // (another port) could latch first and take the stream over.
    if (!rtcp && remote_ && from == *remote_) return latched_ = true;
    if (rtcp && remote_rtcp_ && from == *remote_rtcp_) return true;
    // Symmetric RTP (RFC 4961) behind NAT: the member's packets may come from another port
    // than its SDP says. Latch once, and only to an address that is the member's own.
    const std::string ip = from.address().to_string();
    const bool members_address =
        ip == negotiated_.remote_address || ip == settings_.signalling_address;
    if (!members_address) return false;
    if (!rtcp && !latched_) {
        latched_ = true;
        if (!remote_ || from != *remote_) {
            log::info("rtp_latched")
                .field("port", local_port_)
                .field("from", ip + ":" + std::to_string(from.port()))
                .msg("media address taken from the member's first packet");
        }
        remote_ = from;
        if (negotiated_.rtcp_mux) remote_rtcp_ = from;
        return true;
    }
    if (rtcp && !remote_rtcp_) {
        remote_rtcp_ = from;
        return true;
    }
    return false;
}

void MemberStream::on_rtp(std::span<const uint8_t> datagram, int64_t now_us) {
    auto packet = rtp::parse_rtp(datagram);
    if (!packet) {
        ++stats_.dropped_malformed;
        return;
    }
    ++stats_.packets_in;
    stats_.bytes_in += datagram.size();
    const rtp::RtpHeader& h = packet->header;
    if (negotiated_.telephone_event &&
        h.payload_type == negotiated_.telephone_event->local_payload_type) {
        if (!digits_receiver_.on_packet(h.sequence, h.timestamp, h.marker, packet->payload, now_us,
                                        digit_events_)) {
            ++stats_.dropped_malformed;
        }
        return;
    }
    if (h.payload_type != negotiated_.codec.local_payload_type) {
        ++stats_.dropped_payload_type;
        return;
    }
    if (!negotiated_.we_receive()) return;
    const rtp::PacketVerdict verdict =
        rtcp_.on_rtp_received(h.ssrc, h.sequence, h.timestamp, now_us);
    if (!rtp::is_usable(verdict)) return;
    jitter::IncomingPacket incoming;
    incoming.ssrc = h.ssrc;
    incoming.seq = h.sequence;
    incoming.timestamp = h.timestamp;
    incoming.marker = h.marker;
    incoming.payload = packet->payload;
    incoming.arrival_us = now_us;
    playout_->put(incoming);
}

bool MemberStream::pull(int64_t now_us, std::span<int16_t, codec::kFrameSamples> out) {
    if (!playout_ || !negotiated_.we_receive()) {
        std::fill(out.begin(), out.end(), int16_t{0});
        return false;
    }
    return playout_->pull(now_us, out);
}

void MemberStream::send(std::span<const uint8_t> payload, uint32_t timestamp_step, int64_t now_us) {
    const uint32_t timestamp = timestamp_;
    timestamp_ += timestamp_step;
    if (closed_) return;
    if (auto report = rtcp_.due(now_us); !report.empty() && remote_rtcp_) {
        boost::system::error_code ec;
        auto& socket = negotiated_.rtcp_mux ? rtp_socket_ : rtcp_socket_;
        socket.send_to(asio::buffer(report.data(), report.size()), *remote_rtcp_, 0, ec);
        if (!ec) ++stats_.rtcp_out;
    }
    if (!negotiated_.we_send() || !remote_) return;
    if (digit_sender_ && digit_sender_->active()) {
        send_digit_packet(timestamp, now_us);
        return;
    }
    if (payload.empty()) return;
    rtp::RtpHeader header;
    header.payload_type = static_cast<uint8_t>(negotiated_.codec.payload_type);
    header.sequence = sequence_++;
    header.timestamp = timestamp;
    header.ssrc = ssrc_;
    header.marker = first_packet_;
    std::array<uint8_t, kDatagramBytes> packet{};
    auto size = rtp::serialize(header, payload, packet);
    if (!size) return;
    boost::system::error_code ec;
    rtp_socket_.send_to(asio::buffer(packet.data(), *size), *remote_, 0, ec);
    if (ec) return;  // a full socket buffer drops this frame; the next one goes
    first_packet_ = false;
    ++stats_.packets_out;
    stats_.bytes_out += *size;
    rtcp_.on_rtp_sent(payload.size(), timestamp, now_us);
}

bool MemberStream::send_digit(char digit, int duration_ms) {
    if (closed_ || !negotiated_.telephone_event) return false;
    if (!digit_sender_) {
        dtmf::SenderOptions options;
        options.clock_rate = negotiated_.telephone_event->clock_rate;
        options.interval_ms = 20;  // one event packet per mixing tick, in place of the audio
        auto sender = dtmf::Rfc4733Sender::create(options, sequence_);
        if (!sender) return false;
        digit_sender_.emplace(std::move(*sender));
    }
    if (digit_sender_->active()) return false;
    digit_sender_->set_next_seq(sequence_);
    return digit_sender_->start(digit, timestamp_, duration_ms).ok();
}

void MemberStream::send_digit_packet(uint32_t timestamp, int64_t now_us) {
    auto event = digit_sender_->next();
    sequence_ = digit_sender_->next_seq();
    if (!event) return;
    rtp::RtpHeader header;
    header.payload_type = static_cast<uint8_t>(negotiated_.telephone_event->payload_type);
    header.sequence = event->seq;
    header.timestamp = event->timestamp;
    header.ssrc = ssrc_;
    header.marker = event->marker;
    std::array<uint8_t, kDatagramBytes> packet{};
    auto size = rtp::serialize(header, event->payload, packet);
    if (!size) return;
    boost::system::error_code ec;
    rtp_socket_.send_to(asio::buffer(packet.data(), *size), *remote_, 0, ec);
    if (ec) return;
    ++stats_.packets_out;
    stats_.bytes_out += *size;
    rtcp_.on_rtp_sent(event->payload.size(), timestamp, now_us);
}

std::vector<char> MemberStream::take_digits(int64_t now_us) {
    digits_receiver_.poll(now_us, digit_events_);
    std::vector<char> out;
    for (const dtmf::DigitEvent& event : digit_events_) {
        if (event.type == dtmf::DigitEvent::Type::pressed) out.push_back(event.digit);
    }
    digit_events_.clear();
    stats_.digits += out.size();
    return out;
}

bool MemberStream::timed_out(int64_t now_us) const {
    // On hold the member may legitimately send nothing; RTCP usually continues, but not always.
    if (!negotiated_.we_receive()) return false;
    return now_us - last_received_us_ >
           std::chrono::duration_cast<std::chrono::microseconds>(settings_.inactivity_timeout)
               .count();
}

}  // namespace sidebar::mixer
