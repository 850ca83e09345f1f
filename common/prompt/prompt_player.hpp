// PromptPlayer: plays a queue of prompts, silences and chimes as 20 ms frames for a media thread
// that pulls one frame per mixing tick. Items follow each other without gaps inside a frame;
// only the last frame is padded with zeros. The queue is a fixed ring, so queueing and playing
// never allocate; the caller polls next_frame() and learns the end from its return value.
//
//   PromptPlayer player(prompts);
//   player.play("you_are_member");
//   player.play_all(number_words(3));
//   while (player.next_frame(frame)) send(frame);   // one call per 20 ms tick
//
// Barge-in: stop() drops everything queued; the next frame is silence.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/prompt/prompt_set.hpp"

namespace sidebar::prompt {

inline constexpr std::size_t kFrameSamples = 320;  // 20 ms at 16 kHz
inline constexpr std::size_t kMaxQueuedItems = 64;
inline constexpr int kMaxSilenceMs = 60000;

class PromptPlayer {
  public:
    // `prompts` must outlive the player: queued items point into its samples. The chime is
    // rendered once per process (common/audio ToneGenerator::chime), so frames never synthesize.
    explicit PromptPlayer(const PromptSet& prompts);

    // Each returns false, queueing nothing, for an unknown id, an empty prompt, a silence outside
    // 1..kMaxSilenceMs, or a full queue.
    bool play(std::string_view id);
    // All of `ids` or none (an unknown id or too little room queues nothing).
    bool play_all(const std::vector<std::string>& ids);
    bool silence(int ms);
    bool chime();
    // Three short beeps (common/audio ToneGenerator::error), rendered once per process too.
    bool error_tone();

    // Fills `out` with the next 20 ms. True while the queue had audio for this frame (the last
    // one is zero-padded); false, with `out` all zeros, once everything has played.
    bool next_frame(std::span<int16_t, kFrameSamples> out);

    // Drops the queue and the item playing (barge-in).
    void stop();
    bool playing() const { return count_ > 0; }
    std::size_t queued_items() const { return count_; }
    // Samples still to play, of all queued items.
    std::size_t remaining_samples() const;
    std::size_t chime_samples() const { return chime_.size(); }

  private:
    // samples == nullptr: `size` samples of silence.
    struct Item {
        const int16_t* samples = nullptr;
        std::size_t size = 0;
    };

    bool push(const int16_t* samples, std::size_t size);
    Item& front() { return queue_[head_]; }
    void pop_front();

    const PromptSet* prompts_;
    std::span<const int16_t> chime_;  // the process's one rendering of the chime
    std::array<Item, kMaxQueuedItems> queue_{};
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    std::size_t offset_ = 0;  // samples of the front item already played
};

}  // namespace sidebar::prompt
