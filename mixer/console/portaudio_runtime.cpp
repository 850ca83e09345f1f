// PortAudioLease: a mutex-guarded reference count around Pa_Initialize/Pa_Terminate.
#include "mixer/console/portaudio_runtime.hpp"

#include <portaudio.h>

#include <mutex>
#include <string>

namespace sidebar::mixer {
namespace {

std::mutex& runtime_mutex() {
    static std::mutex m;
    return m;
}
int holder_count = 0;  // guarded by runtime_mutex()

}  // namespace

Result<PortAudioLease> PortAudioLease::acquire() {
    std::lock_guard lock(runtime_mutex());
    if (holder_count == 0) {
        const PaError err = Pa_Initialize();
        if (err != paNoError) {
            return make_error(std::string("portaudio: Pa_Initialize failed: ") +
                              Pa_GetErrorText(err));
        }
    }
    ++holder_count;
    return PortAudioLease();
}

PortAudioLease& PortAudioLease::operator=(PortAudioLease&& other) noexcept {
    if (this != &other) {
        release();
        held_ = other.held_;
        other.held_ = false;
    }
    return *this;
}

PortAudioLease::~PortAudioLease() {
    release();
}

void PortAudioLease::release() {
    if (!held_) return;
    held_ = false;
    std::lock_guard lock(runtime_mutex());
    if (--holder_count == 0) Pa_Terminate();
}

int PortAudioLease::holders() {
    std::lock_guard lock(runtime_mutex());
    return holder_count;
}

}  // namespace sidebar::mixer
