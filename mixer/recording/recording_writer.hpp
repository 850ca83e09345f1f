// RecordingWriter: records rooms to WAV files off the media threads (DESIGN.md section 3). A
// room's media thread pushes its mix, one 20 ms frame at a time, into a bounded preallocated
// queue; one writer thread per process creates the files, writes the frames and completes the
// headers. A slow or full disk can only cost frames (dropped and counted), never media time.
//
// Threads: push() is for media threads (any number at once). open(), close(), status() and the
// waits are for the control side; they take a short lock and may allocate. Nothing calls back.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "mixer/recording/frame_queue.hpp"
#include "mixer/recording/recording_types.hpp"

namespace sidebar::mixer {

struct RecordingWriterOptions {
    std::size_t max_queued_frames = 3000;  // ~60 s of one room, ~2 MB, allocated up front; >= 2
    std::size_t max_recordings = 256;      // recordings open at once; open() refuses beyond
};

class RecordingWriter {
  public:
    explicit RecordingWriter(std::size_t max_queued_frames = 3000);
    explicit RecordingWriter(const RecordingWriterOptions& options);
    // Completes every file (as close_all_and_wait) and joins the writer thread.
    ~RecordingWriter();
    RecordingWriter(const RecordingWriter&) = delete;
    RecordingWriter& operator=(const RecordingWriter&) = delete;

    // Starts a recording of `room` into `file` (16 kHz mono 16-bit WAV). The file is created on
    // the writer thread: a bad path or disk error shows in the log and in status() as failed.
    // Frames may be pushed at once; they are written once the file exists. Returns an invalid id
    // (and logs) only when max_recordings are already open.
    RecordingId open(std::filesystem::path file, std::string room);

    // Media thread: copies one frame in. Never blocks, never allocates. False when the id is not
    // recording (invalid, closed, failed) or the queue is full (the frame is dropped, counted,
    // and a warning logged by the writer thread at most once per second).
    bool push(RecordingId id, std::span<const int16_t, kRecordingFrameSamples> frame);

    // Stops accepting frames for `id`; the frames already pushed are written, then the file is
    // completed, asynchronously. Unknown or already closed ids are ignored.
    void close(RecordingId id);

    // For shutdown: closes every recording; on return all their files are complete.
    void close_all_and_wait();

    // Waits until everything pushed, opened and closed before the call has been done on disk.
    void wait_idle();

    // The recording's state, or nullopt when the id is invalid or its slot has been reused since.
    std::optional<RecordingStatus> status(RecordingId id) const;

    struct Stats {
        uint64_t frames_written;
        uint64_t frames_dropped;
        uint64_t files_open;
        uint64_t write_errors;  // recordings ended by a refused path or a disk error
    };
    Stats stats() const;

  private:
    enum class Command { open, close, barrier };
    struct Request {
        Command command;
        uint64_t id;  // or, for a barrier, its sequence number
        // Frames pushed before the request had been claimed below this queue position; a close
        // or barrier is done once the writer has consumed up to it.
        uint64_t queue_mark;
    };
    struct Slot;

    // The writer thread (recording_writer_thread.cpp).
    void run();
    void fetch_requests();
    void start_file(Slot& slot, uint64_t id);
    bool drain_queue();
    void write_frame(uint64_t id, std::span<const int16_t, kRecordingFrameSamples> frame);
    void finish_file(Slot& slot, const std::string& error);
    void finish_requests();
    void report_drops();
    void wake();

    Slot* slot_for(uint64_t id) const;
    void request_close_locked(Slot& slot);

    std::size_t max_recordings_;
    FrameQueue queue_;
    std::unique_ptr<Slot[]> slots_;

    mutable std::mutex mutex_;
    std::condition_variable idle_cv_;
    std::vector<Request> requests_;  // guarded by mutex_: control side to writer
    std::vector<std::size_t> free_;  // guarded by mutex_: free slot indices, oldest first
    std::size_t free_head_ = 0;      // guarded by mutex_: free_ is used as a ring
    std::size_t free_count_ = 0;     // guarded by mutex_
    uint64_t next_barrier_ = 0;      // guarded by mutex_
    uint64_t done_barrier_ = 0;      // guarded by mutex_
    bool stopping_ = false;          // guarded by mutex_

    std::vector<Request> taken_;  // writer thread only: requests being worked on

    std::atomic<uint32_t> wake_{0};  // bumped after every push and request; the writer waits on it
    std::atomic<uint64_t> frames_written_{0};
    std::atomic<uint64_t> frames_dropped_{0};
    std::atomic<uint64_t> files_open_{0};
    std::atomic<uint64_t> write_errors_{0};
    uint64_t drops_reported_ = 0;                            // writer thread only
    std::chrono::steady_clock::time_point last_drop_log_{};  // writer thread only

    std::thread thread_;  // last: started once everything above exists
};

}  // namespace sidebar::mixer
