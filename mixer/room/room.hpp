// One conference room on its media thread: members (their streams and numbers), the mixing
// engine, the 20 ms clock, entry prompts. Every public method must run on the room's
// io_context (callers post to io()). Ownership: rooms are shared_ptr held by the room
// registry; timers and streams hold the room alive only while work is pending.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/directory/room_directory.hpp"
#include "common/prompt/prompt_player.hpp"
#include "common/prompt/prompt_set.hpp"
#include "common/sip/sip_stack.hpp"
#include "mixer/config/mixer_config.hpp"
#include "mixer/console/console_device.hpp"
#include "mixer/engine/mix_engine.hpp"
#include "mixer/media/member_stream.hpp"
#include "mixer/media/port_allocator.hpp"
#include "mixer/media/voice_processor.hpp"
#include "mixer/recording/recording_writer.hpp"
#include "mixer/room/encoder_cache.hpp"
#include "mixer/room/room_types.hpp"
#include "mixer/roster/roster_types.hpp"

namespace sidebar::mixer {

class Room;

// Services every room uses; they outlive the rooms.
struct RoomServices {
    sip::Stack* sip = nullptr;
    PortAllocator* ports = nullptr;
    const MixerConfig* config = nullptr;
    const prompt::PromptSet* prompts = nullptr;  // null: no prompts (logged at start-up)
    MixerCounters* counters = nullptr;
    RecordingWriter* recordings = nullptr;  // rooms with `record` write their main mix here
    // Called (on the media thread) when a member's call ended for a reason of the room's own
    // (RTP timeout, kick), so the signalling side can forget the handle.
    std::function<void(sip::HandleId)> on_member_gone;
    // Called (on the media thread) before a room starts a call of its own (the menu INVITE),
    // so that the signalling side routes that dialog's events to the room.
    std::function<void(sip::HandleId, std::shared_ptr<Room>)> on_call_placed;
};

class Room : public std::enable_shared_from_this<Room> {
  public:
    Room(boost::asio::io_context& io, directory::Room info, RoomServices services);

    boost::asio::io_context& io() { return io_; }
    const directory::Room& info() const { return info_; }

    // An INVITE to the room: answers it (200 with SDP, 486 full, 488, 500) through SIP.
    void admit(JoinRequest request);
    // A re-INVITE in a member's dialog: answers it.
    void reinvite(sip::HandleId handle, const sdp::SessionDescription& offer);
    // The member's dialog ended (BYE, CANCEL, session timer, error).
    void leave(sip::HandleId handle, std::string_view reason);
    // A digit that came by SIP INFO.
    void digit(sip::HandleId handle, char digit, std::string_view via);

    // Admin operations; false when there is no such member.
    bool set_muted(uint32_t number, bool muted);
    bool set_deaf(uint32_t number, bool deaf);
    bool set_gain(uint32_t number, double db);
    bool kick(uint32_t number);

    RoomInfo snapshot() const;

    // Sidebars (room_sidebars.cpp). An INVITE to sidebar=<room>: answers it (200 with the
    // sidebar's Contact, 404 when the room has nobody in it, 488, 503).
    void create_sidebar(SidebarRequest request);
    // A REFER moving a member: NOTIFY 200 once the member's audio is routed, 404 otherwise.
    void refer(ReferRequest request);
    // Service channels (room_channels.cpp). An INVITE to member=<room>.<n>: answers it.
    void open_channel(ChannelRequest request);
    // The IVR's answer to the INVITE the room sent when a member pressed the menu key.
    void channel_answered(sip::HandleId handle, int status, std::string content_type,
                          std::string body);
    // Admin operations, with the same rules and logs as the SIP ones.
    std::optional<uint32_t> create_sidebar_by_admin(std::optional<double> parent_gain_db);
    MoveOutcome move(uint32_t member, uint32_t sidebar, std::string_view by);
    bool end_sidebar_by_admin(uint32_t sidebar);
    // The sidebar a member is in; 0 = the main room (or no such member).
    uint32_t sidebar_of_member(uint32_t member) const;

    // Conference event package (RFC 4575): a subscription accepted by the SIP thread gets the
    // full roster now and partial updates on every change; `refresh` resends the full state.
    void subscribe(sip::HandleId handle, std::string call_id, bool refresh);
    // Expires: 0, or the subscriber went away (a NOTIFY failed).
    void unsubscribe(sip::HandleId handle, bool send_final);
    std::size_t member_count() const { return members_.size(); }
    // The machine's sound device as a member (sidebar-mixer --console): its microphone is a
    // source, its speaker a listener. Owned by the room from now on.
    void attach_console(std::unique_ptr<ConsoleDevice> device);

    // BYE to every member and stop the clock (shutdown).
    void close(std::string_view reason);

