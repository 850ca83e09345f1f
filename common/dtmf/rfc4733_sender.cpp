// Rfc4733Sender: the packet schedule of one digit.
#include "common/dtmf/rfc4733_sender.hpp"

#include <algorithm>
#include <string>

#include "common/dtmf/digit.hpp"

namespace sidebar::dtmf {

Result<Rfc4733Sender> Rfc4733Sender::create(const SenderOptions& options, uint16_t first_seq) {
    if (options.clock_rate < 8000 || options.clock_rate > 48000) {
        return make_error("rfc4733 sender: clock_rate must be 8000..48000, got " +
                          std::to_string(options.clock_rate));
    }
    if (options.interval_ms < 10 || options.interval_ms > 100) {
        return make_error("rfc4733 sender: interval_ms must be 10..100, got " +
                          std::to_string(options.interval_ms));
    }
    if (options.volume > kMaxVolume) {
        return make_error("rfc4733 sender: volume must be 0..63, got " +
                          std::to_string(options.volume));
    }
    if (options.end_repeats < 1 || options.end_repeats > 5) {
        return make_error("rfc4733 sender: end_repeats must be 1..5, got " +
                          std::to_string(options.end_repeats));
    }
    return Rfc4733Sender(options, first_seq);
}

Status Rfc4733Sender::start(char digit, uint32_t timestamp, int duration_ms) {
    if (active_) return make_error("rfc4733 sender: a digit is still being sent");
    const auto event = digit_to_event(digit);
    if (!event) {
        return make_error(std::string("rfc4733 sender: '") + digit + "' is not a DTMF digit");
    }
    // One segment at most: the duration field holds 65535 units, 8.19 s at 8 kHz.
    const int64_t max_ms = int64_t{0xFFFF} * 1000 / options_.clock_rate;
    if (duration_ms < 40 || duration_ms > std::min<int64_t>(8000, max_ms)) {
        return make_error("rfc4733 sender: duration " + std::to_string(duration_ms) +
                          " ms is outside 40.." + std::to_string(std::min<int64_t>(8000, max_ms)));
    }
    active_ = true;
    event_ = *event;
    timestamp_ = timestamp;
    total_ = static_cast<uint32_t>(int64_t{duration_ms} * options_.clock_rate / 1000);
    elapsed_ = 0;
    packets_sent_ = 0;
    ends_sent_ = 0;
    return Ok{};
}

std::optional<EventPacket> Rfc4733Sender::next() {
    if (!active_) return std::nullopt;
    const uint32_t step = static_cast<uint32_t>(options_.interval_ms * options_.clock_rate / 1000);
    // The first packet reports the start (duration 0); each later one an interval more, until
    // the full duration, which the end packets repeat.
    if (packets_sent_ > 0) elapsed_ = std::min(total_, elapsed_ + step);
    TelephoneEvent event;
    event.event = event_;
    event.volume = options_.volume;
    event.duration = static_cast<uint16_t>(elapsed_);
    event.end = elapsed_ >= total_;
    EventPacket packet;
    packet.seq = seq_++;
    packet.timestamp = timestamp_;
    packet.marker = packets_sent_ == 0;
    packet.end = event.end;
    packet.payload = build_telephone_event(event);
    ++packets_sent_;
    if (event.end && ++ends_sent_ >= options_.end_repeats) active_ = false;
    return packet;
}

}  // namespace sidebar::dtmf
