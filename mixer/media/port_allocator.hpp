// Hands out RTP/RTCP port pairs (even RTP port, RTCP on the next) from the configured range,
// bound at once so two members never share a port. Thread-safe: rooms on different media
// threads allocate concurrently.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <mutex>
#include <string>

#include "common/util/result.hpp"

namespace sidebar::mixer {

struct BoundPorts {
    boost::asio::ip::udp::socket rtp;
    boost::asio::ip::udp::socket rtcp;
    uint16_t rtp_port = 0;
};

class PortAllocator {
  public:
    PortAllocator(std::string address, uint16_t port_min, uint16_t port_max);

    // Binds a free pair on `io` (the room's media thread), trying each pair of the range at
    // most once. Fails when the range is exhausted.
    Result<BoundPorts> allocate(boost::asio::io_context& io);

    const std::string& address() const { return address_; }

  private:
    std::string address_;
    uint16_t first_;  // even
    uint16_t last_;   // last usable RTP port (even)
    std::mutex mutex_;
    uint16_t next_;
};

}  // namespace sidebar::mixer
