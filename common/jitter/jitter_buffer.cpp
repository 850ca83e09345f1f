// JitterBuffer: the receive side (put: validation, unwrapping, duplicates, late packets,
// resync, overflow) and the slot bookkeeping. The playout side is in jitter_playout_plan.cpp.
#include "common/jitter/jitter_buffer.hpp"

#include <algorithm>
#include <string>

namespace sidebar::jitter {

namespace {

// A sequence jump this large is a new stream (a restarted sender), not loss or reordering.
constexpr int64_t kMaxSeqJump = 1000;
constexpr std::size_t kMaxCapacity = 1024;
constexpr int64_t kMaxExtTs = int64_t{1} << 42;

}  // namespace

Result<JitterBuffer> JitterBuffer::create(const JitterConfig& config) {
    if (config.clock_rate < 8000 || config.clock_rate > 96000 || config.clock_rate % 400 != 0) {
        return make_error("jitter: clock_rate must be 8000..96000 and a multiple of 400, got " +
                          std::to_string(config.clock_rate));
    }
    if (config.min_delay_ms < 0 || config.max_delay_ms > 2000 ||
        config.min_delay_ms > config.max_delay_ms) {
        return make_error(
            "jitter: delays must satisfy 0 <= min_delay_ms <= max_delay_ms <= 2000, "
            "got " +
            std::to_string(config.min_delay_ms) + ".." + std::to_string(config.max_delay_ms));
    }
    if (config.max_payload_bytes == 0 || config.max_payload_bytes > codec::kMaxPayloadBytes) {
        return make_error("jitter: max_payload_bytes must be 1.." +
                          std::to_string(codec::kMaxPayloadBytes) + ", got " +
                          std::to_string(config.max_payload_bytes));
    }
    if (config.capacity < 4 || config.capacity > kMaxCapacity) {
        return make_error("jitter: capacity must be 4..1024 packets, got " +
                          std::to_string(config.capacity));
    }
    return JitterBuffer(config);
}

JitterBuffer::JitterBuffer(const JitterConfig& config)
    : config_(config),
      frame_ts_(config.clock_rate / 50),
      max_unit_ts_(config.clock_rate * 60 / 1000),
      min_unit_ts_(config.clock_rate / 400),
      estimator_(int64_t{config.min_delay_ms} * 1000, int64_t{config.max_delay_ms} * 1000),
      last_dur_(config.clock_rate / 50) {
    // Payloads handed out stay reserved until the next get(), so they never count against
    // the capacity the caller configured.
    const std::size_t total = config.capacity + PlayoutFrame::kMaxUnits;
    slots_.resize(total);
    payloads_.resize(total * config.max_payload_bytes);
    free_.reserve(total);
    for (std::size_t i = total; i-- > 0;)
        free_.push_back(static_cast<uint16_t>(i));
    order_.reserve(total);
    handed_out_.reserve(PlayoutFrame::kMaxUnits);
}

PutOutcome JitterBuffer::put(const IncomingPacket& packet) {
    ++stats_.received;
    if (packet.payload.empty() || packet.payload.size() > config_.max_payload_bytes) {
        ++stats_.invalid;
        return PutOutcome::invalid;
    }
    if (!have_stream_) begin_stream(packet);
    int64_t seq_delta = static_cast<int16_t>(static_cast<uint16_t>(packet.seq - highest_seq_));
    int64_t ts_delta = static_cast<int32_t>(packet.timestamp - highest_ts_);
    if (needs_resync(packet, seq_delta, ts_delta)) {
        ++stats_.resyncs;
        stats_.skipped += order_.size();
        flush();
        begin_stream(packet);
        seq_delta = 0;
        ts_delta = 0;
    }
    const int64_t ext_seq = highest_ext_seq_ + seq_delta;
    const int64_t ext_ts = highest_ext_ts_ + ts_delta;
    if (seen_seq(ext_seq)) {
        ++stats_.duplicates;
        return PutOutcome::duplicate;
    }
    // Every arrival, late ones most of all, tells the estimator what the network is doing.
    estimator_.on_arrival(packet.arrival_us - ts_to_us(ext_ts));
    if (started_ && ext_ts < cursor_) {
        if (!(packet.marker && order_.empty())) {
            ++stats_.late;
            return PutOutcome::late;
        }
        // A talkspurt that starts behind the play position while nothing else is held: play
        // it from its start, which lengthens the delay between talkspurts, where no one hears.
        anchored_ = false;
        cursor_ = ext_ts;
    }
    if (order_.size() >= config_.capacity) {
        if (ext_ts < slots_[order_.front()].ext_ts) {
            ++stats_.overflow;
            return PutOutcome::overflow;
        }
        drop_front(stats_.overflow);
    }
    const uint16_t index = free_.back();
    free_.pop_back();
    Slot& slot = slots_[index];
    slot.ext_seq = ext_seq;
    slot.ext_ts = ext_ts;
    slot.arrival_us = packet.arrival_us;
    slot.timestamp = packet.timestamp;
    slot.duration = packet.duration;
    slot.seq = packet.seq;
    slot.marker = packet.marker;
    slot.size = static_cast<uint16_t>(packet.payload.size());
    std::copy(packet.payload.begin(), packet.payload.end(),
              payloads_.begin() + static_cast<std::ptrdiff_t>(index * config_.max_payload_bytes));
    insert_sorted(index);
    remember_seq(ext_seq);
    if (ext_seq == highest_ext_seq_ + 1 && !packet.marker && ts_delta > 0 &&
        ts_delta <= max_unit_ts_) {
        // Consecutive packets give the sender's packet length, the best guess for packets
        // whose successor has not arrived when they must play.
        last_dur_ = ts_delta;
    }
    if (ext_seq > highest_ext_seq_) {
        highest_ext_seq_ = ext_seq;
        highest_seq_ = packet.seq;
        highest_ext_ts_ = ext_ts;
        highest_ts_ = packet.timestamp;
    }
    return PutOutcome::accepted;
}

void JitterBuffer::begin_stream(const IncomingPacket& packet) {
    have_stream_ = true;
    ssrc_ = packet.ssrc;
    highest_seq_ = packet.seq;
    highest_ts_ = packet.timestamp;
    // Extended values start far from zero so that reordered packets before the first one
    // stay positive and ordinary.
    highest_ext_seq_ = int64_t{1} << 32;
    highest_ext_ts_ = (int64_t{1} << 40) + packet.timestamp;
    history_.reset();
    estimator_.reset();
    anchored_ = false;
    cursor_ = 0;  // below every extended timestamp: nothing of the new stream is late
    // The first packet of the stream is not yet remembered: it passes the duplicate check.
}

bool JitterBuffer::needs_resync(const IncomingPacket& packet, int64_t seq_delta,
                                int64_t ts_delta) const {
    if (packet.ssrc != ssrc_) return true;
    if (seq_delta > kMaxSeqJump || seq_delta < -kMaxSeqJump) return true;
    // Rebase long before extended timestamps in microseconds could overflow (a year of audio
    // at 96 kHz, or a peer that jumps its timestamps on every packet).
    if (highest_ext_ts_ > kMaxExtTs) return true;
    // A newer packet whose timestamp went back by over a second is a restarted sender. Forward
    // timestamp jumps are ordinary: silence suppression skips time but not sequence numbers.
    return seq_delta > 0 && ts_delta < -int64_t{config_.clock_rate};
}

void JitterBuffer::flush() {
    for (uint16_t index : order_)
        free_.push_back(index);
    order_.clear();
}

void JitterBuffer::release_handed_out() {
    for (uint16_t index : handed_out_)
        free_.push_back(index);
    handed_out_.clear();
}

void JitterBuffer::remember_seq(int64_t ext_seq) {
    if (ext_seq > highest_ext_seq_) {
        // Forget the sequence numbers that fall out of the window as it moves forward.
        const int64_t advance = std::min<int64_t>(ext_seq - highest_ext_seq_, kHistory);
        for (int64_t s = ext_seq - advance + 1; s <= ext_seq; ++s)
            history_.reset(static_cast<std::size_t>(s % int64_t{kHistory}));
    }
    history_.set(static_cast<std::size_t>(ext_seq % int64_t{kHistory}));
}

bool JitterBuffer::seen_seq(int64_t ext_seq) const {
    if (ext_seq > highest_ext_seq_) return false;
    if (highest_ext_seq_ - ext_seq >= int64_t{kHistory}) return false;
    return history_.test(static_cast<std::size_t>(ext_seq % int64_t{kHistory}));
}

void JitterBuffer::insert_sorted(uint16_t slot) {
    const Slot& s = slots_[slot];
    // Packets nearly always arrive in order: search from the back.
    auto it = order_.end();
    while (it != order_.begin()) {
        const Slot& prev = slots_[*(it - 1)];
        if (prev.ext_ts < s.ext_ts || (prev.ext_ts == s.ext_ts && prev.ext_seq < s.ext_seq)) break;
        --it;
    }
    order_.insert(it, slot);
}

void JitterBuffer::drop_front(uint64_t& counter) {
    free_.push_back(order_.front());
    order_.erase(order_.begin());
    ++counter;
}

JitterStats JitterBuffer::stats() const {
    JitterStats s = stats_;
    s.current_delay_ms = static_cast<int>(current_delay_us_ / 1000);
    s.target_delay_ms = static_cast<int>(estimator_.target_us() / 1000);
    s.buffered_packets = order_.size();
    return s;
}

}  // namespace sidebar::jitter
