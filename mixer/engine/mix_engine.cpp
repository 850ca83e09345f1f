// MixEngine's control side: members, sidebars, channels, gains and the per-tick inputs. These run
// between ticks (when signalling or a packet asks) and may allocate; the tick is in
// mix_engine_tick.cpp.
#include "mixer/engine/mix_engine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sidebar::mixer {

namespace {

mix::Gain attenuation(double db) {
    return std::min(mix::dbfs_to_gain(db), mix::kUnityGain);
}

mix::Gain parent_gain(std::optional<double> db) {
    return db ? attenuation(*db) : mix::kSilentGain;
}

void check_config(const EngineConfig& c) {
    if (std::isnan(c.gate_threshold_dbfs) || c.gate_threshold_dbfs > 0.0)
        throw std::invalid_argument("gate_threshold_dbfs must be a level <= 0 dBFS");
    if (c.gate_hangover_ticks < 0 || c.gate_hangover_ticks > 3000)
        throw std::invalid_argument("gate_hangover_ticks must be 0..3000");
    if (std::isnan(c.duck_db) || c.duck_db > 0.0)
        throw std::invalid_argument("duck_db must be <= 0 dB");
    if (c.default_parent_gain_db &&
        (std::isnan(*c.default_parent_gain_db) || *c.default_parent_gain_db > 0.0))
        throw std::invalid_argument("default_parent_gain_db must be <= 0 dB or off");
}

}  // namespace

MixEngine::MixEngine(EngineConfig config)
    : config_((check_config(config), config)),
      gate_(config.gate_threshold_dbfs, config.gate_hangover_ticks, kFrame),
      duck_gain_(attenuation(config.duck_db)),
      default_parent_gain_(parent_gain(config.default_parent_gain_db)),
      main_(std::make_unique<detail::Group>()) {
    main_->id = kMainGroup;
}

MixEngine::~MixEngine() = default;

detail::Member* MixEngine::find_member(MemberId id) const {
    const auto it = members_.find(id);
    return it == members_.end() ? nullptr : it->second.get();
}

detail::Group* MixEngine::find_group(GroupId id) const {
    if (id == kMainGroup) return main_.get();
    const auto it = sidebars_.find(id);
    return it == sidebars_.end() ? nullptr : it->second.get();
}

void MixEngine::attach(detail::Member& m, detail::Group& g) {
    m.group = &g;
    m.slot_in_group = g.members.size();
    g.members.push_back(&m);
    acquire_shared(m);
}

void MixEngine::detach(detail::Member& m) {
    release_shared(m);
    auto& list = m.group->members;
    list[m.slot_in_group] = list.back();
    list[m.slot_in_group]->slot_in_group = m.slot_in_group;
    list.pop_back();
    m.group = nullptr;
}

void MixEngine::acquire_shared(detail::Member& m) {
    auto& shared = m.group->shared;
    detail::SharedMix* free_one = nullptr;
    for (auto& s : shared) {
        if (s->users > 0 && s->gain == m.output_gain) {
            m.shared = s.get();
            ++s->users;
            return;
        }
        if (s->users == 0 && free_one == nullptr) free_one = s.get();
    }
    if (free_one == nullptr) {
        shared.push_back(std::make_unique<detail::SharedMix>());
        free_one = shared.back().get();
    }
    free_one->gain = m.output_gain;
    free_one->users = 1;
    free_one->computed = 0;  // whatever it held was another gain's mix
    m.shared = free_one;
}

void MixEngine::release_shared(detail::Member& m) {
    if (m.shared != nullptr) --m.shared->users;
    m.shared = nullptr;
}

bool MixEngine::withheld(const detail::Member& m) const {
    return config_.withhold_voice_on_channel && !m.channels.empty();
}

bool MixEngine::add_member(MemberId id) {
    if (members_.size() >= kMaxMembers || members_.count(id) != 0) return false;
    auto m = std::make_unique<detail::Member>();
    m->id = id;
    m->channels.reserve(kMaxChannelsPerMember);
    attach(*m, *main_);
    members_.emplace(id, std::move(m));
    return true;
}

void MixEngine::remove_member(MemberId id) {
    const auto it = members_.find(id);
    if (it == members_.end()) return;
    detail::Member& m = *it->second;
    while (!m.channels.empty())
        close_channel(m.channels.back()->id);
    detach(m);
    retired_members_.push_back(std::move(it->second));
    members_.erase(it);
}

bool MixEngine::has_member(MemberId id) const {
    return members_.count(id) != 0;
}

std::size_t MixEngine::member_count() const {
    return members_.size();
}

GroupId MixEngine::create_sidebar() {
    return create_sidebar(config_.default_parent_gain_db);
}

GroupId MixEngine::create_sidebar(std::optional<double> parent_gain_db) {
    if (sidebars_.size() >= kMaxSidebars) return kMainGroup;
    // Ids are not reused while the engine lives (a late REFER must not land in a new sidebar);
    // after 2^32 sidebars the counter skips the ids still in use.
    while (next_sidebar_ == kMainGroup || sidebars_.count(next_sidebar_) != 0)
        ++next_sidebar_;
    auto g = std::make_unique<detail::Group>();
    g->id = next_sidebar_++;
    g->parent_gain = parent_gain(parent_gain_db);
    const GroupId id = g->id;
    sidebars_.emplace(id, std::move(g));
    return id;
}

bool MixEngine::set_parent_gain(GroupId sidebar, std::optional<double> parent_gain_db) {
    if (sidebar == kMainGroup) return false;
    detail::Group* g = find_group(sidebar);
    if (g == nullptr) return false;
    g->parent_gain = parent_gain(parent_gain_db);
    return true;
}

