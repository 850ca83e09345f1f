// RTP port pairs from a range, bound on allocation.
#include "mixer/media/port_allocator.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>

namespace sidebar::mixer {

namespace asio = boost::asio;
using asio::ip::udp;

PortAllocator::PortAllocator(std::string address, uint16_t port_min, uint16_t port_max)
    : address_(std::move(address)),
      first_(static_cast<uint16_t>(port_min + (port_min % 2))),
      last_(static_cast<uint16_t>((port_max - 1) - ((port_max - 1) % 2))),
      next_(first_) {}

Result<BoundPorts> PortAllocator::allocate(asio::io_context& io) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(address_, ec);
    if (ec) return make_error("rtp address " + address_ + ": " + ec.message());
    if (last_ < first_) return make_error("rtp port range holds no pair");
    const int pairs = (last_ - first_) / 2 + 1;
    for (int attempt = 0; attempt < pairs; ++attempt) {
        uint16_t port;
        {
            std::lock_guard lock(mutex_);
            port = next_;
            next_ = next_ >= last_ ? first_ : static_cast<uint16_t>(next_ + 2);
        }
        udp::socket rtp(io);
        udp::socket rtcp(io);
        const udp protocol = address.is_v6() ? udp::v6() : udp::v4();
        rtp.open(protocol, ec);
        if (ec) return make_error("rtp socket: " + ec.message());
        rtcp.open(protocol, ec);
        if (ec) return make_error("rtcp socket: " + ec.message());
        rtp.bind(udp::endpoint(address, port), ec);
        if (!ec) rtcp.bind(udp::endpoint(address, static_cast<uint16_t>(port + 1)), ec);
        if (ec == boost::asio::error::address_in_use) continue;  // taken: try the next pair
        if (ec)
            return make_error("rtp bind " + address_ + ":" + std::to_string(port) + ": " +
                              ec.message());
        rtp.non_blocking(true);
        rtcp.non_blocking(true);
        return BoundPorts{std::move(rtp), std::move(rtcp), port};
    }
    return make_error("no free RTP port pair in " + std::to_string(first_) + ".." +
                      std::to_string(last_ + 1));
}

}  // namespace sidebar::mixer
