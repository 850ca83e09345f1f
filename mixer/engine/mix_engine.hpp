// MixEngine: one room's gain matrix (DESIGN.md section 4): the main room, its sidebars (which hear
// the main room at their parent gain, and are heard by nobody outside), service channels (the
// member hears the IVR over a ducked room, the IVR hears only the member), mute, deaf and gains.
// Pure and single-threaded: it lives on the room's media thread and mix() runs once per 20 ms.
// Each group is summed once in 32 bits and every listener gets the sum minus its own voice; idle
// listeners of a group at the same output gain all read one shared frame. mix() allocates nothing.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "mixer/engine/engine_state.hpp"
#include "mixer/engine/engine_types.hpp"
#include "mixer/engine/voice_gate.hpp"

namespace sidebar::mixer {

class MixEngine {
  public:
    // Throws std::invalid_argument for a config that makes no sense (start-up only).
    explicit MixEngine(EngineConfig config = {});
    ~MixEngine();
    MixEngine(const MixEngine&) = delete;
    MixEngine& operator=(const MixEngine&) = delete;

    // Joins the main room as source and listener; false if it exists or the room is full.
    bool add_member(MemberId id);
    // Also closes its channels; empty sidebars stay until dissolved.
    void remove_member(MemberId id);
    bool has_member(MemberId id) const;
    std::size_t member_count() const;

    // A new sidebar (std::nullopt = hears nothing of main); kMainGroup when kMaxSidebars exist.
    GroupId create_sidebar(std::optional<double> parent_gain_db);
    // The default of EngineConfig::default_parent_gain_db.
    GroupId create_sidebar();
    bool set_parent_gain(GroupId sidebar, std::optional<double> parent_gain_db);
    // Its members return to the main room.
    void dissolve_sidebar(GroupId sidebar);
    bool has_group(GroupId group) const;
    std::vector<GroupId> sidebars() const;
    // To kMainGroup or an existing sidebar; false otherwise.
    bool move_member(MemberId id, GroupId group);
    // kMainGroup for an unknown member.
    GroupId group_of(MemberId id) const;
    // In no particular order.
    std::vector<MemberId> members_of(GroupId group) const;

    void set_muted(MemberId id, bool muted);
    void set_deaf(MemberId id, bool deaf);
    bool is_muted(MemberId id) const;
    bool is_deaf(MemberId id) const;
    // How loud others hear it (-inf..+6 dB; above is clamped).
    void set_input_gain(MemberId id, double db);
    // How loud it hears the room (-inf..0 dB; above is clamped). Private audio (announcements to
    // it, service channels) is not scaled.
    void set_output_gain(MemberId id, double db);

    // A service channel attached to `member`; 0 if there is no such member or it has
    // kMaxChannelsPerMember open.
    ChannelId open_channel(MemberId member);
    void close_channel(ChannelId channel);
    bool has_channel(ChannelId channel) const;

    // Per tick inputs (copied in). A member with no put_input this tick is silent this tick; a
    // second put in one tick replaces the first. Unknown ids are ignored.
    void put_input(MemberId id, ConstFrame pcm);
    // What the IVR says to the member.
    void put_channel_input(ChannelId channel, ConstFrame pcm);
    // Heard by every member of that group (and by sidebars through parent gain if it is main).
    void add_group_announcement(GroupId group, ConstFrame pcm);
    // Heard by that member only.
    void add_member_announcement(MemberId id, ConstFrame pcm);

    // Computes every output from this tick's inputs, then forgets the inputs.
    void mix();

    // What member `id` hears (silence with key 0 for an unknown or deaf member).
    ListenerOutput output(MemberId id) const;
    // What the IVR hears on the channel: the member's voice only (as it came in: mute and input
    // gain are about the room, and the member is talking to the menu).
    ConstFrame channel_output(ChannelId channel) const;
    // Full mix of a group, for recorders (main: all main sources and announcements; sidebar: its
    // sources and announcements + parent gain x main).
    ConstFrame group_mix(GroupId group) const;
    // Gate state after the last mix(): the voice was above the threshold, or within its hangover.
    bool is_talking(MemberId id) const;
    // Whether the member's voice was in the room's mix in the last mix() (talking, not muted, not
    // withheld by a service channel).
    bool is_contributing(MemberId id) const;
    // RMS of the last input frame (kSilentLevelDbfs for none).
    double input_level_dbfs(MemberId id) const;

  private:
    detail::Member* find_member(MemberId id) const;
    detail::Group* find_group(GroupId id) const;
    void attach(detail::Member& m, detail::Group& g);
    void detach(detail::Member& m);
    void acquire_shared(detail::Member& m);
    void release_shared(detail::Member& m);
    bool withheld(const detail::Member& m) const;

    // The tick, in mix_engine_tick.cpp.
    void update_sources();
    void sum_group(detail::Group& g, const detail::Group* parent);
    void mix_listener(detail::Member& m, const detail::Group& g);
    void shared_output(detail::Member& m, const detail::Group& g, bool audible);
    void personal_output(detail::Member& m, const detail::Group& g, mix::Gain room_gain,
                         bool room_audible);
    void update_channels();
    void forget_inputs();

    EngineConfig config_;
    VoiceGate gate_;
    mix::Gain duck_gain_;
    mix::Gain default_parent_gain_;
    uint64_t tick_ = 0;
    GroupId next_sidebar_ = 1;
    ChannelId next_channel_ = 1;

    std::unordered_map<MemberId, std::unique_ptr<detail::Member>> members_;
    std::unique_ptr<detail::Group> main_;
    std::unordered_map<GroupId, std::unique_ptr<detail::Group>> sidebars_;
    std::unordered_map<ChannelId, std::unique_ptr<detail::Channel>> channels_;
    // Dissolved sidebars and removed members live until the next mix(), so that the spans of the
    // last tick's outputs stay valid as promised.
    std::vector<std::unique_ptr<detail::Group>> retired_groups_;
    std::vector<std::unique_ptr<detail::Member>> retired_members_;
    std::vector<std::unique_ptr<detail::Channel>> retired_channels_;
    mix::Accumulator scratch_{};
};

}  // namespace sidebar::mixer
