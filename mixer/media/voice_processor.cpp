// speexdsp preprocessor: denoise and/or automatic gain control.
#include "mixer/media/voice_processor.hpp"

#include <speex/speex_preprocess.h>

namespace sidebar::mixer {

Result<std::unique_ptr<VoiceProcessor>> VoiceProcessor::create(const VoiceProcessing& options) {
    SpeexPreprocessState* state = speex_preprocess_state_init(320, 16000);
    if (state == nullptr) return make_error("speex_preprocess_state_init failed");
    spx_int32_t denoise = options.noise_suppression ? 1 : 0;
    spx_int32_t agc = options.agc ? 1 : 0;
    // The gate in the mixing engine decides who talks; speex's own VAD stays off.
    spx_int32_t vad = 0;
    speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_DENOISE, &denoise);
    speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_AGC, &agc);
    speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_VAD, &vad);
    if (options.agc) {
        // A conference level, not a broadcast one: about -20 dBFS speech.
        float level = 3276.0F;
        speex_preprocess_ctl(state, SPEEX_PREPROCESS_SET_AGC_LEVEL, &level);
    }
    return std::unique_ptr<VoiceProcessor>(new VoiceProcessor(state));
}

VoiceProcessor::~VoiceProcessor() {
    speex_preprocess_state_destroy(state_);
}

void VoiceProcessor::process(std::span<int16_t, 320> frame) {
    speex_preprocess_run(state_, frame.data());
}

}  // namespace sidebar::mixer
