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

    uint32_t free_number() const;
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
    std::map<uint32_t, Member> members_;  // by member number
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
