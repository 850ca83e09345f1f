// JitterBuffer: received packets in, one playout decision per 20 ms pull out (DESIGN.md
// sections 3 and 4). It reorders, drops duplicates and late packets, follows sequence and
// timestamp wrap, restarts on SSRC change or a jump, and keeps the playout delay near a target
// that adapts to the network's jitter between the configured minimum and maximum.
//
// Time is the caller's: packets carry their arrival time and get() is told the time of the
// pull, both in microseconds of one monotonic clock, so tests run on simulated time.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/codec/codec.hpp"
#include "common/jitter/delay_estimator.hpp"
#include "common/jitter/jitter_types.hpp"
#include "common/util/result.hpp"

namespace sidebar::jitter {

class JitterBuffer {
  public:
    // Refuses a configuration it cannot honour (clock rate, delays, capacity), with the reason.
    static Result<JitterBuffer> create(const JitterConfig& config);

    PutOutcome put(const IncomingPacket& packet);

    // Called once per 20 ms with the pull's time: what to play for those 20 ms.
    const PlayoutFrame& get(int64_t now_us);

    // The decoder found the last payload unit of the last get() to be `actual` RTP units long
    // (the buffer had to guess, e.g. for the first 60 ms packet of a stream): the play position
    // follows the audio that was really produced.
    void correct_duration(const PlayoutUnit& unit, uint32_t actual);

    JitterStats stats() const;
    const JitterConfig& config() const { return config_; }
    uint32_t frame_duration() const { return static_cast<uint32_t>(frame_ts_); }

  private:
    struct Slot {
        int64_t ext_seq = 0;  // sequence number extended past 16 bits
        int64_t ext_ts = 0;   // timestamp extended past 32 bits
        int64_t arrival_us = 0;
        uint32_t timestamp = 0;
        uint32_t duration = 0;  // 0 = unknown
        uint16_t seq = 0;
        uint16_t size = 0;
        bool marker = false;
    };
    static constexpr std::size_t kHistory = 512;  // sequence numbers remembered for duplicates

    explicit JitterBuffer(const JitterConfig& config);

    void begin_stream(const IncomingPacket& packet);
    bool needs_resync(const IncomingPacket& packet, int64_t seq_delta, int64_t ts_delta) const;
    void flush();
    void release_handed_out();
    void remember_seq(int64_t ext_seq);
    bool seen_seq(int64_t ext_seq) const;
    void insert_sorted(uint16_t slot);
    void drop_front(uint64_t& counter);

    bool try_anchor(int64_t now_us);
    int64_t delay_of(int64_t position, int64_t now_us) const;
    bool adjust_delay(int64_t now_us, int64_t need);
    void fill_units(int64_t now_us, int64_t need);
    uint32_t duration_at(std::size_t order_index);
    void add_unit(const PlayoutUnit& unit);
    void add_filler(int64_t duration, uint64_t& counter);

    int64_t ts_to_us(int64_t ts) const { return ts * 1'000'000 / config_.clock_rate; }
    int64_t us_to_ts(int64_t us) const { return us * config_.clock_rate / 1'000'000; }

    JitterConfig config_;
    int64_t frame_ts_;     // RTP units per 20 ms pull
    int64_t max_unit_ts_;  // longest packet accepted as one unit (60 ms)
    int64_t min_unit_ts_;  // shortest (2.5 ms)
    DelayEstimator estimator_;

    std::vector<Slot> slots_;
    std::vector<uint8_t> payloads_;  // slot i's payload at i * config_.max_payload_bytes
    std::span<const uint8_t> payload_of(uint16_t slot) const {
        return {payloads_.data() + std::size_t{slot} * config_.max_payload_bytes,
                slots_[slot].size};
    }
    std::vector<uint16_t> free_;        // slot indices not in use
    std::vector<uint16_t> order_;       // held slots by (ext_ts, ext_seq)
    std::vector<uint16_t> handed_out_;  // slots whose payload spans the last frame points at
    PlayoutFrame frame_;

    // Stream identity and unwrapping references (the highest sequence number seen).
    bool have_stream_ = false;
    uint32_t ssrc_ = 0;
    uint16_t highest_seq_ = 0;
    int64_t highest_ext_seq_ = 0;
    uint32_t highest_ts_ = 0;
    int64_t highest_ext_ts_ = 0;
    std::bitset<kHistory> history_;

    // Playout position. cursor_ is the stream timestamp of the next audio to hand out;
    // covered_ahead_ is audio already handed out beyond the listener's current position.
    bool started_ = false;
    bool anchored_ = false;
    int64_t cursor_ = 0;
    int64_t covered_ahead_ = 0;
    int64_t last_dur_;
    int64_t last_skip_us_ = INT64_MIN / 2;
    int64_t last_insert_us_ = INT64_MIN / 2;
    int64_t current_delay_us_ = 0;
    // The last payload unit of the last get(), which correct_duration() may adjust.
    bool last_unit_correctable_ = false;
    int64_t last_unit_ext_ts_ = 0;

    JitterStats stats_;
};

}  // namespace sidebar::jitter
