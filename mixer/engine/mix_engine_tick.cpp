// MixEngine::mix(): one 20 ms tick of the gain matrix, O(members) and allocation-free.
//   1. every member's gate, and whether it contributes (talking, had input, not muted, not
//      withheld by a service channel, input gain above zero);
//   2. each group summed once in 32 bits: main first, then each sidebar adds main x parent gain;
//   3. each listener: silence, the group's full mix shared with every idle listener at the same
//      output gain, or a personal mix (sum minus own voice, plus private audio);
//   4. channel outputs (the member's own voice), then the inputs are forgotten.
#include <algorithm>

#include "mixer/engine/mix_engine.hpp"

namespace sidebar::mixer {

namespace {

mix::Gain multiply(mix::Gain a, mix::Gain b) {
    return (a * b + (1 << (mix::kGainShift - 1))) >> mix::kGainShift;
}

void add_wide(mix::Accumulator& acc, const mix::Accumulator& other) {
    for (std::size_t i = 0; i < kFrame; ++i)
        acc[i] += other[i];
}

ListenerOutput silence() {
    return ListenerOutput{ConstFrame(detail::kSilentFrame), 0};
}

}  // namespace

void MixEngine::mix() {
    ++tick_;
    // Last tick's outputs may point into these; from now on they are stale anyway.
    retired_groups_.clear();
    retired_members_.clear();
    retired_channels_.clear();

    update_sources();
    sum_group(*main_, nullptr);
    for (auto& [id, g] : sidebars_)
        sum_group(*g, main_.get());

    for (detail::Member* m : main_->members)
        mix_listener(*m, *main_);
    for (auto& [id, g] : sidebars_)
        for (detail::Member* m : g->members)
            mix_listener(*m, *g);

    update_channels();
    forget_inputs();
}

void MixEngine::update_sources() {
    for (auto& [id, mp] : members_) {
        detail::Member& m = *mp;
        m.energy = m.has_input ? frame_energy(m.input) : 0;
        m.talking = gate_.update(m.energy, m.hangover_left);
        m.contributes =
            m.talking && m.has_input && !m.muted && m.input_gain > mix::kSilentGain && !withheld(m);
    }
}

void MixEngine::sum_group(detail::Group& g, const detail::Group* parent) {
    int heard = 0;
    if (g.announcements > 0) {
        g.sum = g.announcement;
        ++heard;
    } else {
        mix::clear(g.sum);
    }
    for (const detail::Member* m : g.members) {
        if (!m->contributes) continue;
        mix::accumulate(g.sum, m->input, m->input_gain);
        ++heard;
    }
    // The parent's sum holds only the main room's own sources and announcements (it is summed
    // before any sidebar), so no sidebar member can reach another group through it.
    if (parent != nullptr && g.parent_gain > mix::kSilentGain && parent->heard_parts > 0) {
        mix::add_scaled(g.sum, parent->sum, g.parent_gain);
        ++heard;
    }
    g.heard_parts = heard;
    mix::saturate(g.sum, g.full);
}

void MixEngine::mix_listener(detail::Member& m, const detail::Group& g) {
    if (m.deaf) {
        m.result = silence();
        return;
    }
    const bool on_channel = !m.channels.empty();
    const mix::Gain room_gain = on_channel ? multiply(m.output_gain, duck_gain_) : m.output_gain;
    // Whether anything but the listener itself is in the group's sum: if not, sum minus own
    // voice is exactly zero.
    const bool room_audible =
        room_gain > mix::kSilentGain && g.heard_parts - (m.contributes ? 1 : 0) > 0;
    if (!m.contributes && !on_channel && m.announcements == 0) {
        shared_output(m, g, room_audible);
    } else {
        personal_output(m, g, room_gain, room_audible);
    }
}

void MixEngine::shared_output(detail::Member& m, const detail::Group& g, bool audible) {
    if (!audible) {
        m.result = silence();
        return;
    }
    detail::SharedMix& s = *m.shared;
    if (s.computed != tick_) {
        mix::saturate(g.sum, s.gain, s.pcm);
        s.computed = tick_;
    }
    m.result = ListenerOutput{ConstFrame(s.pcm), shared_mix_key(g.id, s.gain)};
}

void MixEngine::personal_output(detail::Member& m, const detail::Group& g, mix::Gain room_gain,
                                bool room_audible) {
    const bool on_channel = !m.channels.empty();
    if (!on_channel && m.announcements == 0) {
        // Only the own voice to take out: the common case of a talker.
        if (!room_audible) {
            m.result = silence();
            return;
        }
        mix::mix_minus(g.sum, m.input, m.input_gain, m.output_gain, m.out);
        m.result = ListenerOutput{ConstFrame(m.out), personal_mix_key(m.id)};
        return;
    }
    bool audible = room_audible;
    if (room_audible) {
        const mix::Gain own_gain = m.contributes ? m.input_gain : mix::kSilentGain;
        mix::mix_minus_scaled(g.sum, m.input, own_gain, room_gain, scratch_);
    } else {
        mix::clear(scratch_);
    }
    if (m.announcements > 0) {
        add_wide(scratch_, m.announcement);
        audible = true;
    }
    for (const detail::Channel* c : m.channels) {
        if (!c->has_input) continue;
        mix::accumulate(scratch_, c->input);
        audible = true;
    }
    if (!audible) {
        m.result = silence();
        return;
    }
    mix::saturate(scratch_, m.out);
    m.result = ListenerOutput{ConstFrame(m.out), personal_mix_key(m.id)};
}

void MixEngine::update_channels() {
    for (auto& [id, c] : channels_) {
        const detail::Member& m = *c->member;
        if (m.has_input) {
            c->out = m.input;
        } else {
            c->out.fill(0);
        }
    }
}

void MixEngine::forget_inputs() {
    for (auto& [id, m] : members_) {
        m->has_input = false;
        m->announcements = 0;
    }
    main_->announcements = 0;
    for (auto& [id, g] : sidebars_)
        g->announcements = 0;
    for (auto& [id, c] : channels_)
        c->has_input = false;
}

}  // namespace sidebar::mixer
