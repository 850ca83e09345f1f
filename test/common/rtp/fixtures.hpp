// Test helpers for the RTP tests: loading the binary packets of test/data/rtp/ (written by
// make_fixtures.py) and building hand-made, possibly hostile, RTCP packets.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace sidebar::rtp::test {

using Bytes = std::vector<uint8_t>;

// The bytes of test/data/rtp/<name>; fails the current test when the file is missing or empty.
Bytes load_fixture(const std::string& name);

// Big-endian 32-bit store for hand-built packets.
void put_be32(Bytes& out, std::size_t offset, uint32_t value);
Bytes be32(uint32_t value);
Bytes concat(std::initializer_list<Bytes> parts);

// One RTCP packet: a version-2 header whose length covers `body` plus `padding` octets (zeros,
// the last holding the count, and the P bit set when padding is not 0).
Bytes rtcp_packet(uint8_t type, uint8_t count, Bytes body, uint8_t padding = 0);

}  // namespace sidebar::rtp::test
