// The fixed pool of media threads (DESIGN.md 3): each runs one io_context; a room and all its
// sidebars live on one of them, so mixing needs no locks.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace sidebar::mixer {

class MediaThreads {
  public:
    explicit MediaThreads(int count);  // 0 = one per core
    ~MediaThreads();                   // stop()

    // The io_context a room is given; rooms are spread round-robin as they are created.
    boost::asio::io_context& next();
    std::size_t size() const { return contexts_.size(); }
    // Lets pending work finish for at most a moment, then joins the threads.
    void stop();

  private:
    using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
    std::vector<Guard> guards_;
    std::vector<std::thread> threads_;
    std::size_t next_ = 0;
};

}  // namespace sidebar::mixer
