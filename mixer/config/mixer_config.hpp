// sidebar-mixer's configuration: every key of the "mixer" JSON object, with the embedded
// defaults that let it run with no file at all (DESIGN.md section 6). Reading throws
// config::ConfigError naming the key at fault.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/directory/room_directory.hpp"
#include "common/sdp/offer_answer.hpp"

namespace sidebar::mixer {

struct SipSettings {
    std::string address = "127.0.0.1";
    uint16_t port = 5070;
    bool udp = true;
    bool tcp = true;
    // The host[:port] put in Contact and in member/sidebar URIs; defaults to address:port.
    std::string public_host;
    unsigned session_expires_s = 1800;
    unsigned min_se_s = 90;
};

struct RtpSettings {
    std::string address = "127.0.0.1";
    uint16_t port_min = 20000;
    uint16_t port_max = 29999;
    std::chrono::milliseconds inactivity_timeout{30000};  // no RTP for this long: BYE
    int jitter_min_ms = 20;
    int jitter_max_ms = 200;
    std::vector<codec::Kind> codecs{codec::Kind::opus, codec::Kind::g722, codec::Kind::pcmu,
                                    codec::Kind::pcma};
};

struct AdminSettings {
    std::string address = "127.0.0.1";
    uint16_t port = 8070;
    std::string token;  // empty: mutating admin requests are refused
};

struct MixingSettings {
    int media_threads = 0;  // 0 = one per core
    double gate_threshold_dbfs = -55.0;
    double default_parent_gain_db = -12.0;
    bool noise_suppression = false;
    bool agc = false;
    // The joiner hears "you are member N" and the room a chime. Off: joins are silent.
    bool announce_joins = true;
};

struct LimitSettings {
    int max_calls = 2000;  // beyond: 503 with Retry-After
    bool create_rooms_on_demand = false;
};

// Who may create sidebars, move members and open service channels (DESIGN.md 5.4 item 6): a
// request must come from one of these addresses AND carry a valid X-Sidebar-Auth signature made
// with `secret` (common/token/controller_auth.hpp).
struct ControllerSettings {
    std::vector<std::string> addresses{"127.0.0.1", "::1"};
    int signature_window_s = 60;  // accepted clock difference either way
};

// The in-conference menu (DESIGN.md 5.3): a member's menu key makes the mixer call the IVR.
struct MenuSettings {
    std::string ivr_uri = "sip:menu@127.0.0.1:5060";  // empty: the menu key does nothing
    int answer_timeout_ms = 5000;  // unanswered by then: the member hears the error tone
};

struct MixerConfig {
    SipSettings sip;
    RtpSettings rtp;
    AdminSettings admin;
    MixingSettings mixing;
    LimitSettings limits;
    ControllerSettings controllers;
    MenuSettings menu;
    std::string secret = "development-secret-change-me";  // join tokens and controller signatures
                                                          // (shared with the IVR)
    std::string directory_path = ":memory:";
    std::vector<directory::Room> rooms;  // seeded into the directory at start-up
    std::string prompt_dir;              // admin's recorded prompts, searched first; may be empty
    std::string language = "en";
    std::string recording_dir = "recordings";
    std::string log_level = "info";
    char menu_key = '*';
    // From the command line (--console ROOM [--console-device NAME]), not the file: the sound
    // device joins this room as a member.
    std::string console_room;
    std::string console_device;

    // The demo rooms of DESIGN.md 6: 1000 without a PIN, 2000 with PIN 1234.
    static std::vector<directory::Room> demo_rooms();
    // host:port for URIs we hand out.
    std::string contact_host() const;
};

// Reads `json` (the whole file: {"mixer": {...}}). Missing keys take the defaults above; the
// demo rooms are used when the file names no rooms.
MixerConfig read_mixer_config(const nlohmann::json& json);

// The configuration with no file at all.
MixerConfig default_mixer_config();

}  // namespace sidebar::mixer
