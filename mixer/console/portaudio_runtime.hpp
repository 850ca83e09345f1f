// PortAudioLease: Pa_Initialize/Pa_Terminate are process-global, so every user holds a lease
// and PortAudio is initialised by the first and terminated when the last lease goes away.
#pragma once

#include "common/util/result.hpp"

namespace sidebar::mixer {

class PortAudioLease {
  public:
    // Initialises PortAudio if no lease is held; the error carries PortAudio's message.
    static Result<PortAudioLease> acquire();

    PortAudioLease(PortAudioLease&& other) noexcept : held_(other.held_) { other.held_ = false; }
    PortAudioLease& operator=(PortAudioLease&& other) noexcept;
    PortAudioLease(const PortAudioLease&) = delete;
    PortAudioLease& operator=(const PortAudioLease&) = delete;
    ~PortAudioLease();

    // Leases held now, in the whole process (for tests and diagnostics).
    static int holders();

  private:
    PortAudioLease() : held_(true) {}
    void release();

    bool held_ = false;
};

}  // namespace sidebar::mixer
