#!/usr/bin/python3
"""What members of a sidebar-mixer room hear, measured on baresip recordings: each hears every
other member's tone at the level it was sent (the mixer adds no gain) and never its own; mute
removes a member as a source, deaf as a listener; and members with different codecs (PCMU,
G722, opus) hear each other. Joining plays "you are member N" (~2 s) to the joiner and a chime
to the room, so tones are measured in windows that start after the last join's prompts."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mixer_it  # noqa: E402
from harness import meter  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

ROOM = "1000"
TONES = {"m1": 440, "m2": 1130, "m3": 1570}
UNSENT_HZ = 2210
FREQS = tuple(TONES.values()) + (UNSENT_HZ,)
PROMPT_SECONDS = 3.5  # "you are member N" + chime, with margin
WINDOW_SECONDS = 3.0
SLICE_SECONDS = 0.5
MARGIN = 0.5  # seconds cut from both ends of a window: our clock vs. the recording's start
# A tone heard through the mixer is within this of the sender's own level (its enc recording).
LEVEL_TOLERANCE_DB = 2.0
MIN_SEPARATION_DB = 40.0


class Window:
    def __init__(self, name, start, end):
        self.name, self.start, self.end = name, start, end


class MixerAudioTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = Mixer(self.workdir)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)

    def stop_mixer(self):
        alive = self.mixer.process.running()
        self.assertEqual(self.mixer.stop(), 0, "mixer exit code on SIGTERM")
        self.assertTrue(alive, "mixer died during the test")

    def join(self, phones):
        """Dials every phone into the room; returns {name: monotonic time its call started}."""
        started = {}
        for p in phones:
            p.dial(self.mixer.room_uri(ROOM))
            p.wait_for_event("CALL_ESTABLISHED", 20)
            started[p.name] = time.monotonic()
            p.wait_for_event("CALL_RTPESTAB", 10)
        return started

    def number_of(self, phone):
        return mixer_it.wait_member(self.mixer, ROOM, "sip:%s@" % phone.user)["number"]

    def hang_up(self, phones):
        for p in phones:
            p.hangup()
            p.wait_for_event("CALL_CLOSED", 10)

    def levels(self, phone, started, window):
        """(median, loudest) tone levels heard by `phone` from window.start to window.end
        (monotonic), in SLICE_SECONDS slices (see mixer_it.sliced_levels); printed per slice
        so that glitches stay visible."""
        median, loudest, slices = mixer_it.sliced_levels(
            phone.recording(), os.path.join(self.workdir, "%s-%s" % (phone.name, window.name)),
            FREQS, window.start - started[phone.name] + MARGIN,
            window.end - started[phone.name] - MARGIN, SLICE_SECONDS)
        self.assertGreaterEqual(len(slices), 3, "%s: window %s too short" % (phone.name,
                                                                           window.name))
        print("%-4s %-9s heard (median of %d slices) %s; per slice %s" %
              (phone.name, window.name, len(slices), meter.format_levels(median),
               " | ".join(meter.format_levels(s) for s in slices)), flush=True)
        return median, loudest

    def sent_level(self, phone, hz):
        """The level of `hz` in what `phone` sent (its enc recording), after the first second:
        the level every other member must hear it at, since the mixer adds no gain."""
        return meter.levels(phone.recordings("enc")[-1], [hz])[hz]

    def window(self, name, seconds=WINDOW_SECONDS):
        start = time.monotonic()
        time.sleep(seconds)  # the window itself: audio flows
        return Window(name, start, time.monotonic())

    def test_three_members_mute_deaf(self):
        phones = [Baresip(n, self.workdir, tone_hz=hz, codec="PCMU") for n, hz in TONES.items()]
        for p in phones:
            p.start()
            self.addCleanup(p.stop)
        m1, m2, m3 = phones
        started = self.join(phones)
        numbers = {p.name: self.number_of(p) for p in phones}
        print("member numbers: %s" % numbers, flush=True)
        time.sleep(PROMPT_SECONDS)
        all_on = self.window("all")
        status, body = self.mixer.admin(
            "POST", "/rooms/%s/members/%d/mute" % (ROOM, numbers["m1"]))
        self.assertEqual(status, 200, body)
        muted = self.window("m1-muted")
        status, body = self.mixer.admin(
            "POST", "/rooms/%s/members/%d/deaf" % (ROOM, numbers["m2"]))
        self.assertEqual(status, 200, body)
        deaf = self.window("m2-deaf")
        self.hang_up(phones)
        for p in phones:
            p.stop()

        sent = {p.name: self.sent_level(p, TONES[p.name]) for p in phones}
        print("sent levels (enc recordings): %s" % sent, flush=True)
        # Everyone, all on: the other two at their sent level, own and unsent absent.
        for p in phones:
            lv, loud = self.levels(p, started, all_on)
            others = [q for q in phones if q is not p]
            heard = [meter.assert_present(lv, TONES[q.name], sent[q.name], LEVEL_TOLERANCE_DB,
                                          "%s hears %s" % (p.name, q.name)) for q in others]
            floor = min(heard) - MIN_SEPARATION_DB
            meter.assert_absent(loud, TONES[p.name], floor, "%s own tone" % p.name)
            meter.assert_absent(loud, UNSENT_HZ, floor, "%s unsent tone" % p.name)
        # m1 muted: m2 and m3 no longer hear 440 Hz, still hear each other.
        for p, other in ((m2, m3), (m3, m2)):
            lv, loud = self.levels(p, started, muted)
            far = meter.assert_present(lv, TONES[other.name], sent[other.name],
                                       LEVEL_TOLERANCE_DB, "%s hears %s (m1 muted)" %
                                       (p.name, other.name))
            meter.assert_absent(loud, TONES["m1"], far - MIN_SEPARATION_DB,
                                "%s hears muted m1" % p.name)
        # m2 deaf: its recording has none of the tones; m3 still hears m2.
        lv, loud = self.levels(m2, started, deaf)
        reference = sent["m3"]
        for hz in FREQS:
            meter.assert_absent(loud, hz, reference - MIN_SEPARATION_DB,
                                "deaf m2 hears %d Hz" % hz)
        lv, loud = self.levels(m3, started, deaf)
        meter.assert_present(lv, TONES["m2"], sent["m2"], LEVEL_TOLERANCE_DB,
                             "m3 hears deaf m2")

    def test_mixed_codecs(self):
        setup = (("pcmu", "PCMU", 440), ("g722", "G722", 1130), ("opus", "opus", 1570))
        phones = [Baresip(n, self.workdir, tone_hz=hz, codec=c) for n, c, hz in setup]
        tone = {n: hz for n, _, hz in setup}
        for p in phones:
            p.start()
            self.addCleanup(p.stop)
        started = self.join(phones)
        roster = mixer_it.members(self.mixer, ROOM)
        print("codecs in the room: %s" % {m["uri"]: m["codec"] for m in roster}, flush=True)
        self.assertEqual(sorted(m["codec"].lower() for m in roster), ["g722", "opus", "pcmu"])
        time.sleep(PROMPT_SECONDS)
        win = self.window("mixed")
        self.hang_up(phones)
        for p in phones:
            p.stop()
        sent = {p.name: self.sent_level(p, tone[p.name]) for p in phones}
        print("sent levels (enc recordings): %s" % sent, flush=True)
        for p in phones:
            lv, loud = self.levels(p, started, win)
            heard = [meter.assert_present(lv, tone[q.name], sent[q.name], LEVEL_TOLERANCE_DB,
                                          "%s hears %s" % (p.name, q.name))
                     for q in phones if q is not p]
            meter.assert_absent(loud, tone[p.name], min(heard) - MIN_SEPARATION_DB,
                                "%s own tone" % p.name)


if __name__ == "__main__":
    unittest.main()
