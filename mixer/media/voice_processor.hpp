// Optional clean-up of a member's voice before it is mixed (issue 4: per-member noise
// suppression and AGC, off by default): speexdsp's preprocessor on 20 ms frames at 16 kHz.
// One per member that has it on; media thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "common/util/result.hpp"

struct SpeexPreprocessState_;

namespace sidebar::mixer {

struct VoiceProcessing {
    bool noise_suppression = false;
    bool agc = false;
    bool any() const { return noise_suppression || agc; }
};

class VoiceProcessor {
  public:
    static Result<std::unique_ptr<VoiceProcessor>> create(const VoiceProcessing& options);
    ~VoiceProcessor();
    VoiceProcessor(const VoiceProcessor&) = delete;
    VoiceProcessor& operator=(const VoiceProcessor&) = delete;

    // Cleans one frame in place.
    void process(std::span<int16_t, 320> frame);

  private:
    explicit VoiceProcessor(SpeexPreprocessState_* state) : state_(state) {}
    SpeexPreprocessState_* state_;
};

}  // namespace sidebar::mixer
