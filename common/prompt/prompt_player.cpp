// Frame-by-frame playback of queued prompts; see prompt_player.hpp.
#include "common/prompt/prompt_player.hpp"

#include <algorithm>

#include "common/audio/tone.hpp"

namespace sidebar::prompt {
namespace {

// The chime ends well before this; the bound only guards against a generator that never does.
constexpr std::size_t kMaxChimeSamples = 5 * 16000;

std::vector<int16_t> render(audio::ToneGenerator tone) {
    std::vector<int16_t> samples;
    std::array<int16_t, kFrameSamples> frame{};
    while (!tone.done() && samples.size() < kMaxChimeSamples) {
        tone.fill(frame);
        samples.insert(samples.end(), frame.begin(), frame.end());
    }
    return samples;
}

// Rendered once per process (thread-safe static initialization) and shared read-only by every
// player: a room creates a player per joiner, and 30 KB and a synthesis each would add up.
std::span<const int16_t> shared_chime() {
    static const std::vector<int16_t> chime = render(audio::ToneGenerator::chime());
    return chime;
}

std::span<const int16_t> shared_error_tone() {
    static const std::vector<int16_t> tone = render(audio::ToneGenerator::error());
    return tone;
}

}  // namespace

PromptPlayer::PromptPlayer(const PromptSet& prompts) : prompts_(&prompts), chime_(shared_chime()) {}

bool PromptPlayer::push(const int16_t* samples, std::size_t size) {
    if (size == 0 || count_ >= kMaxQueuedItems) return false;
    Item& item = queue_[(head_ + count_) % kMaxQueuedItems];
    item.samples = samples;
    item.size = size;
    ++count_;
    return true;
}

void PromptPlayer::pop_front() {
    head_ = (head_ + 1) % kMaxQueuedItems;
    --count_;
    offset_ = 0;
}

bool PromptPlayer::play(std::string_view id) {
    const auto pcm = prompts_->audio(id);
    return push(pcm.data(), pcm.size());
}

bool PromptPlayer::play_all(const std::vector<std::string>& ids) {
    if (ids.size() > kMaxQueuedItems - count_) return false;
    for (const auto& id : ids) {
        if (prompts_->audio(id).empty()) return false;
    }
    for (const auto& id : ids)
        play(id);
    return true;
}

bool PromptPlayer::silence(int ms) {
    if (ms < 1 || ms > kMaxSilenceMs) return false;
    return push(nullptr, static_cast<std::size_t>(ms) * 16);  // 16 samples per ms at 16 kHz
}

bool PromptPlayer::error_tone() {
    const std::span<const int16_t> tone = shared_error_tone();
    return push(tone.data(), tone.size());
}

bool PromptPlayer::chime() {
    return push(chime_.data(), chime_.size());
}

bool PromptPlayer::next_frame(std::span<int16_t, kFrameSamples> out) {
    if (count_ == 0) {
        std::fill(out.begin(), out.end(), int16_t{0});
        return false;
    }
    std::size_t filled = 0;
    while (filled < out.size() && count_ > 0) {
        Item& item = front();
        const std::size_t n = std::min(out.size() - filled, item.size - offset_);
        if (item.samples == nullptr) {
            std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(filled), n, int16_t{0});
        } else {
            std::copy_n(item.samples + offset_, n,
                        out.begin() + static_cast<std::ptrdiff_t>(filled));
        }
        filled += n;
        offset_ += n;
        if (offset_ >= item.size) pop_front();
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(filled), out.end(), int16_t{0});
    return true;
}

void PromptPlayer::stop() {
    head_ = 0;
    count_ = 0;
    offset_ = 0;
}

std::size_t PromptPlayer::remaining_samples() const {
    std::size_t total = 0;
    for (std::size_t i = 0; i < count_; ++i)
        total += queue_[(head_ + i) % kMaxQueuedItems].size;
    return total - offset_;
}

}  // namespace sidebar::prompt
