// FakeSoundCard: the temporary HOME, the pipes and the pacing thread.
#include "test/mixer/console/fake_sound_card.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace sidebar::mixer::test {
namespace {

std::filesystem::path make_home() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sidebar-console-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::filesystem::path home(pattern);
    const auto out = home / "OUT.fifo";
    const auto in = home / "IN.fifo";
    if (mkfifo(out.c_str(), 0600) != 0 || mkfifo(in.c_str(), 0600) != 0) {
        throw std::runtime_error("mkfifo failed in " + home.string());
    }
    std::ofstream rc(home / ".asoundrc");
    rc << "pcm.!default {\n"
       << "  type asym\n"
       << "  playback.pcm { type file; slave.pcm \"null\"; file \"" << out.string()
       << "\"; format \"raw\" }\n"
       << "  capture.pcm  { type file; slave.pcm \"null\"; file \"/dev/null\"; infile \""
       << in.string() << "\"; format \"raw\" }\n"
       << "}\n";
    if (!rc) throw std::runtime_error("cannot write .asoundrc in " + home.string());
    setenv("HOME", home.c_str(), 1);
    return home;
}

// Opened read-write so that neither our open nor the plugin's (write-only or read-only) blocks
// waiting for the other end; non-blocking so the pacing thread never stalls. The pipe is made
// as small as Linux allows (one page) so little audio hides in it.
int open_pipe(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string());
    fcntl(fd, F_SETPIPE_SZ, 4096);
    return fd;
}

}  // namespace

const std::filesystem::path& sound_card_home() {
    static const std::filesystem::path home = make_home();
    return home;
}

FakeSoundCard::FakeSoundCard(int rate, std::vector<int16_t> mic)
    : rate_(rate), mic_(std::move(mic)) {
    const auto& home = sound_card_home();
    out_fd_ = open_pipe(home / "OUT.fifo");
    in_fd_ = open_pipe(home / "IN.fifo");
    thread_ = std::thread([this] { run(); });
}

FakeSoundCard::~FakeSoundCard() {
    stop_ = true;
    thread_.join();
    ::close(out_fd_);
    ::close(in_fd_);
}

std::vector<int16_t> FakeSoundCard::played() const {
    std::lock_guard lock(mutex_);
    return played_;
}

bool FakeSoundCard::wait_drained(std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int queued = 0;
        if (ioctl(out_fd_, FIONREAD, &queued) != 0) return false;
        if (queued == 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // bounded wait, test only
    }
}

void FakeSoundCard::run() {
    // The device clock: absolute deadlines, so the card's rate does not drift.
    auto next = std::chrono::steady_clock::now();
    while (!stop_) {
        next += std::chrono::milliseconds(20);
        std::this_thread::sleep_until(next);
        tick();
    }
}

void FakeSoundCard::tick() {
    const auto per_tick = static_cast<std::size_t>(rate_ / 50);
    std::vector<int16_t> buf(per_tick);
    const ssize_t got = ::read(out_fd_, buf.data(), per_tick * sizeof(int16_t));
    if (got > 0) {
        std::lock_guard lock(mutex_);
        played_.insert(played_.end(), buf.begin(),
                       buf.begin() + got / static_cast<ssize_t>(sizeof(int16_t)));
    }
    // The microphone is fed exactly one tick's worth per tick. With mmap access (PortAudio's)
    // the file plugin reads its infile for the whole area it maps, even when less is then
    // committed, and leaves stale samples where a read comes up short; a pipe kept full loses
    // more that way, one fed at the device's pace loses little (see the capture test).
    for (std::size_t i = 0; i < per_tick; ++i) {
        buf[i] = mic_.empty() ? int16_t{0} : mic_[(mic_pos_ + i) % mic_.size()];
    }
    // Writes of up to a page to a pipe are all or nothing: a full pipe drops this tick's audio,
    // as a real card's overrun would.
    const ssize_t put = ::write(in_fd_, buf.data(), per_tick * sizeof(int16_t));
    if (put > 0 && !mic_.empty()) {
        mic_pos_ = (mic_pos_ + static_cast<std::size_t>(put) / sizeof(int16_t)) % mic_.size();
    }
}

}  // namespace sidebar::mixer::test
