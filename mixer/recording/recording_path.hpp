// Where a recording goes: the caller builds the file name inside the configured recording
// directory, but the name may carry a room name, so it is still checked here, and an existing
// file is never overwritten.
#pragma once

#include <filesystem>

#include "common/util/result.hpp"

namespace sidebar::mixer {

// Longest path accepted (PATH_MAX on Linux).
inline constexpr std::size_t kMaxRecordingPathBytes = 4096;
// How many numbered alternatives ("x-1.wav" .. "x-999.wav") are tried before giving up.
inline constexpr int kMaxRecordingSuffix = 999;

// Refuses a path that is empty, too long, contains NUL, names no file ("dir/", ".", ".."), or
// already exists as something other than a regular file (directory, device, FIFO, symlink).
Status check_recording_path(const std::filesystem::path& path);

// Checks `path`, creates its parent directories, and creates the file exclusively (O_EXCL):
// `path` itself, or when that exists "stem-N.ext" for the first free N. Returns the name
// claimed: an empty file this process owns, which the WAV writer then fills.
Result<std::filesystem::path> claim_recording_path(const std::filesystem::path& path);

}  // namespace sidebar::mixer
