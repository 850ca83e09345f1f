// A room's 20 ms clock: a steady_timer with absolute deadlines (next = previous + 20 ms, never
// "now + 20 ms", so the clock does not drift). Each tick pulls every member's frame, mixes,
// encodes once per distinct mix and codec, and sends.
#include <chrono>
#include <ctime>
#include <filesystem>

#include "common/log/log.hpp"
#include "mixer/room/room.hpp"

namespace sidebar::mixer {

namespace {

constexpr auto kTick = std::chrono::milliseconds(20);
// Behind by more than this, the clock skips ahead instead of running a burst of late ticks.
constexpr auto kMaxBehind = std::chrono::milliseconds(200);
constexpr uint64_t kHousekeepingTicks = 50;  // once a second

int64_t to_us(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

void Room::start_clock() {
    if (clock_running_) return;
    clock_running_ = true;
    start_recording();
    deadline_ = std::chrono::steady_clock::now() + kTick;
    schedule_tick();
}

void Room::schedule_tick() {
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || !self->clock_running_) return;
        self->tick();
    });
}

void Room::tick() {
    const auto started = std::chrono::steady_clock::now();
    const auto lateness = started - deadline_;
    if (lateness > kTick / 2) {
        services_.counters->late_ticks->inc();
    }
    const int64_t now_us = to_us(started);
    ++tick_count_;
    receive_inputs(now_us);
    receive_legs(now_us);
    receive_channels(now_us);
    engine_.mix();
    send_outputs(now_us);
    send_legs(now_us);
    send_channels(now_us);
    if (!channels_.empty()) expire_channels(now_us);  // the menu's answer timeout, to the tick
    notify_routed_refers();
    if (tick_count_ % kHousekeepingTicks == 0) housekeeping(now_us);

    const auto finished = std::chrono::steady_clock::now();
    services_.counters->ticks->inc();
    services_.counters->tick_seconds->observe(
        std::chrono::duration<double>(finished - started).count());
    if (recording_.valid()) services_.recordings->push(recording_, engine_.group_mix(kMainGroup));
    if (members_.empty() && !console_) {
        clock_running_ = false;  // an empty room costs nothing; the next join restarts it
        room_player_.reset();
        stop_recording();
        return;
    }
    deadline_ += kTick;
    if (finished - deadline_ > kMaxBehind) {
        log::warn("mixer_clock_behind")
            .field("room", info_.number)
            .field(
                "behind_ms",
                std::chrono::duration_cast<std::chrono::milliseconds>(finished - deadline_).count())
            .msg("skipping ahead");
        deadline_ = finished + kTick;
    }
    schedule_tick();
}

void Room::receive_inputs(int64_t now_us) {
    for (auto& [number, member] : members_) {
        if (member.stream->pull(now_us, frame_)) {
            if (member.voice) member.voice->process(frame_);
            engine_.put_input(number, frame_);
        }
        if (member.player) {
            if (member.player->next_frame(frame_)) {
                engine_.add_member_announcement(number, frame_);
            } else {
                member.player.reset();  // greeting done: its buffers (and chime) go
            }
        }
        for (char d : member.stream->take_digits(now_us))
            digit(member.handle, d, "rfc4733");
    }
    if (console_ && console_->read_frame(frame_)) engine_.put_input(console_number_, frame_);
    if (room_player_ && room_player_->playing()) {
        room_player_->next_frame(frame_);
        engine_.add_group_announcement(kMainGroup, frame_);
    }
}

void Room::send_outputs(int64_t now_us) {
    if (console_) console_->write_frame(engine_.output(console_number_).pcm);
    for (auto& [number, member] : members_) {
        const ListenerOutput out = engine_.output(number);
        const EncodedFrame encoded =
            encoders_.encode(out.share_key, member.stream->codec(), out.pcm, tick_count_);
        const uint64_t sent_before = member.stream->stats().packets_out;
        member.stream->send(encoded.payload, encoded.timestamp_step, now_us);
        if (member.stream->stats().packets_out != sent_before) {
            services_.counters->packets_out->inc();
        }
    }
}

void Room::start_recording() {
    if (!info_.record || services_.recordings == nullptr || recording_.valid()) return;
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    const auto file = std::filesystem::path(services_.config->recording_dir) /
                      ("room-" + info_.number + "-" + stamp + ".wav");
    recording_ = services_.recordings->open(file, info_.number);
    log::info("recording_started")
        .field("room", info_.number)
        .field("file", file.string())
        .msg("main mix");
}

void Room::stop_recording() {
    if (!recording_.valid()) return;
    services_.recordings->close(recording_);
    recording_ = RecordingId{};
    log::info("recording_stopped").field("room", info_.number).msg("room empty");
}

void Room::report_counters(Member& member) {
    // Packet counters go to the process totals once a second, not per packet.
    const auto& stats = member.stream->stats();
    const uint64_t dropped =
        stats.dropped_foreign + stats.dropped_malformed + stats.dropped_payload_type;
    services_.counters->packets_in->inc(stats.packets_in - member.reported_in);
    services_.counters->packets_dropped->inc(dropped - member.reported_dropped);
    member.reported_in = stats.packets_in;
    member.reported_dropped = dropped;
}

void Room::housekeeping(int64_t now_us) {
    encoders_.collect(tick_count_);
    std::vector<uint32_t> timed_out;
    for (auto& [number, member] : members_) {
        member.speaking = engine_.is_contributing(number);
        if (member.stream->timed_out(now_us)) timed_out.push_back(number);
        report_counters(member);
    }
    for (uint32_t number : timed_out) {
        if (Member* member = find_number(number)) remove(*member, "rtp_timeout", true);
    }
    notify_roster();  // who is speaking, at most once a second
}

}  // namespace sidebar::mixer
