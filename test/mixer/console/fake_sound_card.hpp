// FakeSoundCard: a sound card for tests on machines without one. ALSA's default device is made a
// `file` plugin (as in shared/TESTING.md) whose output and input files are named pipes; this
// object reads and writes them at the card's sample rate from a thread with absolute 20 ms
// deadlines, so the pipes' back-pressure paces PortAudio like a real device clock. (Over the
// plain `null` plugin with regular files, PortAudio runs thousands of times faster than real
// time and the output file grows by ~100 MB a second.)
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace sidebar::mixer::test {

// Once per process, before PortAudio is first initialised: HOME becomes a fresh temporary folder
// holding the .asoundrc and the two pipes. Returns that folder.
const std::filesystem::path& sound_card_home();

class FakeSoundCard {
  public:
    // Plays at `rate`; the microphone delivers `mic` over and over (silence when empty).
    FakeSoundCard(int rate, std::vector<int16_t> mic);
    ~FakeSoundCard();
    FakeSoundCard(const FakeSoundCard&) = delete;
    FakeSoundCard& operator=(const FakeSoundCard&) = delete;

    // Everything the device has played so far (raw int16 at the card's rate, as the file plugin
    // writes it with format "raw").
    std::vector<int16_t> played() const;
    // Waits (at most `limit`) until the card has taken everything the device wrote into the
    // pipe: after a stream stops, up to a pipe's worth of audio is still on its way.
    bool wait_drained(std::chrono::milliseconds limit) const;

  private:
    void run();
    void tick();

    int rate_;
    std::vector<int16_t> mic_;
    std::size_t mic_pos_ = 0;
    int out_fd_ = -1;
    int in_fd_ = -1;
    mutable std::mutex mutex_;
    std::vector<int16_t> played_;  // guarded by mutex_
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace sidebar::mixer::test
