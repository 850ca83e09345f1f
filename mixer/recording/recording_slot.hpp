// Internal to RecordingWriter: the state of one recording slot, shared between the control side,
// the media threads and the writer thread (each field says who may touch it).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "common/audio/audio_file.hpp"
#include "mixer/recording/recording_writer.hpp"

namespace sidebar::mixer {

struct RecordingWriter::Slot {
    // The id whose pushes are queued now; 0 for none. Set by open(), cleared by close() and by
    // the writer when the recording ends; media threads read it on every push.
    std::atomic<uint64_t> accepting{0};
    std::atomic<uint64_t> dropped{0};  // frames of the current id dropped at push
    std::atomic<uint64_t> written{0};  // frames of the current id on disk (writer increments)

    // Guarded by RecordingWriter::mutex_.
    uint32_t generation = 0;
    uint64_t id = 0;      // the current or last id of this slot
    bool in_use = false;  // from open() until the writer has finished the file
    RecordingStatus status;

    // Writer thread only.
    uint64_t writer_id = 0;  // the id the writer last started
    bool active = false;     // writer_id's recording has not ended yet
    std::optional<audio::AudioFileWriter> file;
};

}  // namespace sidebar::mixer
