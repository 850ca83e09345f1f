#!/usr/bin/python3
"""What callers hear with sidebars, measured on baresip recordings. Five callers, each sending its
own tone, join room 1000; the Python controller (harness/sip_controller.py) creates sidebar 1
(parent gain -12 dB) and moves p1 and p2 into it, then sidebar 2 and moves p3 into it; p4 and p5
stay in the main room; then both sidebars end with BYE. In each phase:
- members of a sidebar hear each other at full level (within +-1.5 dB of what they heard before
  any sidebar) and the main room at their sidebar's parent gain (the same ratio, +-1.5 dB of the
  setting), or nothing of it with parent gain "off";
- whoever is outside a sidebar (main room, or the other sidebar) does not hear its members: the
  tone is at least 50 dB below the level the same listener heard it at before, and no more than
  3 dB above the floor that listener had at that frequency in a control window in which the tone
  was in nobody's mix (TESTING.md): before the sidebars, the members about to go into them are
  muted through the admin API, which leaves the main room's mix of the phase under test (p1, p2
  muted for the phase with sidebar 1, p1, p2, p3 for the phase with both);
- after the BYEs everyone hears everyone at full level again.
Run once with PCMU for everyone, once with PCMU, G.722 and Opus mixed.

The tones are WAV files at -12 dBFS (aufile, 48 kHz) rather than ausine's ~-6 dBFS: a listener
hears four tones at once before and after the sidebars, and four at -6 dBFS would clip in the
mixer's saturating sum.
The frequencies are chosen so that no intermodulation product up to 7th order of the tones a
listener does hear (aliased at 8 kHz too) lands within 3 Hz of a tone that listener must not
hear: with PCMU the mix's own quantisation products would otherwise read as a leak (443, 1133,
1571 failed that: 3*1571 + 2*2210 - 8000 = 1133)."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mixer_it  # noqa: E402
import sidebar_it  # noqa: E402
from sidebar_it import ROOM  # noqa: E402
from harness import meter, process  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

TONES = {"p1": 464, "p2": 1148, "p3": 1646, "p4": 2210, "p5": 2870}
SB1, SB2, MAIN = ("p1", "p2"), ("p3",), ("p4", "p5")
SB1_GAIN_DB = -12.0
TONE_DBFS = -12.0
TONE_SECONDS = 120  # longer than a run: aufile stops at the end of its file
PROMPT_SECONDS = 3.5  # "you are member N" + chime after the last join, with margin
WINDOW_SECONDS = 3.0
SLICE_SECONDS = 0.5
MARGIN = 0.5  # cut from both ends of a window: our clock vs. the recording's, gain changes
GAIN_TOLERANCE_DB = 1.5
ABSENT_BELOW_PRESENT_DB = 50.0
ABSENT_OVER_FLOOR_DB = 3.0
# The control floor at a frequency is the control window's loudest 0.5 s slice there, while the
# absent tone is read over the whole window: where the floor is noise (Opus, G.722) one reading of
# it varies by several dB from window to window, and a +3 dB rule on two such readings would fail
# at random; a slice holds four times the noise of the whole window, a spectral line the same.
# A floor below FLOOR_CLAMP_DBFS counts as that. Down there a recording holds the G.711
# quantization products of the listener's own mix (or numerical silence: -140 to -190 dBFS were
# seen), which move by up to 8 dB between windows with the same mix (test_channels.py saw -85 to
# -96 at one frequency): the rule is about leaks, not a codec's last bits. A leak of a -12 dBFS
# tone at -80 would still be 68 dB down; the levels measured are printed, margins included.
FLOOR_CLAMP_DBFS = -80.0
# The control windows of each phase, taken with that phase's sidebars in place and the tones
# that must be absent muted (admin API): the floor of an absent tone is then measured on exactly
# the mix the listener hears in the phase, minus that one source. A quantizing codec's noise
# follows the mix, so a floor taken on another mix would not compare. In sb2, the sources a
# listener must not hear are muted in two windows (SB2, then SB1), so that the listeners of the
# other group keep their own mix unchanged while their floor is taken.
CONTROLS = {"sb1": [("sb1-quiet", SB1)], "sb2": [("sb2-quiet-a", SB2), ("sb2-quiet-b", SB1)]}
SENT_TOLERANCE_DB = 3.0  # what a listener hears with no sidebar vs. what the sender sent


class Window:
    def __init__(self, name, start, end):
        self.name, self.start, self.end = name, start, end


class SidebarAudioTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = Mixer(self.workdir)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)
        self.problems = []

    def stop_mixer(self):
        alive = self.mixer.process.running()
        self.assertEqual(self.mixer.stop(), 0, "mixer exit code on SIGTERM")
        self.assertTrue(alive, "mixer died during the test")

    # --- driving the calls -------------------------------------------------------------------

    def phones(self, codecs):
        tones = process.workdir("tones")
        phones = {}
        for name, hz in TONES.items():
            wav = os.path.join(tones, "tone-%dHz-%gdBFS-%ds.wav" % (hz, TONE_DBFS, TONE_SECONDS))
            sidebar_it.write_tone(wav, hz, TONE_DBFS, TONE_SECONDS)
            phones[name] = Baresip(name, self.workdir, wav=wav, codec=codecs[name])
            phones[name].start()
            self.addCleanup(phones[name].stop)
        return phones

    def join(self, phones):
        started = {}
        for p in phones.values():
            p.dial(self.mixer.room_uri(ROOM))
            p.wait_for_event("CALL_ESTABLISHED", 20)
            started[p.name] = time.monotonic()
            p.wait_for_event("CALL_RTPESTAB", 10)
        return started

    def window(self, name):
        start = time.monotonic()
        time.sleep(WINDOW_SECONDS)
        return Window(name, start, time.monotonic())

    def admin_op(self, number, op):
        status, body = self.mixer.admin("POST", "/rooms/%s/members/%d/%s" % (ROOM, number, op))
        self.assertEqual(status, 200, "%s member %d: %s" % (op, number, body))

    def move(self, ctl, sidebar, names, numbers):
        for name in names:
            r = ctl.refer(sidebar, ctl.member_uri(ROOM, numbers[name]))
            self.assertEqual((r.status, r.sipfrags), (202, [100, 200]),
                             "REFER %s (member %d) into sidebar %s: %s" %
                             (name, numbers[name], sidebar.number, r))

    # --- measuring ---------------------------------------------------------------------------

    def measure(self, phone, started, window):
        """(median over slices, one level over the whole window, loudest slice) of every tone
        `phone` heard in `window`. Present tones are judged by the median (a concealed packet
        makes one slice read low), absent ones by the whole window (the longest window has the
        lowest floor); a control window's floor is its loudest slice (see FLOOR_CLAMP_DBFS)."""
        first = window.start - started[phone.name] + MARGIN
        last = window.end - started[phone.name] - MARGIN
        prefix = os.path.join(self.workdir, "%s-%s" % (phone.name, window.name))
        median, loudest, slices = mixer_it.sliced_levels(phone.recording(), prefix,
                                                         TONES.values(), first, last,
                                                         SLICE_SECONDS)
        self.assertGreaterEqual(len(slices), 3, "%s: window %s too short" % (phone.name,
                                                                           window.name))
        whole = meter.levels(mixer_it.cut_wav(phone.recording(), prefix + "-whole.wav", first,
                                              last), TONES.values(), skip=0, until_end=0)
        print("%-3s %-8s median %s | whole %s" % (phone.name, window.name,
                                                  meter.format_levels(median),
                                                  meter.format_levels(whole)), flush=True)
        return median, whole, loudest

    def ratio(self, heard, ref, listener, source, want_db, phase):
        got = heard[listener][0][TONES[source]] - ref[listener][0][TONES[source]]
        ok = abs(got - want_db) <= GAIN_TOLERANCE_DB
        print("  %-6s %s hears %s at %+.1f dB re no sidebar (want %+.1f) %s" %
              (phase, listener, source, got, want_db, "ok" if ok else "WRONG"), flush=True)
        if not ok:
            self.problems.append("%s: %s hears %s at %+.1f dB relative to before the sidebars, "
                                 "expected %+.1f +- %.1f dB" % (phase, listener, source, got,
                                                                 want_db, GAIN_TOLERANCE_DB))

    def absent(self, heard, ref, floors, listener, source, phase):
        hz = TONES[source]
        level = heard[listener][1][hz]
        present = ref[listener][0][hz]
        limit, why = present - ABSENT_BELOW_PRESENT_DB, "%.0f dB below %.1f" % (
            ABSENT_BELOW_PRESENT_DB, present)
        floor = floors.get(listener, {}).get(hz)
        if floor is not None and max(floor, FLOOR_CLAMP_DBFS) + ABSENT_OVER_FLOOR_DB < limit:
            limit = max(floor, FLOOR_CLAMP_DBFS) + ABSENT_OVER_FLOOR_DB
            why = "control floor %.1f%s + %.0f dB" % (
                floor, " counted as %.0f" % FLOOR_CLAMP_DBFS if floor < FLOOR_CLAMP_DBFS else "",
                ABSENT_OVER_FLOOR_DB)
        ok = level <= limit
        print("  %-6s %s hears %s (%d Hz) at %.1f dBFS, limit %.1f (%s) %s" %
              (phase, listener, source, hz, level, limit, why, "ok" if ok else "WRONG"),
              flush=True)
        if not ok:
            self.problems.append("%s: %s hears %s's %d Hz at %.1f dBFS, must be at most %.1f (%s;"
                                 " it heard it at %.1f before the sidebars)" %
                                 (phase, listener, source, hz, level, limit, why, present))

    # --- the scenario ------------------------------------------------------------------------

    def run_case(self, codecs, sb2_gain):
        phones = self.phones(codecs)
        started = self.join(phones)
        numbers = {n: mixer_it.wait_member(self.mixer, ROOM, "sip:%s@" % n)["number"]
                   for n in phones}
        print("members %s, codecs %s" % (numbers, codecs), flush=True)
        time.sleep(PROMPT_SECONDS)
        windows = [self.window("all")]

        def controls(phase):
            for control, muted in CONTROLS[phase]:
                for name in muted:
                    self.admin_op(numbers[name], "mute")
                windows.append(self.window(control))
                for name in muted:
                    self.admin_op(numbers[name], "unmute")

        with sidebar_it.controller(self.mixer) as ctl:
            sb1 = ctl.create_sidebar(ROOM, parent_gain=SB1_GAIN_DB)
            self.move(ctl, sb1, SB1, numbers)
            controls("sb1")
            windows.append(self.window("sb1"))
            sb2 = ctl.create_sidebar(ROOM, parent_gain=sb2_gain)
            self.move(ctl, sb2, SB2, numbers)
            controls("sb2")
            windows.append(self.window("sb2"))
            self.assertEqual((ctl.bye(sb1), ctl.bye(sb2)), (200, 200), "BYE of the sidebars")
            for name in SB1 + SB2:
                sidebar_it.wait_placement(self.mixer, numbers[name], 0)
            windows.append(self.window("after"))
        for p in phones.values():
            p.hangup()
            p.wait_for_event("CALL_CLOSED", 10)
        for p in phones.values():
            p.stop()
        sent = {n: meter.levels(p.recordings("enc")[-1], [TONES[n]])[TONES[n]]
                for n, p in phones.items()}
        print("sent levels (enc recordings): %s" % sent, flush=True)
        heard = {w.name: {n: self.measure(p, started, w) for n, p in phones.items()}
                 for w in windows}
        self.check(heard, sent, sb2_gain)
        if self.problems:
            self.fail("%d problem(s) with %s:\n%s" % (len(self.problems), codecs,
                                                      "\n".join(self.problems)))

    def check(self, heard, sent, sb2_gain):
        ref = heard["all"]
        floors = {phase: {n: {TONES[s]: heard[control][n][2][TONES[s]]
                              for control, muted in quiet for s in muted if s != n}
                          for n in TONES}
                  for phase, quiet in CONTROLS.items()}
        everyone = tuple(TONES)
        for listener in everyone:  # the reference itself: everyone hears everyone as sent
            for source in everyone:
                level = ref[listener][0][TONES[source]]
                if source != listener and abs(level - sent[source]) > SENT_TOLERANCE_DB:
                    self.problems.append("all: %s hears %s at %.1f dBFS, sent at %.1f" %
                                         (listener, source, level, sent[source]))
        plan = {  # phase: {listener: {source: gain in dB, or None for absent}}
            "sb1": self.expect({SB1: SB1_GAIN_DB}, SB2 + MAIN),
            "sb2": self.expect({SB1: SB1_GAIN_DB, SB2: sb2_gain}, MAIN),
            "after": self.expect({}, everyone),
        }
        for phase, listeners in plan.items():
            for listener, sources in listeners.items():
                for source, gain in sources.items():
                    if gain is None:
                        self.absent(heard[phase], ref, floors.get(phase, {}), listener, source,
                                    phase)
                    else:
                        self.ratio(heard[phase], ref, listener, source, gain, phase)

    @staticmethod
    def expect(sidebars, main):
        """What each listener should hear of each source, given {members: parent gain} of the
        sidebars and the members of the main room: a gain in dB, or None (must be absent)."""
        group = {m: members for members in sidebars for m in members}
        group.update({m: main for m in main})
        out = {}
        for listener in TONES:
            out[listener] = {}
            for source in TONES:
                if source == listener:
                    continue
                if group[source] == group[listener]:
                    out[listener][source] = 0.0
                elif listener in main or source not in main:
                    out[listener][source] = None  # other sidebar, or main hearing a sidebar
                else:
                    gain = sidebars[group[listener]]
                    out[listener][source] = None if gain == "off" else float(gain)
        return out

    def test_pcmu(self):
        self.run_case({n: "PCMU" for n in TONES}, sb2_gain=-6)

    def test_mixed_codecs(self):
        self.run_case({"p1": "PCMU", "p2": "opus", "p3": "G722", "p4": "opus", "p5": "PCMU"},
                      sb2_gain="off")


if __name__ == "__main__":
    unittest.main()
