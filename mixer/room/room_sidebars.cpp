// A room's sidebars (DESIGN.md 5.4): created by a controller's INVITE (or the admin API), filled
// and emptied by REFER, ended by BYE on the controlling dialog, when their last member leaves,
// or when the main room ends. Who hears whom is the engine's business (its gain matrix keeps
// sidebars private); this file keeps the signalling side of each sidebar.
#include <random>

#include "common/log/log.hpp"
#include "common/sdp/sdp_writer.hpp"
#include "mixer/room/room.hpp"

namespace sidebar::mixer {

namespace {

// Engine ids of controllers' live legs: far above any member number (those stay below
// kMaxMembers), one per sidebar number.
constexpr MemberId kLegIdBase = 1u << 30;

MemberId leg_id(uint32_t sidebar) {
    return kLegIdBase + sidebar;
}

}  // namespace

uint32_t Room::free_sidebar_number() const {
    uint32_t number = 1;
    while (sidebars_.count(number) != 0)
        ++number;
    return number;
}

Room::Sidebar* Room::find_sidebar(uint32_t number) {
    auto it = sidebars_.find(number);
    return it == sidebars_.end() ? nullptr : &it->second;
}

Room::Sidebar* Room::sidebar_of_group(GroupId group) {
    for (auto& [number, sidebar] : sidebars_) {
        if (sidebar.group == group) return &sidebar;
    }
    return nullptr;
}

const Room::Sidebar* Room::sidebar_of_group(GroupId group) const {
    for (const auto& [number, sidebar] : sidebars_) {
        if (sidebar.group == group) return &sidebar;
    }
    return nullptr;
}

Room::Sidebar* Room::sidebar_of_handle(sip::HandleId handle) {
    if (handle == 0) return nullptr;
    for (auto& [number, sidebar] : sidebars_) {
        if (sidebar.control == handle) return &sidebar;
    }
    return nullptr;
}

uint32_t Room::sidebar_of_member(uint32_t member) const {
    const GroupId group = engine_.group_of(member);
    if (group == kMainGroup) return 0;
    const Sidebar* sidebar = sidebar_of_group(group);
    return sidebar != nullptr ? sidebar->number : 0;
}

Room::Sidebar& Room::add_sidebar(std::optional<std::optional<double>> parent_gain_db) {
    const GroupId group =
        parent_gain_db ? engine_.create_sidebar(*parent_gain_db) : engine_.create_sidebar();
    const uint32_t number = free_sidebar_number();
    Sidebar& sidebar = sidebars_[number];
    sidebar.number = number;
    sidebar.group = group;
    sidebar.parent_gain_db = parent_gain_db ? *parent_gain_db : info_.sidebar_parent_gain_db;
    return sidebar;
}

void Room::create_sidebar(SidebarRequest request) {
    sip::Stack& sip = *services_.sip;
    const MixerConfig& config = *services_.config;
    auto refused = [&](int status, std::string_view why, sip::ResponseOptions options = {}) {
        log::info("sidebar_refused")
            .field("call-id", request.call_id)
            .field("room", info_.number)
            .field("status", status)
            .msg(why);
        sip.respond(request.handle, status, std::move(options));
    };
    if (members_.empty()) return refused(404, "the room has no members");
    if (engine_.sidebars().size() >= kMaxSidebars) return refused(503, "too many sidebars");
    auto ports = services_.ports->allocate(io_);
    if (!ports) {
        sip::ResponseOptions options;
        options.headers.push_back({"Retry-After", "10"});
        return refused(503, ports.message(), std::move(options));
    }
    std::random_device random;
    const std::string session_id = std::to_string(random() % 1000000000u + 1);
    auto negotiated =
        sdp::negotiate_answer(request.offer, capabilities(ports->rtp_port, session_id));
    if (!negotiated) {
        return refused(488, negotiated.reason(),
                       sip::with_warning(negotiated.warning_code(), config.contact_host(),
                                         negotiated.reason()));
    }
    auto stream = make_stream(std::move(*ports), *negotiated, request.source_address);
    if (!stream) return refused(500, stream.message());
    if (engine_.sidebars().size() >= kMaxSidebars) return refused(503, "too many sidebars");

    Sidebar& sidebar = add_sidebar(request.parent_gain_db);
    sidebar.control = request.handle;
    sidebar.call_id = request.call_id;
    sidebar.leg = std::move(*stream);
    engine_.add_member(leg_id(sidebar.number));
    engine_.move_member(leg_id(sidebar.number), sidebar.group);

    sip::ResponseOptions options;
    options.content_type = "application/sdp";
    options.body = sdp::write(negotiated->answer);
    std::string uri = "sip:conf=" + info_.number + ".sb" + std::to_string(sidebar.number) + "@" +
                      config.contact_host();
    if (request.tcp) uri += ";transport=tcp";
    options.contact = "<" + uri + ">;isfocus";
    options.headers.push_back({"Allow-Events", "conference"});
    sip.respond(request.handle, 200, options);
    log::info("sidebar_created")
        .field("call-id", request.call_id)
        .field("room", info_.number)
        .field("sidebar", sidebar.number)
        .field("parent_gain_db", sidebar.parent_gain_db ? std::to_string(*sidebar.parent_gain_db)
                                                        : std::string("off"))
        .field("leg", std::string(sdp::to_string(negotiated->direction)))
        .msg("by a controller");
    notify_roster();
}

std::optional<uint32_t> Room::create_sidebar_by_admin(std::optional<double> parent_gain_db) {
    if (members_.empty() || engine_.sidebars().size() >= kMaxSidebars) return std::nullopt;
    Sidebar& sidebar = add_sidebar(std::optional<std::optional<double>>(parent_gain_db));
    log::info("sidebar_created")
        .field("room", info_.number)
        .field("sidebar", sidebar.number)
        .field("parent_gain_db", parent_gain_db ? std::to_string(*parent_gain_db) : "off")
        .msg("by the admin API");
    notify_roster();
    return sidebar.number;
}

MoveOutcome Room::move(uint32_t member, uint32_t sidebar_number, std::string_view by) {
    if (find_number(member) == nullptr) return MoveOutcome::no_member;
    GroupId target = kMainGroup;
    if (sidebar_number != 0) {
        Sidebar* sidebar = find_sidebar(sidebar_number);
        if (sidebar == nullptr) return MoveOutcome::no_sidebar;
        target = sidebar->group;
        sidebar->had_members = true;
    }
    const GroupId from = engine_.group_of(member);
    if (from != target) {
        engine_.move_member(member, target);
        log::info("member_moved")
            .field("call-id", members_.at(member).call_id)
            .field("room", info_.number)
            .field("member", member)
            .field("sidebar", sidebar_number)
            .field("by", by)
            .msg(sidebar_number == 0 ? "back to the main room" : "into a sidebar");
        end_if_emptied(from);
    }
    notify_roster();
    return MoveOutcome::moved;
}

void Room::refer(ReferRequest request) {
    sip::Stack& sip = *services_.sip;
    const MoveOutcome outcome = move(request.member, request.sidebar, "refer");
    if (outcome != MoveOutcome::moved) {
        log::info("refer_failed")
            .field("call-id", request.call_id)
            .field("room", info_.number)
            .field("member", request.member)
            .field("sidebar", request.sidebar)
            .msg(outcome == MoveOutcome::no_member ? "no such member" : "no such sidebar");
        sip.notify_refer(request.handle, request.refer_event, "SIP/2.0 404 Not Found", true);
        return;
    }
    // The engine routes the member from the next mix on; the NOTIFY says so after it.
    routed_refers_.push_back({request.handle, std::move(request.refer_event)});
}

void Room::notify_routed_refers() {
    for (RoutedRefer& refer : routed_refers_) {
        services_.sip->notify_refer(refer.handle, std::move(refer.refer_event), "SIP/2.0 200 OK",
                                    true);
    }
    routed_refers_.clear();
}

bool Room::end_sidebar_by_admin(uint32_t number) {
    Sidebar* sidebar = find_sidebar(number);
    if (sidebar == nullptr) return false;
    end_sidebar(*sidebar, "admin", true);
    return true;
}

void Room::end_sidebar(Sidebar& sidebar, std::string_view reason, bool send_bye) {
    const uint32_t number = sidebar.number;
    const std::size_t members = engine_.members_of(sidebar.group).size() - (sidebar.leg ? 1 : 0);
    if (sidebar.leg) {
        sidebar.leg->close();
        engine_.remove_member(leg_id(number));
        encoders_.forget(personal_mix_key(leg_id(number)));
    }
    engine_.dissolve_sidebar(sidebar.group);  // its members return to the main room
    if (send_bye && sidebar.control != 0) services_.sip->bye(sidebar.control);
    log::info("sidebar_ended")
        .field("call-id", sidebar.call_id)
        .field("room", info_.number)
        .field("sidebar", number)
        .field("reason", reason)
        .field("returned", members)
        .msg("members back in the main room");
    sidebars_.erase(number);
    notify_roster();
}

void Room::end_all_sidebars(std::string_view reason) {
    while (!sidebars_.empty())
        end_sidebar(sidebars_.begin()->second, reason, true);
}

void Room::end_if_emptied(GroupId group) {
    if (group == kMainGroup) return;
    Sidebar* sidebar = sidebar_of_group(group);
    if (sidebar == nullptr || !sidebar->had_members) return;
    const std::size_t left = engine_.members_of(group).size() - (sidebar->leg ? 1 : 0);
    if (left == 0) end_sidebar(*sidebar, "last member left", true);
}

void Room::receive_legs(int64_t now_us) {
    for (auto& [number, sidebar] : sidebars_) {
        if (sidebar.leg && sidebar.leg->pull(now_us, frame_)) {
            engine_.put_input(leg_id(number), frame_);
        }
    }
}

void Room::send_legs(int64_t now_us) {
    for (auto& [number, sidebar] : sidebars_) {
        if (!sidebar.leg) continue;
        if (!sidebar.leg->sends_media()) {
            // An a=inactive controller leg: no frame to encode (an Opus encode per sidebar per
            // tick was measured at +15 % of the mixer's CPU), only its RTCP and clock go on.
            const uint32_t step = sidebar.leg->codec() == codec::Kind::opus ? 960 : 160;
            sidebar.leg->send({}, step, now_us);
            continue;
        }
        const ListenerOutput out = engine_.output(leg_id(number));
        const EncodedFrame encoded =
            encoders_.encode(out.share_key, sidebar.leg->codec(), out.pcm, tick_count_);
        sidebar.leg->send(encoded.payload, encoded.timestamp_step, now_us);
    }
}

}  // namespace sidebar::mixer
