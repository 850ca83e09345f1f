// Service channels (DESIGN.md 5.3): the IVR's leg attached to one member. The member hears the
// IVR over a ducked room, the IVR hears only the member, and the member's voice is withheld from
// the room while the channel is open (the engine's rules). A channel opens two ways: the IVR
// INVITEs member=<room>.<n> (to ask that member something), or the member presses the menu key
// and the room INVITEs the IVR's menu URI. The member's digits go to the IVR as RFC 4733 events.
#include <chrono>
#include <random>

#include "common/log/log.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_writer.hpp"
#include "mixer/room/room.hpp"

namespace sidebar::mixer {

namespace {

// Encoder keys of channel streams: apart from the engine's shared and personal keys.
constexpr uint64_t kChannelKeyFlag = uint64_t{1} << 61;

int64_t steady_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string new_session_id() {
    std::random_device random;
    return std::to_string(random() % 1000000000u + 1);
}

}  // namespace

Result<std::shared_ptr<MemberStream>> Room::make_stream(BoundPorts ports,
                                                        const sdp::Negotiated& negotiated,
                                                        const std::string& source_address) {
    const MixerConfig& config = *services_.config;
    MemberStreamSettings settings;
    settings.jitter_min_ms = config.rtp.jitter_min_ms;
    settings.jitter_max_ms = config.rtp.jitter_max_ms;
    settings.inactivity_timeout = config.rtp.inactivity_timeout;
    settings.cname = "conf=" + info_.number + "@" + config.contact_host();
    settings.signalling_address = source_address;
    auto stream = MemberStream::create(std::move(ports), negotiated, std::move(settings));
    if (stream) (*stream)->start(steady_now_us());
    return stream;
}

void Room::play_error_tone(uint32_t number) {
    Member* member = find_number(number);
    if (member == nullptr || services_.prompts == nullptr) return;
    if (!member->player)
        member->player = std::make_unique<prompt::PromptPlayer>(*services_.prompts);
    member->player->error_tone();
}

bool Room::has_channel(uint32_t member) const {
    for (const auto& [handle, channel] : channels_) {
        if (channel.member == member && channel.id != 0) return true;
    }
    return false;
}

void Room::open_channel(ChannelRequest request) {
    sip::Stack& sip = *services_.sip;
    const MixerConfig& config = *services_.config;
    auto refused = [&](int status, std::string_view why, sip::ResponseOptions options = {}) {
        log::info("channel_refused")
            .field("call-id", request.call_id)
            .field("room", info_.number)
            .field("member", request.member)
            .field("status", status)
            .msg(why);
        sip.respond(request.handle, status, std::move(options));
    };
    if (find_number(request.member) == nullptr) return refused(404, "no such member");
    auto ports = services_.ports->allocate(io_);
    if (!ports) return refused(503, ports.message());
    const std::string session_id = new_session_id();
    auto negotiated =
        sdp::negotiate_answer(request.offer, capabilities(ports->rtp_port, session_id));
    if (!negotiated) {
        return refused(488, negotiated.reason(),
                       sip::with_warning(negotiated.warning_code(), config.contact_host(),
                                         negotiated.reason()));
    }
    auto stream = make_stream(std::move(*ports), *negotiated, request.source_address);
    if (!stream) return refused(500, stream.message());
    const ChannelId id = engine_.open_channel(request.member);
    if (id == 0) return refused(486, "the member has too many channels open");

    Channel& channel = channels_[request.handle];
    channel.id = id;
    channel.member = request.member;
    channel.handle = request.handle;
    channel.call_id = request.call_id;
    channel.stream = std::move(*stream);
    channel.session_id = session_id;

    sip::ResponseOptions options;
    options.content_type = "application/sdp";
    options.body = sdp::write(negotiated->answer);
    std::string uri = "sip:member=" + info_.number + "." + std::to_string(request.member) + "@" +
                      config.contact_host();
    if (request.tcp) uri += ";transport=tcp";
    options.contact = "<" + uri + ">";
    sip.respond(request.handle, 200, options);
    log::info("channel_opened")
        .field("call-id", request.call_id)
        .field("room", info_.number)
        .field("member", request.member)
        .field("codec", codec::to_string(negotiated->codec.kind))
        .msg("by a controller");
}

void Room::call_menu(Member& member, int64_t now_us) {
    const MixerConfig& config = *services_.config;
    if (config.menu.ivr_uri.empty()) return;
    for (const auto& [handle, channel] : channels_) {
        if (channel.member == member.number) return;  // one menu at a time
    }
    auto ports = services_.ports->allocate(io_);
    const std::string session_id = new_session_id();
    Result<sdp::SessionDescription> offer =
        ports ? sdp::make_offer(capabilities(ports->rtp_port, session_id), 1)
              : Result<sdp::SessionDescription>(make_error(ports.message()));
    if (!offer) {
        log::error("menu_failed")
            .field("call-id", member.call_id)
            .field("room", info_.number)
            .field("member", member.number)
            .msg(offer.message());
        play_error_tone(member.number);
        return;
    }
    const std::string member_uri = "sip:member=" + info_.number + "." +
                                   std::to_string(member.number) + "@" + config.contact_host();
    sip::InviteOptions invite;
    invite.to = config.menu.ivr_uri;
    std::string display = member.display_name;
    std::erase(display, '"');
    std::erase(display, '\\');
    invite.from = (display.empty() ? "" : "\"" + display + "\" ") + "<" + member_uri + ">";
    invite.contact = "<" + member_uri + ">";
    invite.sdp = sdp::write(*offer);
    invite.headers.push_back({"X-Conference", info_.number});
    invite.headers.push_back({"X-Member", invite.from});

    sip::Stack& sip = *services_.sip;
    const sip::HandleId handle = sip.reserve_handle();
    if (services_.on_call_placed) services_.on_call_placed(handle, shared_from_this());
    Channel& channel = channels_[handle];
    channel.member = member.number;
    channel.handle = handle;
    channel.outbound = true;
    channel.ports.emplace(std::move(*ports));
    channel.offer = std::move(*offer);
    channel.session_id = session_id;
    channel.started_us = now_us;
    sip.invite(handle, std::move(invite));
    log::info("menu_called")
        .field("call-id", member.call_id)
        .field("room", info_.number)
        .field("member", member.number)
        .field("to", config.menu.ivr_uri)
        .msg("menu key");
}

void Room::channel_answered(sip::HandleId handle, int status, std::string content_type,
                            std::string body) {
    auto it = channels_.find(handle);
    if (it == channels_.end() || status < 200) return;
    Channel& channel = it->second;
    if (!channel.outbound || channel.stream) return;  // a retransmitted 200: already done
    Member* member = find_number(channel.member);
    auto fail = [&](std::string_view why, bool send_bye) {
        log::warn("menu_failed")
            .field("room", info_.number)
            .field("member", channel.member)
            .field("status", status)
            .msg(why);
        play_error_tone(channel.member);
        close_channel(handle, why, send_bye);
    };
    if (status >= 300) return fail("the IVR refused the call", false);
    if (member == nullptr) return close_channel(handle, "member left", true);
    auto answer = content_type == "application/sdp"
                      ? sdp::parse(body)
                      : Result<sdp::SessionDescription>(make_error("no SDP in the answer"));
    if (!answer) return fail("unusable answer: " + answer.message(), true);
    auto negotiated = sdp::process_answer(channel.offer, *answer);
    if (!negotiated) return fail("answer refused: " + negotiated.reason(), true);
    auto stream = make_stream(std::move(*channel.ports), *negotiated, negotiated->remote_address);
    channel.ports.reset();
    if (!stream) return fail(stream.message(), true);
    channel.id = engine_.open_channel(channel.member);
    if (channel.id == 0) return fail("the member has too many channels open", true);
    channel.stream = std::move(*stream);
    log::info("channel_opened")
        .field("call-id", member->call_id)
        .field("room", info_.number)
        .field("member", channel.member)
        .field("codec", codec::to_string(negotiated->codec.kind))
        .msg("menu answered");
}

void Room::close_channel(sip::HandleId handle, std::string_view reason, bool send_bye) {
    auto it = channels_.find(handle);
    if (it == channels_.end()) return;
    Channel& channel = it->second;
    if (send_bye) {
        if (channel.outbound && !channel.stream) {
            services_.sip->cancel(handle);
        } else {
            services_.sip->bye(handle);
        }
    }
    if (channel.stream) channel.stream->close();
    if (channel.id != 0) {
        engine_.close_channel(channel.id);
        encoders_.forget(kChannelKeyFlag | channel.id);
    }
    log::info("channel_closed")
        .field("room", info_.number)
        .field("member", channel.member)
        .field("reason", reason)
        .msg(channel.outbound ? "menu" : "controller's channel");
    channels_.erase(it);
}

void Room::close_channels_of(uint32_t member, std::string_view reason) {
    std::vector<sip::HandleId> handles;
    for (const auto& [handle, channel] : channels_) {
        if (channel.member == member) handles.push_back(handle);
    }
    for (sip::HandleId handle : handles)
        close_channel(handle, reason, true);
}

void Room::relay_digit(uint32_t member, char digit) {
    for (auto& [handle, channel] : channels_) {
        if (channel.member == member && channel.stream) channel.stream->send_digit(digit);
    }
}

void Room::receive_channels(int64_t now_us) {
    for (auto& [handle, channel] : channels_) {
        if (channel.stream && channel.id != 0 && channel.stream->pull(now_us, frame_)) {
            engine_.put_channel_input(channel.id, frame_);
        }
    }
}

void Room::send_channels(int64_t now_us) {
    for (auto& [handle, channel] : channels_) {
        if (!channel.stream || channel.id == 0) continue;
        const ConstFrame pcm = engine_.channel_output(channel.id);
        const EncodedFrame encoded = encoders_.encode(kChannelKeyFlag | channel.id,
                                                      channel.stream->codec(), pcm, tick_count_);
        channel.stream->send(encoded.payload, encoded.timestamp_step, now_us);
    }
}

void Room::expire_channels(int64_t now_us) {
    const int64_t limit_us = int64_t{services_.config->menu.answer_timeout_ms} * 1000;
    std::vector<sip::HandleId> expired;
    for (const auto& [handle, channel] : channels_) {
        if (channel.outbound && !channel.stream && now_us - channel.started_us > limit_us) {
            expired.push_back(handle);
        }
    }
    for (sip::HandleId handle : expired) {
        const uint32_t number = channels_.at(handle).member;
        log::warn("menu_failed")
            .field("room", info_.number)
            .field("member", number)
            .msg("the IVR did not answer in time");
        play_error_tone(number);
        close_channel(handle, "no answer", true);
    }
}

}  // namespace sidebar::mixer
