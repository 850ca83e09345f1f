// One encoder per (mix, codec), one encoding per tick.
#include "mixer/room/encoder_cache.hpp"

#include "common/log/log.hpp"

namespace sidebar::mixer {

namespace {
constexpr uint64_t kUnusedTicks = 250;  // 5 s
}

EncodedFrame EncoderCache::encode(uint64_t share_key, codec::Kind kind,
                                  std::span<const int16_t, codec::kFrameSamples> pcm,
                                  uint64_t tick) {
    auto found = entries_.find({share_key, kind});
    if (found == entries_.end()) {
        auto encoder = codec::create_encoder(kind);
        if (!encoder) {
            // Nothing is kept, so the next tick tries again (and says so again).
            log::error("encoder_failed")
                .field("codec", codec::to_string(kind))
                .msg(encoder.message());
            return {};
        }
        found = entries_.try_emplace({share_key, kind}).first;
        found->second.encoder = std::move(*encoder);
    }
    Entry& entry = found->second;
    if (entry.tick != tick) {
        entry.tick = tick;
        auto size = entry.encoder->encode(pcm, entry.payload);
        entry.size = size ? *size : 0;
        ++encodes_;
    } else {
        ++reuses_;
    }
    EncodedFrame out;
    out.payload = std::span<const uint8_t>(entry.payload.data(), entry.size);
    out.timestamp_step = entry.encoder->timestamp_step();
    return out;
}

void EncoderCache::collect(uint64_t tick) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (it->second.tick != UINT64_MAX && tick > it->second.tick + kUnusedTicks) {
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
}

void EncoderCache::forget(uint64_t share_key) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = it->first.first == share_key ? entries_.erase(it) : std::next(it);
    }
}

}  // namespace sidebar::mixer
