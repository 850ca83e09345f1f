// The mixer's Prometheus metrics, registered once.
#include "mixer/room/room_types.hpp"

namespace sidebar::mixer {

MixerCounters::MixerCounters()
    : calls_total(registry.counter("sidebar_mixer_calls_total", "Calls admitted to a room")),
      calls_active(registry.int_gauge("sidebar_mixer_calls", "Dialogs the mixer holds now")),
      members(registry.int_gauge("sidebar_mixer_members", "Members in all rooms now")),
      packets_in(registry.counter("sidebar_mixer_rtp_packets_in_total", "RTP packets received")),
      packets_out(registry.counter("sidebar_mixer_rtp_packets_out_total", "RTP packets sent")),
      packets_dropped(registry.counter("sidebar_mixer_rtp_packets_dropped_total",
                                       "Packets dropped: foreign address, malformed, bad type")),
      ticks(registry.counter("sidebar_mixer_ticks_total", "Room mixer ticks run")),
      late_ticks(registry.counter("sidebar_mixer_late_ticks_total",
                                  "Ticks that started over 10 ms after their deadline")),
      digits(registry.counter("sidebar_mixer_dtmf_digits_total", "DTMF digits received")),
      invites_refused(registry.counter("sidebar_mixer_invites_refused_total",
                                       "INVITEs answered with an error")),
      tick_seconds(registry.histogram(
          "sidebar_mixer_tick_seconds", "Time to mix and send one tick of one room",
          {50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 20e-3})) {}

}  // namespace sidebar::mixer