void MixEngine::dissolve_sidebar(GroupId sidebar) {
    if (sidebar == kMainGroup) return;
    const auto it = sidebars_.find(sidebar);
    if (it == sidebars_.end()) return;
    detail::Group& g = *it->second;
    while (!g.members.empty()) {
        detail::Member& m = *g.members.back();
        detach(m);
        attach(m, *main_);
    }
    retired_groups_.push_back(std::move(it->second));
    sidebars_.erase(it);
}

bool MixEngine::has_group(GroupId group) const {
    return find_group(group) != nullptr;
}

std::vector<GroupId> MixEngine::sidebars() const {
    std::vector<GroupId> ids;
    ids.reserve(sidebars_.size());
    for (const auto& [id, g] : sidebars_)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

bool MixEngine::move_member(MemberId id, GroupId group) {
    detail::Member* m = find_member(id);
    detail::Group* g = find_group(group);
    if (m == nullptr || g == nullptr) return false;
    if (m->group == g) return true;
    detach(*m);
    attach(*m, *g);
    return true;
}

GroupId MixEngine::group_of(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m == nullptr ? kMainGroup : m->group->id;
}

std::vector<MemberId> MixEngine::members_of(GroupId group) const {
    std::vector<MemberId> ids;
    if (const detail::Group* g = find_group(group)) {
        ids.reserve(g->members.size());
        for (const detail::Member* m : g->members)
            ids.push_back(m->id);
    }
    return ids;
}

void MixEngine::set_muted(MemberId id, bool muted) {
    if (detail::Member* m = find_member(id)) m->muted = muted;
}

void MixEngine::set_deaf(MemberId id, bool deaf) {
    if (detail::Member* m = find_member(id)) m->deaf = deaf;
}

bool MixEngine::is_muted(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m != nullptr && m->muted;
}

bool MixEngine::is_deaf(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m != nullptr && m->deaf;
}

void MixEngine::set_input_gain(MemberId id, double db) {
    if (detail::Member* m = find_member(id)) m->input_gain = mix::dbfs_to_gain(db);
}

void MixEngine::set_output_gain(MemberId id, double db) {
    detail::Member* m = find_member(id);
    if (m == nullptr) return;
    const mix::Gain gain = attenuation(db);
    if (gain == m->output_gain) return;
    release_shared(*m);
    m->output_gain = gain;
    acquire_shared(*m);
}

ChannelId MixEngine::open_channel(MemberId member) {
    detail::Member* m = find_member(member);
    if (m == nullptr || m->channels.size() >= kMaxChannelsPerMember) return 0;
    while (next_channel_ == 0 || channels_.count(next_channel_) != 0)
        ++next_channel_;
    auto c = std::make_unique<detail::Channel>();
    c->id = next_channel_++;
    c->member = m;
    m->channels.push_back(c.get());
    const ChannelId id = c->id;
    channels_.emplace(id, std::move(c));
    return id;
}

void MixEngine::close_channel(ChannelId channel) {
    const auto it = channels_.find(channel);
    if (it == channels_.end()) return;
    auto& list = it->second->member->channels;
    list.erase(std::remove(list.begin(), list.end(), it->second.get()), list.end());
    retired_channels_.push_back(std::move(it->second));
    channels_.erase(it);
}

bool MixEngine::has_channel(ChannelId channel) const {
    return channels_.count(channel) != 0;
}

void MixEngine::put_input(MemberId id, ConstFrame pcm) {
    detail::Member* m = find_member(id);
    if (m == nullptr) return;
    std::copy(pcm.begin(), pcm.end(), m->input.begin());
    m->has_input = true;
}

void MixEngine::put_channel_input(ChannelId channel, ConstFrame pcm) {
    const auto it = channels_.find(channel);
    if (it == channels_.end()) return;
    std::copy(pcm.begin(), pcm.end(), it->second->input.begin());
    it->second->has_input = true;
}

namespace {

// Sums announcements into `acc` without clearing it every tick: the first of a tick overwrites.
void add_announcement(mix::Accumulator& acc, int& count, ConstFrame pcm) {
    if (count >= kMaxAnnouncementsPerTick) return;
    if (count == 0) {
        std::copy(pcm.begin(), pcm.end(), acc.begin());
    } else {
        mix::accumulate(acc, pcm);
    }
    ++count;
}

}  // namespace

void MixEngine::add_group_announcement(GroupId group, ConstFrame pcm) {
    if (detail::Group* g = find_group(group))
        add_announcement(g->announcement, g->announcements, pcm);
}

void MixEngine::add_member_announcement(MemberId id, ConstFrame pcm) {
    if (detail::Member* m = find_member(id))
        add_announcement(m->announcement, m->announcements, pcm);
}

ListenerOutput MixEngine::output(MemberId id) const {
    const detail::Member* m = find_member(id);
    if (m == nullptr) return ListenerOutput{ConstFrame(detail::kSilentFrame), 0};
    return m->result;
}

ConstFrame MixEngine::channel_output(ChannelId channel) const {
    const auto it = channels_.find(channel);
    if (it == channels_.end()) return ConstFrame(detail::kSilentFrame);
    return ConstFrame(it->second->out);
}

ConstFrame MixEngine::group_mix(GroupId group) const {
    const detail::Group* g = find_group(group);
    if (g == nullptr) return ConstFrame(detail::kSilentFrame);
    return ConstFrame(g->full);
}

bool MixEngine::is_talking(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m != nullptr && m->talking;
}

bool MixEngine::is_contributing(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m != nullptr && m->contributes;
}

double MixEngine::input_level_dbfs(MemberId id) const {
    const detail::Member* m = find_member(id);
    return m == nullptr ? kSilentLevelDbfs : energy_to_dbfs(m->energy, kFrame);
}

}  // namespace sidebar::mixer
