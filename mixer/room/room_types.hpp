// What the signalling side hands a room (a join, a re-INVITE) and what a room reports back (its
// roster), as plain values that cross threads by copy.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/metrics/registry.hpp"
#include "common/sdp/session_description.hpp"
#include "common/sip/sip_event.hpp"

namespace sidebar::mixer {

struct JoinRequest {
    sip::HandleId handle = 0;
    std::string call_id;
    sip::NameAddr from;
    std::string user_agent;
    std::string source_address;  // where the INVITE came from
    sdp::SessionDescription offer;
    std::string contact;  // our Contact for the 200 OK
};

// An INVITE to sidebar=<room> from a trusted controller (DESIGN.md 5.4).
struct SidebarRequest {
    sip::HandleId handle = 0;
    std::string call_id;
    std::string source_address;
    sdp::SessionDescription offer;  // a=inactive, or a live leg into the sidebar
    // From X-Parent-Gain: unset = the room's default; set to nullopt = "off".
    std::optional<std::optional<double>> parent_gain_db;
    bool tcp = false;  // the Contact gets ;transport=tcp
};

// A REFER naming a member (Refer-To: member=<room>.<k>) sent to a sidebar or the main room.
struct ReferRequest {
    sip::HandleId handle = 0;  // the REFER's implicit subscription lives on it
    std::string call_id;
    std::string refer_event;  // Event of the NOTIFYs
    uint32_t sidebar = 0;     // where to: 0 = the main room
    uint32_t member = 0;
};

// An INVITE to member=<room>.<n> from a trusted controller: a service channel to that member
// (DESIGN.md 5.3, item 4).
struct ChannelRequest {
    sip::HandleId handle = 0;
    std::string call_id;
    std::string source_address;
    sdp::SessionDescription offer;
    uint32_t member = 0;
    bool tcp = false;
};

enum class MoveOutcome { moved, no_member, no_sidebar };

struct SidebarInfo {
    uint32_t number = 0;
    std::optional<double> parent_gain_db;  // nullopt: off
    std::vector<uint32_t> members;
    std::string controller;  // "sip" (a controlling dialog) or "admin"
    std::string call_id;     // of the controlling dialog
};

struct MemberInfo {
    uint32_t number = 0;
    uint32_t sidebar = 0;  // 0 = the main room
    std::string display_name;
    std::string uri;
    std::string call_id;
    std::string codec;
    bool muted = false;
    bool deaf = false;
    bool speaking = false;
    double input_gain_db = 0.0;
    double level_dbfs = -200.0;
    int64_t joined_unix = 0;
    uint64_t packets_in = 0;
    uint64_t packets_out = 0;
    uint64_t dropped_foreign = 0;
    uint64_t dropped_malformed = 0;
    uint64_t jitter_lost = 0;
    int jitter_delay_ms = 0;
    std::string remote_media;  // ip:port we send to
};

struct RoomInfo {
    std::string number;
    std::string name;
    int max_members = 0;
    bool recording = false;
    std::vector<MemberInfo> members;
    std::vector<SidebarInfo> sidebars;
};

// Process-wide metrics the rooms update (read by /metrics). The metrics are relaxed atomics:
// rooms on different media threads update them without locks.
struct MixerCounters {
    MixerCounters();

    metrics::Registry registry;
    std::shared_ptr<metrics::Counter> calls_total;
    std::shared_ptr<metrics::IntGauge> calls_active;
    std::shared_ptr<metrics::IntGauge> members;
    std::shared_ptr<metrics::Counter> packets_in;
    std::shared_ptr<metrics::Counter> packets_out;
    std::shared_ptr<metrics::Counter> packets_dropped;
    std::shared_ptr<metrics::Counter> ticks;
    std::shared_ptr<metrics::Counter> late_ticks;
    std::shared_ptr<metrics::Counter> digits;
    std::shared_ptr<metrics::Counter> invites_refused;
    std::shared_ptr<metrics::Histogram> tick_seconds;  // time to mix one tick of one room
};

}  // namespace sidebar::mixer
