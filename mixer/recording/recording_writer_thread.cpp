// RecordingWriter's writer thread: takes requests, creates files, writes queued frames, completes
// files, and reports dropped frames. All disk access of recording happens here.
#include <algorithm>

#include "common/log/log.hpp"
#include "mixer/recording/recording_path.hpp"
#include "mixer/recording/recording_slot.hpp"
#include "mixer/recording/recording_writer.hpp"

namespace sidebar::mixer {

namespace {

constexpr auto kDropLogInterval = std::chrono::seconds(1);

}  // namespace

void RecordingWriter::run() {
    for (;;) {
        const uint32_t seen = wake_.load(std::memory_order_acquire);
        fetch_requests();
        const bool more_frames = drain_queue();
        report_drops();  // before barriers complete, so a waiter sees the warning logged
        finish_requests();
        {
            std::lock_guard lock(mutex_);
            if (stopping_ && requests_.empty() && taken_.empty()) break;
        }
        // Requests still in taken_ wait for a frame a producer is still copying in; its push
        // bumps wake_ when done.
        if (!more_frames) wake_.wait(seen, std::memory_order_acquire);
    }
    // close_all_and_wait() ran before stopping_ was set, so nothing is open; this is a backstop.
    for (std::size_t i = 0; i < max_recordings_; ++i) {
        if (slots_[i].active) finish_file(slots_[i], "writer stopped");
    }
}

void RecordingWriter::fetch_requests() {
    const std::size_t first = taken_.size();
    {
        std::lock_guard lock(mutex_);
        if (requests_.empty()) return;
        // Read after taking the lock: every push that finished before a request was made has
        // claimed a position below this mark.
        const uint64_t mark = queue_.claimed();
        for (Request& request : requests_) {
            request.queue_mark = mark;
            taken_.push_back(request);
        }
        requests_.clear();
    }
    // Opens at once, so that frames pushed right after open() find their file.
    for (std::size_t i = first; i < taken_.size(); ++i) {
        if (taken_[i].command != Command::open) continue;
        if (Slot* slot = slot_for(taken_[i].id)) start_file(*slot, taken_[i].id);
    }
}

void RecordingWriter::start_file(Slot& slot, uint64_t id) {
    std::filesystem::path requested;
    std::string room;
    {
        std::lock_guard lock(mutex_);
        requested = slot.status.requested;
        room = slot.status.room;
    }
    slot.writer_id = id;
    slot.active = true;
    auto claimed = claim_recording_path(requested);
    if (!claimed) {
        finish_file(slot, claimed.message());
        return;
    }
    auto file = audio::AudioFileWriter::create(claimed->string(), kRecordingSampleRate, 1);
    if (!file) {
        std::error_code ec;
        std::filesystem::remove(*claimed, ec);  // the empty file we claimed
        finish_file(slot, file.message());
        return;
    }
    slot.file.emplace(std::move(*file));
    files_open_.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(mutex_);
        slot.status.file = *claimed;
        // close() may already have asked for the end; that state stays.
        if (slot.status.state == RecordingState::opening)
            slot.status.state = RecordingState::recording;
    }
    log::info("recording.start", {{"room", room}, {"file", claimed->string()}}, "recording");
}

bool RecordingWriter::drain_queue() {
    // At most one queue's worth per round, so that requests are served even while producers
    // keep the queue full.
    for (std::size_t n = 0; n < queue_.capacity(); ++n) {
        const bool popped = queue_.try_pop(
            [this](uint64_t id, std::span<const int16_t, kRecordingFrameSamples> frame) {
                write_frame(id, frame);
            });
        if (!popped) return false;
    }
    return true;
}

void RecordingWriter::write_frame(uint64_t id,
                                  std::span<const int16_t, kRecordingFrameSamples> frame) {
    Slot* slot = slot_for(id);
    if (slot == nullptr) return;
    if (slot->writer_id != id) {
        fetch_requests();                   // an open made after our last look
        if (slot->writer_id != id) return;  // a frame of a recording that has ended
    }
    if (!slot->active || !slot->file) return;
    if (auto written = slot->file->append(frame); !written) {
        finish_file(*slot, written.message());
        return;
    }
    slot->written.fetch_add(1, std::memory_order_relaxed);
    frames_written_.fetch_add(1, std::memory_order_relaxed);
}

void RecordingWriter::finish_file(Slot& slot, const std::string& error) {
    std::string why = error;
    if (slot.file) {
        // Completes the header even after a write error, so what was written stays readable.
        if (auto closed = slot.file->close(); !closed && why.empty()) why = closed.message();
        slot.file.reset();
        files_open_.fetch_sub(1, std::memory_order_relaxed);
    }
    slot.active = false;
    if (!why.empty()) write_errors_.fetch_add(1, std::memory_order_relaxed);
    std::filesystem::path file;
    std::string room;
    uint64_t frames = 0;
    uint64_t dropped = 0;
    {
        std::lock_guard lock(mutex_);
        slot.accepting.store(0, std::memory_order_release);
        frames = slot.written.load(std::memory_order_relaxed);
        dropped = slot.dropped.load(std::memory_order_relaxed);
        slot.status.state = why.empty() ? RecordingState::closed : RecordingState::failed;
        slot.status.error = why;
        slot.status.frames_written = frames;
        slot.status.frames_dropped = dropped;
        file = slot.status.file;
        room = slot.status.room;
        slot.in_use = false;
        free_[(free_head_ + free_count_) % max_recordings_] = std::size_t(&slot - slots_.get());
        ++free_count_;
    }
    if (why.empty()) {
        log::info(
            "recording.stop",
            {{"room", room}, {"file", file.string()}, {"frames", frames}, {"dropped", dropped}},
            "recording complete");
    } else {
        log::error(
            "recording.failed",
            {{"room", room}, {"file", file.string()}, {"frames", frames}, {"dropped", dropped}},
            why);
    }
}

void RecordingWriter::finish_requests() {
    std::size_t done = 0;
    uint64_t barrier = 0;
    for (; done < taken_.size(); ++done) {
        const Request& request = taken_[done];
        if (request.command == Command::open) continue;
        // Frames pushed before this request are not all written yet: keep the order.
        if (queue_.consumed() < request.queue_mark) break;
        if (request.command == Command::barrier) {
            barrier = request.id;
        } else if (Slot* slot = slot_for(request.id);
                   slot != nullptr && slot->writer_id == request.id && slot->active) {
            finish_file(*slot, {});
        }
    }
    taken_.erase(taken_.begin(), taken_.begin() + std::ptrdiff_t(done));
    if (barrier != 0) {
        {
            std::lock_guard lock(mutex_);
            done_barrier_ = std::max(done_barrier_, barrier);
        }
        idle_cv_.notify_all();
    }
}

void RecordingWriter::report_drops() {
    const uint64_t total = frames_dropped_.load(std::memory_order_relaxed);
    if (total == drops_reported_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drops_reported_ != 0 && now - last_drop_log_ < kDropLogInterval) return;
    log::warn("recording.drop", {{"dropped", total - drops_reported_}, {"total", total}},
              "recording queue full: frames dropped (disk too slow?)");
    drops_reported_ = total;
    last_drop_log_ = now;
}

}  // namespace sidebar::mixer
