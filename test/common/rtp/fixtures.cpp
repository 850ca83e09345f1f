// Fixture loading and packet-building helpers for the RTP tests.
#include "test/common/rtp/fixtures.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

namespace sidebar::rtp::test {

Bytes load_fixture(const std::string& name) {
    const std::string path = std::string(SIDEBAR_TEST_DATA) + "/rtp/" + name;
    std::ifstream in(path, std::ios::binary);
    INFO("fixture " << path);
    REQUIRE(in.good());
    Bytes bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    REQUIRE_FALSE(bytes.empty());
    return bytes;
}

void put_be32(Bytes& out, std::size_t offset, uint32_t value) {
    out[offset] = static_cast<uint8_t>(value >> 24);
    out[offset + 1] = static_cast<uint8_t>(value >> 16);
    out[offset + 2] = static_cast<uint8_t>(value >> 8);
    out[offset + 3] = static_cast<uint8_t>(value);
}

Bytes be32(uint32_t value) {
    Bytes out(4);
    put_be32(out, 0, value);
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes rtcp_packet(uint8_t type, uint8_t count, Bytes body, uint8_t padding) {
    if (padding != 0) {
        body.insert(body.end(), padding - 1u, 0);
        body.push_back(padding);
    }
    const std::size_t words = (4 + body.size()) / 4 - 1;
    // Built by appending to a reserved vector: GCC 12 at -O3 reports a false -Warray-bounds on
    // inserting into a vector made from a 4-element initializer list.
    Bytes out;
    out.reserve(4 + body.size());
    out.push_back(static_cast<uint8_t>(0x80 | (padding != 0 ? 0x20 : 0) | count));
    out.push_back(type);
    out.push_back(static_cast<uint8_t>(words >> 8));
    out.push_back(static_cast<uint8_t>(words));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

}  // namespace sidebar::rtp::test