  private:
    struct Member {
        uint32_t number = 0;
        sip::HandleId handle = 0;
        std::string call_id;
        std::string display_name;
        std::string uri;
        std::shared_ptr<MemberStream> stream;
        std::string session_id;
        uint64_t sdp_version = 1;
        std::unique_ptr<prompt::PromptPlayer> player;
        std::unique_ptr<VoiceProcessor> voice;  // noise suppression / AGC when configured
        double input_gain_db = 0.0;
        int64_t joined_unix = 0;
        bool speaking = false;
        uint64_t reported_in = 0;  // counters already added to the process totals
        uint64_t reported_dropped = 0;
    };

    // A sidebar: an engine group, the controlling dialog that made it (0 when the admin API
    // did), and the controller's own leg when its SDP was live (an engine member of the group
    // that is not a room member: no number, not in the roster).
    struct Sidebar {
        uint32_t number = 0;
        GroupId group = kMainGroup;
        sip::HandleId control = 0;
        std::string call_id;
        std::optional<double> parent_gain_db;
        std::shared_ptr<MemberStream> leg;
        bool had_members = false;
    };
    // A service channel: the IVR's leg attached to one member. Outbound ones (the menu key)
    // hold their ports and offer until the IVR answers, and join the engine only then.
    struct Channel {
        ChannelId id = 0;  // the engine's; 0 until it is open
        uint32_t member = 0;
        sip::HandleId handle = 0;
        std::string call_id;
        bool outbound = false;
        std::shared_ptr<MemberStream> stream;
        std::optional<BoundPorts> ports;
        sdp::SessionDescription offer;
        std::string session_id;
        int64_t started_us = 0;
    };
    struct RoutedRefer {
        sip::HandleId handle = 0;
        std::string refer_event;
    };

    uint32_t free_number() const;
    uint32_t free_sidebar_number() const;
    Sidebar* find_sidebar(uint32_t number);
    Sidebar* sidebar_of_group(GroupId group);
    const Sidebar* sidebar_of_group(GroupId group) const;
    Sidebar* sidebar_of_handle(sip::HandleId handle);
    Sidebar& add_sidebar(std::optional<std::optional<double>> parent_gain_db);
    void end_sidebar(Sidebar& sidebar, std::string_view reason, bool send_bye);
    void end_all_sidebars(std::string_view reason);
    // After a member left `group` (hung up or moved): an emptied sidebar ends.
    void end_if_emptied(GroupId group);
    void receive_legs(int64_t now_us);
    void send_legs(int64_t now_us);
    void notify_routed_refers();
    Result<std::shared_ptr<MemberStream>> make_stream(BoundPorts ports,
                                                      const sdp::Negotiated& negotiated,
                                                      const std::string& source_address);
    void call_menu(Member& member, int64_t now_us);
    void close_channel(sip::HandleId handle, std::string_view reason, bool send_bye);
    void close_channels_of(uint32_t member, std::string_view reason);
    bool has_channel(uint32_t member) const;
    void play_error_tone(uint32_t member);
    void relay_digit(uint32_t member, char digit);
    void receive_channels(int64_t now_us);
    void send_channels(int64_t now_us);
    void expire_channels(int64_t now_us);
    Member* find(sip::HandleId handle);
    Member* find_number(uint32_t number);
    void remove(Member& member, std::string_view reason, bool send_bye);
    void greet(Member& member);
    sdp::Capabilities capabilities(uint16_t rtp_port, const std::string& session_id) const;

    RosterSnapshot roster() const;
    void notify_roster();  // partial updates to every subscriber, when anything changed

    void start_recording();
    void stop_recording();
    void start_clock();
    void schedule_tick();
    void tick();
    void receive_inputs(int64_t now_us);
    void send_outputs(int64_t now_us);
    void housekeeping(int64_t now_us);
    void report_counters(Member& member);

    boost::asio::io_context& io_;
    directory::Room info_;
    RoomServices services_;
    MixEngine engine_;
    EncoderCache encoders_;
    std::map<uint32_t, Member> members_;    // by member number
    std::map<uint32_t, Sidebar> sidebars_;  // by sidebar number
    std::vector<RoutedRefer> routed_refers_;
    std::map<sip::HandleId, Channel>
        channels_;  // by the channel's dialog  // NOTIFY 200 after the next tick routes them
    struct Subscriber {
        sip::HandleId handle = 0;
        std::string call_id;
        uint32_t version = 0;
    };
    std::vector<Subscriber> subscribers_;
    RosterSnapshot last_roster_;  // what every subscriber has been told
    RecordingId recording_;
    std::unique_ptr<ConsoleDevice> console_;
    uint32_t console_number_ = 0;
    std::unique_ptr<prompt::PromptPlayer> room_player_;  // entry chime, heard by the room
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point deadline_;
    bool clock_running_ = false;
    uint64_t tick_count_ = 0;
    std::array<int16_t, codec::kFrameSamples> frame_{};
};

}  // namespace sidebar::mixer
