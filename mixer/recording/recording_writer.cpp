// RecordingWriter, the side media threads and the control side call: ids, pushes, requests to
// the writer thread, and the waits.
#include "mixer/recording/recording_writer.hpp"

#include "common/log/log.hpp"
#include "mixer/recording/recording_slot.hpp"

namespace sidebar::mixer {

namespace {

constexpr uint64_t kSlotMask = 0xffffffffu;

uint64_t make_id(uint32_t generation, std::size_t index) {
    return (uint64_t{generation} << 32) | uint64_t(index);
}

}  // namespace

const char* to_string(RecordingState state) {
    switch (state) {
        case RecordingState::opening:
            return "opening";
        case RecordingState::recording:
            return "recording";
        case RecordingState::closing:
            return "closing";
        case RecordingState::closed:
            return "closed";
        case RecordingState::failed:
            return "failed";
    }
    return "unknown";
}

RecordingWriter::RecordingWriter(std::size_t max_queued_frames)
    : RecordingWriter([&] {
          RecordingWriterOptions options;
          options.max_queued_frames = max_queued_frames;
          return options;
      }()) {}

RecordingWriter::RecordingWriter(const RecordingWriterOptions& options)
    : max_recordings_(options.max_recordings == 0 ? 1 : options.max_recordings),
      queue_(options.max_queued_frames),
      slots_(std::make_unique<Slot[]>(max_recordings_)),
      free_(max_recordings_) {
    for (std::size_t i = 0; i < max_recordings_; ++i)
        free_[i] = i;
    free_count_ = max_recordings_;
    // Every open adds one request and every close one more; reserving keeps close() from
    // allocating in the common case.
    requests_.reserve(2 * max_recordings_ + 16);
    taken_.reserve(2 * max_recordings_ + 16);
    thread_ = std::thread([this] { run(); });
}

RecordingWriter::~RecordingWriter() {
    close_all_and_wait();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake();
    thread_.join();
}

RecordingWriter::Slot* RecordingWriter::slot_for(uint64_t id) const {
    const uint64_t index = id & kSlotMask;
    if (id == 0 || index >= max_recordings_) return nullptr;
    return &slots_[index];
}

void RecordingWriter::wake() {
    wake_.fetch_add(1, std::memory_order_release);
    wake_.notify_one();
}

RecordingId RecordingWriter::open(std::filesystem::path file, std::string room) {
    uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        if (free_count_ > 0 && !stopping_) {
            const std::size_t index = free_[free_head_];
            free_head_ = (free_head_ + 1) % max_recordings_;
            --free_count_;
            Slot& slot = slots_[index];
            if (++slot.generation == 0) slot.generation = 1;  // id 0 means invalid
            id = make_id(slot.generation, index);
            slot.id = id;
            slot.in_use = true;
            slot.status = RecordingStatus{};
            slot.status.requested = std::move(file);
            slot.status.room = std::move(room);
            slot.written.store(0, std::memory_order_relaxed);
            slot.dropped.store(0, std::memory_order_relaxed);
            slot.accepting.store(id, std::memory_order_release);
            requests_.push_back(Request{Command::open, id, 0});
        }
    }
    if (id == 0) {
        log::error("recording.refused", {{"room", room}, {"file", file.string()}},
                   "too many recordings open");
        return RecordingId{};
    }
    wake();
    return RecordingId{id};
}

bool RecordingWriter::push(RecordingId id, std::span<const int16_t, kRecordingFrameSamples> frame) {
    Slot* slot = slot_for(id.value);
    if (slot == nullptr || slot->accepting.load(std::memory_order_acquire) != id.value) {
        return false;
    }
    if (!queue_.try_push(id.value, frame)) {
        // Logged by the writer thread, rate-limited: logging here would allocate.
        frames_dropped_.fetch_add(1, std::memory_order_relaxed);
        slot->dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    wake();
    return true;
}

void RecordingWriter::request_close_locked(Slot& slot) {
    if (!slot.in_use || slot.status.state == RecordingState::closing) return;
    if (slot.status.state == RecordingState::closed || slot.status.state == RecordingState::failed)
        return;
    slot.accepting.store(0, std::memory_order_release);
    slot.status.state = RecordingState::closing;
    requests_.push_back(Request{Command::close, slot.id, 0});
}

void RecordingWriter::close(RecordingId id) {
    Slot* slot = slot_for(id.value);
    if (slot == nullptr) return;
    {
        std::lock_guard lock(mutex_);
        if (slot->id != id.value) return;
        request_close_locked(*slot);
    }
    wake();
}

void RecordingWriter::close_all_and_wait() {
    std::unique_lock lock(mutex_);
    for (std::size_t i = 0; i < max_recordings_; ++i)
        request_close_locked(slots_[i]);
    const uint64_t barrier = ++next_barrier_;
    requests_.push_back(Request{Command::barrier, barrier, 0});
    wake();
    idle_cv_.wait(lock, [&] { return done_barrier_ >= barrier; });
}

void RecordingWriter::wait_idle() {
    std::unique_lock lock(mutex_);
    const uint64_t barrier = ++next_barrier_;
    requests_.push_back(Request{Command::barrier, barrier, 0});
    wake();
    idle_cv_.wait(lock, [&] { return done_barrier_ >= barrier; });
}

std::optional<RecordingStatus> RecordingWriter::status(RecordingId id) const {
    const Slot* slot = slot_for(id.value);
    if (slot == nullptr) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (slot->id != id.value) return std::nullopt;
    RecordingStatus status = slot->status;
    if (slot->in_use) {
        status.frames_written = slot->written.load(std::memory_order_relaxed);
        status.frames_dropped = slot->dropped.load(std::memory_order_relaxed);
    }
    return status;
}

RecordingWriter::Stats RecordingWriter::stats() const {
    Stats stats{};
    stats.frames_written = frames_written_.load(std::memory_order_relaxed);
    stats.frames_dropped = frames_dropped_.load(std::memory_order_relaxed);
    stats.files_open = files_open_.load(std::memory_order_relaxed);
    stats.write_errors = write_errors_.load(std::memory_order_relaxed);
    return stats;
}

}  // namespace sidebar::mixer
