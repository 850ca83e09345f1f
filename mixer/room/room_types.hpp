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

struct MemberInfo {
    uint32_t number = 0;
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
