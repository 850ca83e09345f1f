// Rfc4733Receiver: the per-stream event state machine.
#include "common/dtmf/rfc4733_receiver.hpp"

#include "common/dtmf/digit.hpp"

namespace sidebar::dtmf {

namespace {

// A duration that falls by more than this is a wrap past 65535, not a reordered update.
constexpr uint16_t kWrapDrop = 0x8000;

}  // namespace

Rfc4733Receiver::Rfc4733Receiver(int clock_rate, int64_t end_timeout_us)
    : clock_rate_(clock_rate >= 1000 && clock_rate <= 96000 ? clock_rate : 8000),
      end_timeout_us_(end_timeout_us > 0 ? end_timeout_us : 500'000) {}

Status Rfc4733Receiver::on_packet(uint16_t seq, uint32_t timestamp, bool marker,
                                  std::span<const uint8_t> payload, int64_t now_us,
                                  std::vector<DigitEvent>& out) {
    // Events are told apart by timestamp, and the duration orders updates: the sequence number
    // and marker add nothing a lost or reordered packet would not make unreliable.
    (void)seq;
    (void)marker;
    ++stats_.packets;
    poll(now_us, out);
    auto parsed = parse_telephone_events(payload);
    if (!parsed) {
        ++stats_.malformed;
        return parsed.error();
    }
    // Several blocks in one packet (RFC 4733 2.5.1.5): the packet's timestamp is the first
    // event's start and each later event starts where the one before it ended.
    uint32_t start = timestamp;
    for (const TelephoneEvent& block : parsed->view()) {
        on_block(start, block, now_us, out);
        start += block.duration;
    }
    return Ok{};
}

void Rfc4733Receiver::poll(int64_t now_us, std::vector<DigitEvent>& out) {
    if (in_event() && now_us - current_.last_packet_us > end_timeout_us_) {
        ++stats_.timeouts;
        finish(true, out);
    }
}

void Rfc4733Receiver::reset(std::vector<DigitEvent>& out) {
    if (in_event()) finish(false, out);
    current_ = Current{};
    finished_.fill(Finished{});
}

void Rfc4733Receiver::on_block(uint32_t start, const TelephoneEvent& block, int64_t now_us,
                               std::vector<DigitEvent>& out) {
    if (!event_to_digit(block.event)) {
        ++stats_.unknown_events;
        return;
    }
    if (current_.active && block.event == current_.event && start == current_.segment_ts) {
        if (current_.ended) {
            ++stats_.redundant;
            return;
        }
        update_duration(block.duration);
        current_.last_packet_us = now_us;
        if (block.end) finish(false, out);
        return;
    }
    if (continues_segment(start, block)) {
        current_.earlier += static_cast<uint32_t>(start - current_.segment_ts);
        current_.segment_ts = start;
        current_.last_duration = block.duration;
        current_.last_packet_us = now_us;
        if (block.end) finish(false, out);
        return;
    }
    if (was_finished(start, block.event)) {
        ++stats_.redundant;
        return;
    }
    if (current_.active && static_cast<int32_t>(start - current_.segment_ts) < 0 &&
        (in_event() || now_us - current_.last_packet_us < end_timeout_us_)) {
        // An event that started before the current one and was never seen: reporting it now
        // would put digits out of order. Long after the current one, an "older" timestamp is
        // rather a sender that restarted its timestamps, and starts a new event.
        ++stats_.stale;
        return;
    }
    if (in_event()) finish(false, out);  // a new event supersedes an unfinished one
    begin(start, block, now_us, out);
}

void Rfc4733Receiver::update_duration(uint16_t duration) {
    if (duration >= current_.last_duration) {
        current_.last_duration = duration;
    } else if (current_.last_duration - duration > kWrapDrop) {
        // Some senders let a long press's duration wrap with the same timestamp.
        current_.earlier += 0x10000;
        current_.last_duration = duration;
    }
    // Otherwise an older update arrived after a newer one: keep the newer.
}

bool Rfc4733Receiver::continues_segment(uint32_t start, const TelephoneEvent& block) const {
    // RFC 4733 2.5.1.3: a press longer than 65535 units goes on as a new segment, same event,
    // timestamp moved on by the previous segment's length, no end bit on the earlier segment.
    if (!in_event() || block.event != current_.event) return false;
    if (current_.last_duration < kWrapDrop) return false;
    const uint32_t advance = start - current_.segment_ts;
    return advance > 0 && advance <= uint32_t{current_.last_duration} + uint32_t(clock_rate_);
}

bool Rfc4733Receiver::was_finished(uint32_t start, uint8_t event) const {
    for (const Finished& f : finished_) {
        if (f.valid && f.event == event && f.segment_ts == start) return true;
    }
    return false;
}

void Rfc4733Receiver::begin(uint32_t start, const TelephoneEvent& block, int64_t now_us,
                            std::vector<DigitEvent>& out) {
    current_ = Current{true, false, block.event, start, start, block.duration, 0, now_us};
    DigitEvent pressed;
    pressed.type = DigitEvent::Type::pressed;
    pressed.digit = *event_to_digit(block.event);
    pressed.timestamp = start;
    out.push_back(pressed);
    if (block.end) finish(false, out);
}

void Rfc4733Receiver::finish(bool timed_out, std::vector<DigitEvent>& out) {
    current_.ended = true;
    finished_[finished_next_] = {true, current_.event, current_.segment_ts};
    finished_next_ = (finished_next_ + 1) % kFinishedKept;
    DigitEvent released;
    released.type = DigitEvent::Type::released;
    released.digit = *event_to_digit(current_.event);
    released.timestamp = current_.start_ts;
    released.duration = current_.earlier + current_.last_duration;
    released.duration_ms = static_cast<uint32_t>(released.duration * 1000 / uint64_t(clock_rate_));
    released.timed_out = timed_out;
    out.push_back(released);
}

}  // namespace sidebar::dtmf
