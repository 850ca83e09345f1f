// Helpers for the mixing engine's tests: tone frames, a tone meter over one output frame, and a
// tiny room driver that feeds each member its own sine every tick.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "common/audio/goertzel.hpp"
#include "common/audio/tone.hpp"
#include "mixer/engine/mix_engine.hpp"

namespace sidebar::mixer::test {

using Frame = std::array<int16_t, kFrame>;

inline constexpr double kToneDbfs = -10.0;

inline double level(ConstFrame pcm, double hz) {
    return audio::tone_level(pcm, 16000, hz);
}

inline Frame constant_frame(int16_t v) {
    Frame f{};
    f.fill(v);
    return f;
}

inline bool is_zero(ConstFrame pcm) {
    for (const int16_t s : pcm)
        if (s != 0) return false;
    return true;
}

inline Frame copy_of(ConstFrame pcm) {
    Frame f{};
    std::copy(pcm.begin(), pcm.end(), f.begin());
    return f;
}

// Members talking steady sines; tick() feeds every talker and mixes.
class ToneRoom {
  public:
    explicit ToneRoom(EngineConfig config = {}) : engine(config) {}

    void add(MemberId id, double hz) {
        engine.add_member(id);
        tones.emplace(id, audio::ToneGenerator::sine(hz, kToneDbfs));
    }
    void add_silent(MemberId id) { engine.add_member(id); }

    void tick(int ticks = 1) {
        for (int t = 0; t < ticks; ++t) {
            for (auto& [id, gen] : tones) {
                Frame f{};
                gen.fill(f);
                engine.put_input(id, f);
                last_input[id] = f;
            }
            engine.mix();
        }
    }

    double hears(MemberId listener, double hz) const {
        return level(engine.output(listener).pcm, hz);
    }

    MixEngine engine;
    std::map<MemberId, audio::ToneGenerator> tones;
    std::map<MemberId, Frame> last_input;
};

}  // namespace sidebar::mixer::test
