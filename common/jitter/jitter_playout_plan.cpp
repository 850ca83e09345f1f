// JitterBuffer, playout side: what each 20 ms pull plays. The play position (cursor_) walks the
// stream's timestamps; a hole with later packets held is loss, an empty buffer is an underrun
// that holds the position (the delay grows by what the network withheld), and a talkspurt
// start re-anchors the position so the delay can change where nobody hears it.
#include <algorithm>

#include "common/jitter/jitter_buffer.hpp"

namespace sidebar::jitter {

namespace {

constexpr int64_t kFrameUs = 20'000;
// Slow corrections: a skipped packet is audible, so at most one per half second (enough for a
// sender clock several percent fast); an inserted frame at most every three pulls.
constexpr int64_t kSkipIntervalUs = 500'000;
constexpr int64_t kInsertIntervalUs = 60'000;
constexpr int64_t kMaxJumpUs = 3'600'000'000;

}  // namespace

const PlayoutFrame& JitterBuffer::get(int64_t now_us) {
    release_handed_out();
    frame_.unit_count = 0;
    frame_.started = false;
    last_unit_correctable_ = false;
    if (!started_ && !try_anchor(now_us)) return frame_;
    frame_.started = true;
    estimator_.update();
    int64_t need = frame_ts_;
    if (covered_ahead_ >= need) {
        covered_ahead_ -= need;
        return frame_;
    }
    need -= covered_ahead_;
    covered_ahead_ = 0;
    fill_units(now_us, need);
    return frame_;
}

bool JitterBuffer::try_anchor(int64_t now_us) {
    if (order_.empty()) return false;
    const Slot& first = slots_[order_.front()];
    if (delay_of(first.ext_ts, now_us) < estimator_.target_us()) return false;
    cursor_ = first.ext_ts;
    anchored_ = true;
    started_ = true;
    return true;
}

int64_t JitterBuffer::delay_of(int64_t position, int64_t now_us) const {
    return now_us - ts_to_us(position) - estimator_.min_transit_us();
}

void JitterBuffer::fill_units(int64_t now_us, int64_t need) {
    if (!anchored_ && !try_anchor(now_us)) {
        add_filler(need, stats_.underruns);
        return;
    }
    // Packets that start before the play position can only be there after a jump.
    while (!order_.empty() && slots_[order_.front()].ext_ts < cursor_)
        drop_front(stats_.skipped);
    if (adjust_delay(now_us, need)) return;
    const int64_t max_gap = us_to_ts(int64_t{config_.max_delay_ms} * 1000);
    while (need > 0 && frame_.unit_count < PlayoutFrame::kMaxUnits) {
        if (order_.empty()) {
            add_filler(need, stats_.underruns);
            return;
        }
        const uint16_t index = order_.front();
        const Slot& next = slots_[index];
        const int64_t gap = next.ext_ts - cursor_;
        if (gap == 0) {
            const int64_t d = duration_at(0);
            current_delay_us_ =
                std::max<int64_t>(0, delay_of(cursor_ - (frame_ts_ - need), now_us));
            add_unit({UnitKind::payload,
                      next.seq,
                      next.timestamp,
                      static_cast<uint32_t>(d),
                      payload_of(index),
                      {}});
            ++stats_.played;
            handed_out_.push_back(index);
            order_.erase(order_.begin());
            last_unit_correctable_ = true;
            last_unit_ext_ts_ = cursor_;
            cursor_ += d;
            if (d >= need) {
                covered_ahead_ = d - need;
                need = 0;
            } else {
                need -= d;
            }
            continue;
        }
        if (next.marker || gap > max_gap) {
            // A new talkspurt after silence: start it once its delay reaches the target.
            anchored_ = false;
            if (!try_anchor(now_us)) {
                add_filler(need, stats_.underruns);
                return;
            }
            continue;
        }
        const int64_t d = std::min(gap, need);
        std::span<const uint8_t> fec;
        if (d == gap) fec = payload_of(index);
        add_unit(
            {UnitKind::lost, 0, static_cast<uint32_t>(cursor_), static_cast<uint32_t>(d), {}, fec});
        ++stats_.lost;
        cursor_ += d;
        need -= d;
    }
}

bool JitterBuffer::adjust_delay(int64_t now_us, int64_t need) {
    if (order_.empty()) return false;
    const int64_t delay = delay_of(cursor_ - (frame_ts_ - need), now_us);
    const int64_t target = estimator_.target_us();
    if (delay > int64_t{config_.max_delay_ms} * 1000 + kFrameUs) {
        // Above the maximum (a flood, a stall that went on): jump straight back to the target.
        // At most an hour at once, which keeps the arithmetic far from overflow whatever
        // timestamps a peer sends.
        const int64_t jump_to = cursor_ + us_to_ts(std::min(delay - target, kMaxJumpUs));
        while (!order_.empty() && slots_[order_.front()].ext_ts < jump_to)
            drop_front(stats_.skipped);
        cursor_ = order_.empty() ? jump_to : slots_[order_.front()].ext_ts;
        last_skip_us_ = now_us;
        return false;
    }
    // The band [target - 10 ms, target + 30 ms] is wider than the 20 ms a skip or an insert
    // moves the delay by, so the two never chase each other.
    if (delay > target + kFrameUs * 3 / 2) {
        if (now_us - last_skip_us_ < kSkipIntervalUs || order_.size() < 2) return false;
        const Slot& first = slots_[order_[0]];
        const Slot& second = slots_[order_[1]];
        if (first.ext_ts == cursor_ && !second.marker && second.ext_ts > cursor_ &&
            second.ext_ts - cursor_ <= max_unit_ts_) {
            drop_front(stats_.skipped);
            cursor_ = second.ext_ts;
            last_skip_us_ = now_us;
        }
        return false;
    }
    if (delay < target - kFrameUs / 2 && now_us - last_insert_us_ >= kInsertIntervalUs) {
        add_filler(need, stats_.inserted);
        last_insert_us_ = now_us;
        return true;
    }
    return false;
}

uint32_t JitterBuffer::duration_at(std::size_t order_index) {
    const Slot& slot = slots_[order_[order_index]];
    int64_t d = slot.duration;
    if (d == 0 && order_index + 1 < order_.size()) {
        const Slot& next = slots_[order_[order_index + 1]];
        const int64_t dseq = next.ext_seq - slot.ext_seq;
        const int64_t dts = next.ext_ts - slot.ext_ts;
        // Only a neighbour in the same talkspurt, with at most a few packets lost between.
        if (!next.marker && dseq >= 1 && dseq <= 8 && dts > 0 && dts % dseq == 0) d = dts / dseq;
    }
    if (d == 0) d = last_dur_;
    d = std::clamp(d, min_unit_ts_, max_unit_ts_);
    last_dur_ = d;
    return static_cast<uint32_t>(d);
}

void JitterBuffer::add_unit(const PlayoutUnit& unit) {
    if (frame_.unit_count >= PlayoutFrame::kMaxUnits) return;
    frame_.unit_storage[frame_.unit_count++] = unit;
    if (unit.kind != UnitKind::payload) last_unit_correctable_ = false;
}

void JitterBuffer::add_filler(int64_t duration, uint64_t& counter) {
    add_unit({UnitKind::filler, 0, 0, static_cast<uint32_t>(duration), {}, {}});
    ++counter;
}

void JitterBuffer::correct_duration(const PlayoutUnit& unit, uint32_t actual) {
    if (!last_unit_correctable_ || unit.kind != UnitKind::payload ||
        unit.timestamp != static_cast<uint32_t>(last_unit_ext_ts_)) {
        return;
    }
    last_unit_correctable_ = false;
    const int64_t real = std::clamp<int64_t>(actual, min_unit_ts_, max_unit_ts_);
    const int64_t delta = real - int64_t{unit.duration};
    if (delta == 0) return;
    cursor_ += delta;
    covered_ahead_ = std::max<int64_t>(0, covered_ahead_ + delta);
    last_dur_ = real;
}

}  // namespace sidebar::jitter
