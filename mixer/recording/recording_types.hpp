// Value types of room recording: the id a media thread pushes frames with, and what the control
// side can learn about one recording.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace sidebar::mixer {

// One 20 ms frame of the internal format (16 kHz mono int16).
inline constexpr std::size_t kRecordingFrameSamples = 320;
inline constexpr int kRecordingSampleRate = 16000;

// Names one recording. A slot index and that slot's use count, so an id that outlived its
// recording (closed, failed) never reaches the recording that reuses the slot. 0 is invalid.
struct RecordingId {
    uint64_t value = 0;

    bool valid() const { return value != 0; }
    friend bool operator==(RecordingId, RecordingId) = default;
};

enum class RecordingState {
    opening,    // queued; the writer thread has not created the file yet
    recording,  // the file is open and frames are being written
    closing,    // close() was called; queued frames are still being written
    closed,     // the file is complete
    failed,     // refused path or disk error; see RecordingStatus::error
};

const char* to_string(RecordingState state);

struct RecordingStatus {
    RecordingState state = RecordingState::opening;
    std::filesystem::path requested;  // as given to open()
    std::filesystem::path file;       // as created (a suffix when `requested` existed); or empty
    std::string room;
    uint64_t frames_written = 0;
    uint64_t frames_dropped = 0;  // queue full when this recording pushed
    std::string error;            // why it failed
};

}  // namespace sidebar::mixer
