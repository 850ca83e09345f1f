// PortAllocator over real loopback sockets: even/odd adjacent pairs that are really bound,
// distinct pairs, exhaustion naming the range, ports held elsewhere skipped, and two threads
// allocating at once.
#include "mixer/media/port_allocator.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

#include "test/mixer/media/member_stream_peer.hpp"

using sidebar::mixer::BoundPorts;
using sidebar::mixer::PortAllocator;
namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

// The second half of this process's test ports (member streams use the first half); even.
uint16_t allocator_base() {
    return static_cast<uint16_t>(mixer_test::test_port_base() + mixer_test::kTestPorts / 2);
}

void check_pair(const BoundPorts& ports) {
    CHECK(ports.rtp_port % 2 == 0);
    CHECK(ports.rtp.is_open());
    CHECK(ports.rtcp.is_open());
    CHECK(ports.rtp.local_endpoint().port() == ports.rtp_port);
    CHECK(ports.rtcp.local_endpoint().port() == ports.rtp_port + 1);
    CHECK(ports.rtp.local_endpoint().address().to_string() == "127.0.0.1");
}

}  // namespace

TEST_CASE("pairs are even RTP and the next odd RTCP port, bound and distinct",
          "[mixer][media][ports]") {
    asio::io_context io;
    const uint16_t base = allocator_base();
    // An odd port_min starts at the next even port.
    PortAllocator allocator("127.0.0.1", static_cast<uint16_t>(base + 1),
                            static_cast<uint16_t>(base + 40));
    std::vector<BoundPorts> held;
    std::set<uint16_t> ports;
    for (int i = 0; i < 5; ++i) {
        auto pair = allocator.allocate(io);
        INFO((pair.ok() ? std::string() : pair.message()));
        REQUIRE(pair.ok());
        check_pair(*pair);
        CHECK(pair->rtp_port >= base + 2);
        CHECK(pair->rtp_port + 1 <= base + 40);
        CHECK(ports.insert(pair->rtp_port).second);
        held.push_back(std::move(*pair));
    }
}

TEST_CASE("an exhausted range fails and names the range", "[mixer][media][ports]") {
    asio::io_context io;
    const uint16_t base = allocator_base();
    // base..base+5: exactly three pairs.
    PortAllocator allocator("127.0.0.1", base, static_cast<uint16_t>(base + 5));
    std::vector<BoundPorts> held;
    for (int i = 0; i < 3; ++i) {
        auto pair = allocator.allocate(io);
        INFO((pair.ok() ? std::string() : pair.message()));
        REQUIRE(pair.ok());
        held.push_back(std::move(*pair));
    }
    auto none = allocator.allocate(io);
    REQUIRE_FALSE(none.ok());
    const std::string range = std::to_string(base) + ".." + std::to_string(base + 5);
    CHECK_THAT(none.message(), Catch::Matchers::Contains(range));

    // A pair given back is free again.
    held.erase(held.begin() + 1);
    auto again = allocator.allocate(io);
    REQUIRE(again.ok());
    CHECK(again->rtp_port == base + 2);
}

TEST_CASE("a range with no pair in it fails, so does a bad address", "[mixer][media][ports]") {
    asio::io_context io;
    const uint16_t base = allocator_base();
    PortAllocator one_port("127.0.0.1", static_cast<uint16_t>(base + 1),
                           static_cast<uint16_t>(base + 2));
    CHECK_FALSE(one_port.allocate(io).ok());
    PortAllocator bad("not-an-address", base, static_cast<uint16_t>(base + 10));
    auto refused = bad.allocate(io);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.message(), Catch::Matchers::Contains("not-an-address"));
}

TEST_CASE("ports held by another socket are skipped", "[mixer][media][ports]") {
    asio::io_context io;
    const uint16_t base = allocator_base();
    const auto loopback = asio::ip::make_address("127.0.0.1");
    // Someone holds the first pair's RTP port and the second pair's RTCP port.
    udp::socket rtp_taken(io, udp::endpoint(loopback, base));
    udp::socket rtcp_taken(io, udp::endpoint(loopback, static_cast<uint16_t>(base + 3)));
    PortAllocator allocator("127.0.0.1", base, static_cast<uint16_t>(base + 7));
    auto pair = allocator.allocate(io);
    INFO((pair.ok() ? std::string() : pair.message()));
    REQUIRE(pair.ok());
    CHECK(pair->rtp_port == base + 4);
    check_pair(*pair);
    // Only base+6 is left; after it the range is exhausted.
    auto last = allocator.allocate(io);
    REQUIRE(last.ok());
    CHECK(last->rtp_port == base + 6);
    CHECK_FALSE(allocator.allocate(io).ok());
}

TEST_CASE("two threads allocating at once get distinct pairs", "[mixer][media][ports]") {
    const uint16_t base = allocator_base();
    constexpr int kPerThread = 40;
    // 100 pairs for 80 allocations: nobody runs out, so every allocation must succeed.
    PortAllocator allocator("127.0.0.1", base, static_cast<uint16_t>(base + 199));
    struct Worker {
        asio::io_context io;
        std::vector<BoundPorts> held;
        int failures = 0;
    };
    Worker a;
    Worker b;
    const auto run = [&allocator](Worker& w) {
        for (int i = 0; i < kPerThread; ++i) {
            auto pair = allocator.allocate(w.io);
            if (pair.ok()) {
                w.held.push_back(std::move(*pair));
            } else {
                ++w.failures;
            }
        }
    };
    std::thread first(run, std::ref(a));
    std::thread second(run, std::ref(b));
    first.join();
    second.join();
    CHECK(a.failures == 0);
    CHECK(b.failures == 0);
    std::set<uint16_t> ports;
    for (Worker* w : {&a, &b}) {
        for (const BoundPorts& p : w->held) {
            CHECK(p.rtp_port % 2 == 0);
            CHECK(ports.insert(p.rtp_port).second);
        }
    }
    CHECK(ports.size() == 2 * kPerThread);
}
