// Media threads: one io_context each, run until stopped.
#include "mixer/service/media_threads.hpp"

#include <pthread.h>

#include <string>

#include "common/log/log.hpp"

namespace sidebar::mixer {

MediaThreads::MediaThreads(int count) {
    if (count <= 0) count = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < count; ++i) {
        contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
    for (int i = 0; i < count; ++i) {
        boost::asio::io_context* io = contexts_[static_cast<std::size_t>(i)].get();
        threads_.emplace_back([io, i] {
            const std::string name = "media-" + std::to_string(i);
            pthread_setname_np(pthread_self(), name.c_str());
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (const std::exception& e) {
                    // A bug in one room's handler must not stop the others on this thread.
                    log::error("media_thread_exception").field("thread", i).msg(e.what());
                }
            }
        });
    }
}

MediaThreads::~MediaThreads() {
    stop();
}

boost::asio::io_context& MediaThreads::next() {
    boost::asio::io_context& io = *contexts_[next_ % contexts_.size()];
    ++next_;
    return io;
}

void MediaThreads::stop() {
    guards_.clear();
    for (auto& io : contexts_)
        io->stop();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

}  // namespace sidebar::mixer
