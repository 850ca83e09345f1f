// A room's membership: admitting a caller (ports, SDP answer, greeting), re-INVITEs, leaving,
// admin operations and the roster.
#include "mixer/room/room.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include "common/log/log.hpp"
#include "common/prompt/number_words.hpp"
#include "common/sdp/sdp_writer.hpp"

namespace sidebar::mixer {

namespace {

int64_t steady_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

EngineConfig engine_config(const MixerConfig& config, const directory::Room& room) {
    EngineConfig out;
    out.gate_threshold_dbfs = config.mixing.gate_threshold_dbfs;
    out.default_parent_gain_db = room.sidebar_parent_gain_db;
    return out;
}

}  // namespace

Room::Room(boost::asio::io_context& io, directory::Room info, RoomServices services)
    : io_(io),
      info_(std::move(info)),
      services_(std::move(services)),
      engine_(engine_config(*services_.config, info_)),
      timer_(io) {}

sdp::Capabilities Room::capabilities(uint16_t rtp_port, const std::string& session_id) const {
    const MixerConfig& config = *services_.config;
    sdp::Capabilities caps;
    caps.codecs = config.rtp.codecs;
    if (config.rtp.address.find(':') != std::string::npos) {
        caps.ipv4_address.clear();
        caps.ipv6_address = config.rtp.address;
    } else {
        caps.ipv4_address = config.rtp.address;
    }
    caps.rtp_port = rtp_port;
    caps.origin_username = "sidebar-mixer";
    caps.session_id = session_id;
    caps.session_name = info_.name.empty() ? "sidebar" : info_.name;
    return caps;
}

uint32_t Room::free_number() const {
    // The smallest number nobody holds: callers like short numbers ("you are member 2").
    uint32_t number = 1;
    while (members_.count(number) != 0 || (console_ && number == console_number_))
        ++number;
    return number;
}

Room::Member* Room::find(sip::HandleId handle) {
    for (auto& [number, member] : members_) {
        if (member.handle == handle) return &member;
    }
    return nullptr;
}

Room::Member* Room::find_number(uint32_t number) {
    auto it = members_.find(number);
    return it == members_.end() ? nullptr : &it->second;
}

void Room::admit(JoinRequest request) {
    const MixerConfig& config = *services_.config;
    sip::Stack& sip = *services_.sip;
    auto refused = [&](std::string_view name, int status, std::string_view why) {
        log::info(name)
            .field("call-id", request.call_id)
            .field("room", info_.number)
            .field("status", status)
            .msg(why);
    };
    if (static_cast<int>(members_.size()) >= info_.max_members) {
        refused("join_refused", 486, "room is full");
        sip.respond(request.handle, 486);
        return;
    }
    auto ports = services_.ports->allocate(io_);
    if (!ports) {
        log::error("join_refused")
            .field("call-id", request.call_id)
            .field("room", info_.number)
            .field("status", 503)
            .msg(ports.message());
        sip::ResponseOptions options;
        options.headers.push_back({"Retry-After", "10"});
        sip.respond(request.handle, 503, options);
        return;
    }
    std::random_device random;
    const std::string session_id = std::to_string(random() % 1000000000u + 1);
    auto negotiated =
        sdp::negotiate_answer(request.offer, capabilities(ports->rtp_port, session_id));
    if (!negotiated) {
        refused("join_refused", 488, negotiated.reason());
        sip.respond(request.handle, 488,
                    sip::with_warning(negotiated.warning_code(), config.contact_host(),
                                      negotiated.reason()));
        return;
    }
    auto stream = make_stream(std::move(*ports), *negotiated, request.source_address);
    if (!stream) {
        refused("join_failed", 500, stream.message());
        sip.respond(request.handle, 500);
        return;
    }
    const uint32_t number = free_number();
    if (!engine_.add_member(number)) {
        refused("join_failed", 500, "mixing engine refused the member");
        sip.respond(request.handle, 500);
        return;
    }
    Member& member = members_[number];
    member.number = number;
    member.handle = request.handle;
    member.call_id = request.call_id;
    member.display_name = request.from.display;
    member.uri = request.from.uri;
    member.stream = std::move(*stream);
    member.session_id = session_id;
    member.joined_unix = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    VoiceProcessing processing;
    processing.noise_suppression = config.mixing.noise_suppression;
    processing.agc = config.mixing.agc;
    if (processing.any()) {
        if (auto voice = VoiceProcessor::create(processing)) member.voice = std::move(*voice);
    }

    sip::ResponseOptions options;
    options.content_type = "application/sdp";
    options.body = sdp::write(negotiated->answer);
    options.contact = request.contact;
    options.headers.push_back({"Allow-Events", "conference"});
    sip.respond(request.handle, 200, options);

    services_.counters->calls_total->inc();
    services_.counters->members->inc();
    log::info("member_joined")
        .field("call-id", request.call_id)
        .field("room", info_.number)
        .field("member", number)
        .field("name", member.display_name)
        .field("uri", member.uri)
        .field("codec", codec::to_string(negotiated->codec.kind))
        .field("rtp_port", member.stream->local_port())
        .field("remote",
               negotiated->remote_address + ":" + std::to_string(negotiated->remote_rtp_port))
        .msg("joined the main room");
    greet(member);
    start_clock();
    notify_roster();
}

void Room::greet(Member& member) {
    if (services_.prompts == nullptr || !services_.config->mixing.announce_joins) return;
    // The joiner hears "you are member N"; everybody else an entry chime.
    member.player = std::make_unique<prompt::PromptPlayer>(*services_.prompts);
    member.player->silence(300);
    member.player->play("you_are_member");
    member.player->play_all(prompt::number_words(static_cast<int>(member.number)));
    if (members_.size() > 1) {
        if (!room_player_)
            room_player_ = std::make_unique<prompt::PromptPlayer>(*services_.prompts);
        room_player_->chime();
    }
}

void Room::reinvite(sip::HandleId handle, const sdp::SessionDescription& offer) {
    Member* member = find(handle);
    if (member == nullptr) {
        services_.sip->respond(handle, 481);
        return;
    }
    const MixerConfig& config = *services_.config;
    auto negotiated =
        sdp::negotiate_answer(offer, capabilities(member->stream->local_port(), member->session_id),
                              ++member->sdp_version);
    if (!negotiated) {
        // RFC 3261 14.2: a failed re-INVITE leaves the session as it was.
        log::info("reinvite_refused")
            .field("call-id", member->call_id)
            .field("room", info_.number)
            .field("member", member->number)
            .msg(negotiated.reason());
        services_.sip->respond(handle, 488,
                               sip::with_warning(negotiated.warning_code(), config.contact_host(),
                                                 negotiated.reason()));
        return;
    }
    if (Status updated = member->stream->update(*negotiated); !updated) {
        services_.sip->respond(handle, 500);
        return;
    }
    sip::ResponseOptions options;
    options.content_type = "application/sdp";
    options.body = sdp::write(negotiated->answer);
    options.headers.push_back({"Allow-Events", "conference"});
    services_.sip->respond(handle, 200, options);
    log::info("member_reinvite")
        .field("call-id", member->call_id)
        .field("room", info_.number)
        .field("member", member->number)
        .field("codec", codec::to_string(negotiated->codec.kind))
        .field("direction", std::string(sdp::to_string(negotiated->direction)))
        .msg(negotiated->is_hold() ? "on hold" : "session updated");
}

void Room::leave(sip::HandleId handle, std::string_view reason) {
    if (Member* member = find(handle)) {
        remove(*member, reason, false);
    } else if (Sidebar* sidebar = sidebar_of_handle(handle)) {
        end_sidebar(*sidebar, reason, false);  // the controller hung up: the sidebar ends
    } else {
        close_channel(handle, reason, false);  // the IVR hung up a service channel
    }
}

void Room::remove(Member& member, std::string_view reason, bool send_bye) {
    if (send_bye) services_.sip->bye(member.handle);
    close_channels_of(member.number, "member left");
    member.stream->close();
    report_counters(member);
    const GroupId group = engine_.group_of(member.number);
    engine_.remove_member(member.number);
    encoders_.forget(personal_mix_key(member.number));
    services_.counters->members->dec();
    const auto& stats = member.stream->stats();
    log::info("member_left")
        .field("call-id", member.call_id)
        .field("room", info_.number)
        .field("member", member.number)
        .field("reason", reason)
        .field("packets_in", stats.packets_in)
        .field("packets_out", stats.packets_out)
        .field("dropped_foreign", stats.dropped_foreign)
        .msg("left the room");
    const sip::HandleId handle = member.handle;
    members_.erase(member.number);
    if (send_bye && services_.on_member_gone) services_.on_member_gone(handle);
    if (members_.empty()) {
        end_all_sidebars("main room ended");
    } else {
        end_if_emptied(group);
    }
    notify_roster();
}

void Room::digit(sip::HandleId handle, char digit, std::string_view via) {
    Member* member = find(handle);
    if (member == nullptr) return;
    services_.counters->digits->inc();
    log::info("dtmf")
        .field("call-id", member->call_id)
        .field("room", info_.number)
        .field("member", member->number)
        .field("digit", std::string(1, digit))
        .field("via", via)
        .msg(digit == services_.config->menu_key ? "menu key" : "digit");
    // With a channel open the IVR gets every key (the menu key too: "back"); otherwise the menu
    // key calls the IVR's menu.
    if (has_channel(member->number)) {
        relay_digit(member->number, digit);
    } else if (digit == services_.config->menu_key) {
        call_menu(*member, steady_us());
    }
}

bool Room::set_muted(uint32_t number, bool muted) {
    if (find_number(number) == nullptr) return false;
    engine_.set_muted(number, muted);
    notify_roster();
    log::info(muted ? "member_muted" : "member_unmuted")
        .field("room", info_.number)
        .field("member", number)
        .msg("admin");
    return true;
}

bool Room::set_deaf(uint32_t number, bool deaf) {
    if (find_number(number) == nullptr) return false;
    engine_.set_deaf(number, deaf);
    notify_roster();
    log::info(deaf ? "member_deaf" : "member_undeaf")
        .field("room", info_.number)
        .field("member", number)
        .msg("admin");
    return true;
}

bool Room::set_gain(uint32_t number, double db) {
    Member* member = find_number(number);
    if (member == nullptr) return false;
    engine_.set_input_gain(number, db);
    member->input_gain_db = db;
    log::info("member_gain")
        .field("room", info_.number)
        .field("member", number)
        .field("db", db)
        .msg("admin");
    return true;
}

bool Room::kick(uint32_t number) {
    Member* member = find_number(number);
    if (member == nullptr) return false;
    remove(*member, "kicked", true);
    return true;
}

RoomInfo Room::snapshot() const {
    RoomInfo info;
    info.number = info_.number;
    info.name = info_.name;
    info.max_members = info_.max_members;
    info.recording = info_.record;
    for (const auto& [number, member] : members_) {
        MemberInfo m;
        m.number = number;
        m.sidebar = sidebar_of_member(number);
        m.display_name = member.display_name;
        m.uri = member.uri;
        m.call_id = member.call_id;
        m.codec = std::string(codec::to_string(member.stream->codec()));
        m.muted = engine_.is_muted(number);
        m.deaf = engine_.is_deaf(number);
        m.speaking = member.speaking;
        m.input_gain_db = member.input_gain_db;
        m.level_dbfs = engine_.input_level_dbfs(number);
        m.joined_unix = member.joined_unix;
        const auto& stats = member.stream->stats();
        m.packets_in = stats.packets_in;
        m.packets_out = stats.packets_out;
        m.dropped_foreign = stats.dropped_foreign;
        m.dropped_malformed = stats.dropped_malformed;
        m.jitter_lost = member.stream->jitter_stats().lost;
        m.jitter_delay_ms = member.stream->jitter_stats().current_delay_ms;
        if (auto remote = member.stream->remote()) {
            m.remote_media = remote->address().to_string() + ":" + std::to_string(remote->port());
        }
        info.members.push_back(std::move(m));
    }
    for (const auto& [number, sidebar] : sidebars_) {
        SidebarInfo s;
        s.number = number;
        s.parent_gain_db = sidebar.parent_gain_db;
        s.controller = sidebar.control != 0 ? "sip" : "admin";
        s.call_id = sidebar.call_id;
        for (MemberId id : engine_.members_of(sidebar.group)) {
            if (members_.count(id) != 0) s.members.push_back(id);
        }
        std::sort(s.members.begin(), s.members.end());
        info.sidebars.push_back(std::move(s));
    }
    return info;
}

void Room::attach_console(std::unique_ptr<ConsoleDevice> device) {
    console_number_ = free_number();  // a member number like a caller's
    engine_.add_member(console_number_);
    console_ = std::move(device);
    log::info("console_attached")
        .field("room", info_.number)
        .field("member", console_number_)
        .field("device", console_->device_name())
        .msg("the sound device is a member");
    start_clock();
}

void Room::close(std::string_view reason) {
    while (!members_.empty())
        remove(members_.begin()->second, reason, true);
    end_all_sidebars(reason);  // admin-made ones in a room that had nobody left
    timer_.cancel();
    clock_running_ = false;
    console_.reset();
    stop_recording();
}

}  // namespace sidebar::mixer
