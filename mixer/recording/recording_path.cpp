// Recording path checks and exclusive creation with a numbered suffix.
#include "mixer/recording/recording_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace sidebar::mixer {

namespace {

Error fail(const std::filesystem::path& path, const std::string& why) {
    return make_error("recording path " + path.string() + ": " + why);
}

std::filesystem::path with_suffix(const std::filesystem::path& path, int n) {
    std::filesystem::path out = path.parent_path();
    out /= path.stem().string() + "-" + std::to_string(n) + path.extension().string();
    return out;
}

// 1: created; 0: the name exists; -1: another error (in `err`).
int create_exclusive(const std::filesystem::path& path, int& err) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) {
        ::close(fd);
        return 1;
    }
    err = errno;
    return err == EEXIST ? 0 : -1;
}

}  // namespace

Status check_recording_path(const std::filesystem::path& path) {
    const std::string& text = path.native();
    if (text.empty()) return fail(path, "empty");
    if (text.size() > kMaxRecordingPathBytes) return fail(path, "longer than 4096 bytes");
    if (text.find('\0') != std::string::npos) return fail(path, "contains NUL");
    const std::filesystem::path name = path.filename();
    if (name.empty() || name == "." || name == "..") return fail(path, "names no file");
    std::error_code ec;
    const auto st = std::filesystem::symlink_status(path, ec);
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
        return fail(path, "exists and is not a regular file");
    }
    return Ok{};
}

Result<std::filesystem::path> claim_recording_path(const std::filesystem::path& path) {
    if (auto ok = check_recording_path(path); !ok) return ok.error();
    const std::filesystem::path parent = path.parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
        if (ec) return fail(path, "cannot create directory: " + ec.message());
    }
    for (int n = 0; n <= kMaxRecordingSuffix; ++n) {
        const std::filesystem::path candidate = n == 0 ? path : with_suffix(path, n);
        int err = 0;
        const int created = create_exclusive(candidate, err);
        if (created == 1) return candidate;
        if (created < 0)
            return fail(candidate, "cannot create: " + std::system_category().message(err));
    }
    return fail(path, "it and " + std::to_string(kMaxRecordingSuffix) + " numbered names exist");
}

}  // namespace sidebar::mixer
