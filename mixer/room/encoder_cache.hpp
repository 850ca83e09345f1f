// Shared encoded frames (DESIGN.md 4): listeners whose mix (share key) and codec are the same
// get one encoding per tick. Each (share key, codec) keeps its own encoder across ticks, so
// stateful codecs (G.722 ADPCM, Opus) see one continuous signal. Media thread only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <utility>

#include "common/codec/codec.hpp"

namespace sidebar::mixer {

struct EncodedFrame {
    std::span<const uint8_t> payload;  // valid until the next encode() of the same key
    uint32_t timestamp_step = 0;       // RTP clock units of this frame
};

class EncoderCache {
  public:
    // The frame for `share_key` in `kind` at tick `tick`; encoded on the first call of the tick.
    EncodedFrame encode(uint64_t share_key, codec::Kind kind,
                        std::span<const int16_t, codec::kFrameSamples> pcm, uint64_t tick);
    // Drops encoders that no listener used for a while (a group gone, a talker who left).
    void collect(uint64_t tick);
    void forget(uint64_t share_key);

    std::size_t size() const { return entries_.size(); }
    uint64_t encodes() const { return encodes_; }
    uint64_t reuses() const { return reuses_; }

  private:
    struct Entry {
        std::unique_ptr<codec::Encoder> encoder;
        uint64_t tick = UINT64_MAX;
        std::size_t size = 0;
        std::array<uint8_t, codec::kMaxPayloadBytes> payload{};
    };
    std::map<std::pair<uint64_t, codec::Kind>, Entry> entries_;
    uint64_t encodes_ = 0;
    uint64_t reuses_ = 0;
};

}  // namespace sidebar::mixer
