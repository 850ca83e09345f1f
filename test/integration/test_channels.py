#!/usr/bin/python3
"""Service channels of sidebar-mixer (DESIGN.md 4 and 5.3, the contract's "Service channels"):
- the menu key: a member (sipp) sends SIP INFO Signal=*; the mixer INVITEs menu.ivr_uri (sipp as
  the IVR checks X-Conference, X-Member, From, Contact and the SDP offer, and answers with its
  media on a Python RTP socket); the member's next digit (INFO Signal=5) reaches that socket as
  RFC 4733 telephone-event packets, not as audio; the member's hang-up makes the mixer BYE the
  channel;
- an IVR that refuses (480) or does not answer in time: event=menu_failed, and the member
  (baresip, pressing * as RFC 4733) hears the error tone, three beeps of 480 + 620 Hz at about
  -18 dBFS each, where before the key press there was none of it;
- a channel the controller opens (INVITE member=1000.<A>, signed) with its own RTP: A hears the
  channel's tone at the level it was sent and B and C 10 dB lower; B and C no longer hear A; the
  controller hears A and neither B nor C (nor its own tone); after the controller's BYE all is as
  before."""

import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import channels_it  # noqa: E402
import mixer_it  # noqa: E402
import sidebar_it  # noqa: E402
from channels_it import Window  # noqa: E402
from sidebar_it import ROOM  # noqa: E402
from harness import meter, ports, process  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.process import wait_until  # noqa: E402
from harness.rtp_peer import RtpPeer, pcmu_decode, pcmu_tone, sdp_address  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

PROMPT_SECONDS = 3.5  # "you are member N" + chime after the last join, with margin
WINDOW_SECONDS = 4.0  # six 0.5 s slices after the margins: a median two glitches do not move
LEVEL_TOLERANCE_DB = 2.0  # a tone heard vs. the level it was sent at
GAIN_TOLERANCE_DB = 1.5  # a gain (ducking, back to normal) vs. the setting
DUCK_DB = -10.0
ABSENT_DB = 40.0  # an absent tone: this far below what it is compared with
OVER_FLOOR_DB = 3.0
# Where nobody sends, a PCMU listener's recording holds the µ-law quantisation products of its
# own mix: periodic lines, the same in every slice of a window, but moving by up to 8 dB from one
# window of the same mix to the next (-85 to -96 dBFS seen at 464 Hz for B hearing C; -121 for C
# hearing B; -69 to -90 at 2870 Hz for A hearing B and C) as the tones' phase against the sample
# grid shifts. A floor counts as at least this, so "floor + 3 dB" is about leaks, not about the
# codec's last bits; a leak of A at -50 dB re its level (-63 dBFS) would still be caught.
FLOOR_CLAMP_DBFS = -80.0
TONE_DBFS = -12.0  # three tones and a channel summed must not clip
TONES = {"A": 464, "B": 1148, "C": 1646}  # no low-order intermodulation of one on another
CHANNEL_HZ = 2870
FREQS = tuple(TONES.values()) + (CHANNEL_HZ,)
DTMF_5_HZ = (770, 1336)


class ChannelsTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = None
        self.problems = []

    def start_mixer(self, ivr_port, answer_timeout_ms=5000):
        self.mixer = channels_it.menu_mixer(self.workdir, ivr_port, answer_timeout_ms)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)

    def stop_mixer(self):
        alive = self.mixer.process.running()
        self.assertEqual(self.mixer.stop(), 0, "mixer exit code on SIGTERM")
        self.assertTrue(alive, "mixer died during the test")

    def event(self, event, timeout=10.0, **fields):
        line = sidebar_it.wait_event(self.mixer, event, timeout, **fields)[0]
        print("mixer: %s" % line.strip(), flush=True)
        return line

    def log_index(self, line):
        with open(self.mixer.process.log_path, encoding="utf-8", errors="replace") as f:
            return f.read().index(line)

    def phone(self, name, **kwargs):
        p = Baresip(name, self.workdir, codec="PCMU", **kwargs)
        p.start()
        self.addCleanup(p.stop)
        return p

    def dial(self, phone):
        """Dials `phone` into the room; returns (monotonic time its call started, number)."""
        phone.dial(self.mixer.room_uri(ROOM))
        phone.wait_for_event("CALL_ESTABLISHED", 20)
        started = time.monotonic()
        phone.wait_for_event("CALL_RTPESTAB", 10)
        return started, sidebar_it.member_number(self.mixer, phone.user)

    # --- 1. the menu key calls the IVR -------------------------------------------------------

    def test_menu_key_calls_the_ivr(self):
        peer = RtpPeer()  # the IVR's media: the UAS's SDP names this socket's port
        self.addCleanup(peer.close)
        uas = channels_it.ivr_uas(self.workdir, "uas_menu_ivr", sets={"ivr_rtp": peer.port})
        self.start_mixer(uas.port)
        uas.start()
        self.addCleanup(uas.stop, 0.5)
        member = mixer_it.BackgroundSipp(
            "uac_menu_info", self.mixer.sip_target, self.workdir, name="member-alice",
            keys={"user": "conf=" + ROOM}, sets={"caller": "alice"}, timeout=30).start()
        k = sidebar_it.member_number(self.mixer, "alice")
        star = self.event("dtmf", 10, member=k, digit="*")
        called = self.event("menu_called", 5, room=ROOM, member=k)
        opened = self.event("channel_opened", 10, room=ROOM, member=k)
        self.assertEqual(mixer_it.field(star, "via"), "sip-info", star)
        self.assertEqual(mixer_it.field(opened, "msg"), "menu answered", opened)
        five = self.event("dtmf", 10, member=k, digit="5")
        self.assertLess(self.log_index(opened), self.log_index(five),
                        "digit 5 must come while the channel is open")

        invites = channels_it.traced_requests(uas.messages_log, "INVITE")
        self.assertTrue(invites, "the IVR's message trace has no INVITE")
        print("the INVITE the IVR received:\n%s" % invites[0], flush=True)
        x_member = mixer_it.header(invites[0], "X-Member")
        self.assertRegex(x_member, r"<sip:member=%s\.%d@127\.0\.0\.1:%d>" %
                         (ROOM, k, self.mixer.sip_port), "X-Member names member %d" % k)
        self.assertTrue(x_member.startswith('"sipp" <'), "X-Member carries the member's display "
                        "name (its From said \"sipp\"): %r" % x_member)
        self.assertEqual(mixer_it.header(invites[0], "X-Conference"), ROOM)
        self.assertEqual(mixer_it.field(called, "to"), "sip:menu@127.0.0.1:%d" % uas.port)
        te_pt = int(re.search(r"a=rtpmap:(\d+) telephone-event/8000", invites[0]).group(1))

        def relayed():  # RFC 4733 2.5.1.4: the end packet is sent three times
            return len([e for e in peer.events(te_pt) if e.end]) >= 3
        wait_until(relayed, 5, "three RFC 4733 end packets of digit 5 at the IVR's RTP port %d "
                   "(payload type %d); packets received: %d, types %s" %
                   (peer.port, te_pt, len(peer.received()),
                    sorted({p.pt for p in peer.received()})))
        events = peer.events(te_pt)
        print("telephone-event packets at the IVR: %s" % events, flush=True)
        self.assertEqual({e.digit for e in events}, {"5"}, "only digit 5 is relayed: * opened "
                         "the menu before there was a channel")
        self.assertEqual(len({e.packet.ts for e in events}), 1, "one event (one timestamp)")
        self.assertTrue(events[0].packet.marker, "the event's first packet has the marker bit")
        self.assertEqual([e.end for e in events].count(True), 3, "three end packets")
        self.assertEqual(len(peer.sources), 1, "RTP from one address: %s" % peer.sources)
        self.check_not_in_band(peer)

        result = member.join(40)
        self.assertTrue(result.passed, "the member's call (INFOs answered 200?): %s" %
                        result.describe())
        code = uas.stop(15)
        self.assertEqual(code, 0, "the IVR (sipp UAS) must see INVITE as expected, ACK and the "
                         "mixer's BYE: exit %s, errors:\n%s\n%s" %
                         (code, open(uas.error_file, errors="replace").read()
                          if os.path.exists(uas.error_file) else "<none>",
                          process.tail(uas.process.log_path, 20)))
        self.assertTrue(channels_it.traced_requests(uas.messages_log, "BYE"), "no BYE at the IVR")
        closed = self.event("channel_closed", 10, room=ROOM, member=k)
        self.assertEqual(mixer_it.field(closed, "reason"), "member left", closed)

    def check_not_in_band(self, peer):
        """The digit reached the IVR as events only: its DTMF pair is not in the audio."""
        if not peer.received(0):
            print("the mixer sent the IVR no PCMU audio (a silent member): nothing to check in "
                  "band", flush=True)
            return
        path, _ = peer.write_wav(os.path.join(self.workdir, "ivr-heard.wav"))
        levels = meter.levels(path, DTMF_5_HZ, skip=0, until_end=0)
        print("the IVR's audio at DTMF 5's frequencies: %s" % meter.format_levels(levels),
              flush=True)
        for hz in DTMF_5_HZ:
            meter.assert_absent(levels, hz, -60.0, "digit 5 in band on the channel")

    # --- 2. the IVR refuses, or does not answer: the error tone ------------------------------

    def test_menu_refused_error_tone(self):
        uas = channels_it.ivr_uas(self.workdir, "uas_menu_refuse")
        self.start_mixer(uas.port)
        uas.start()
        self.addCleanup(uas.stop, 0.5)
        failed = self.press_menu_and_hear_error_tone()
        self.assertEqual(mixer_it.field(failed, "status"), "480", failed)
        self.assertEqual(uas.stop(10), 0, "the IVR (sipp UAS answering 480): %s" %
                         process.tail(uas.process.log_path, 20))

    def test_menu_unanswered_error_tone(self):
        block = ports.reserve(1, tcp=False)
        block.release()
        silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # takes INVITEs, answers none
        silent.bind(("127.0.0.1", block.base))
        self.addCleanup(block.close)
        self.addCleanup(silent.close)
        self.start_mixer(block.base, answer_timeout_ms=1000)
        failed = self.press_menu_and_hear_error_tone()
        self.assertEqual(mixer_it.field(failed, "msg"), "the IVR did not answer in time", failed)
        called = sidebar_it.events(self.mixer, "menu_called")[0]
        waited = stamp(failed) - stamp(called)
        print("menu_called -> menu_failed: %.2f s (answer_timeout_ms 1000)" % waited, flush=True)
        self.assertTrue(0.9 <= waited <= 2.0, "the IVR's answer must be given up about 1 s "
                        "after the INVITE, not %.2f s" % waited)
        silent.settimeout(0.2)
        got = []
        try:
            while len(got) < 50:
                got.append(silent.recv(65536).decode("utf-8", "replace").split("\r\n")[0])
        except socket.timeout:
            pass
        print("the silent IVR received: %s" % got, flush=True)
        self.assertTrue(got and got[0].startswith("INVITE sip:menu@"), got)

    def press_menu_and_hear_error_tone(self):
        """One baresip member, alone in the room, presses * (RFC 4733); returns the mixer's
        menu_failed line after checking that the member heard the error tone then and not
        before, and is still in the conference."""
        alice = self.phone("alice", tone_hz=1130)
        started, k = self.dial(alice)
        time.sleep(PROMPT_SECONDS)
        quiet = self.window("quiet", 2.0)
        pressed = time.monotonic()
        alice.send_dtmf("*")
        star = self.event("dtmf", 10, member=k, digit="*")
        self.assertEqual(mixer_it.field(star, "via"), "rfc4733", star)
        self.event("menu_called", 5, room=ROOM, member=k)
        failed = self.event("menu_failed", 10, room=ROOM, member=k)
        time.sleep(2.0)  # the tone (0.65 s) and some silence after it
        self.assertIn("sip:alice@", str(mixer_it.members(self.mixer, ROOM)),
                      "the member stays in the conference")
        self.assertEqual([e for e in alice.events() if e.get("type") == "CALL_CLOSED"], [],
                         "the member's call must stay up")
        self.assertEqual(sidebar_it.events(self.mixer, "channel_opened"), [])
        alice.hangup()
        alice.wait_for_event("CALL_CLOSED", 10)
        alice.stop()

        rec = alice.recording()
        at = pressed - started
        beeps, levels = channels_it.error_tone(rec, at - 0.3, at + 3.5, self.workdir, "alice")
        print("beeps heard after the key press (s into the call): %s" %
              ["%.2f-%.2f" % b for b in beeps], flush=True)
        for (b0, b1), lv in zip(beeps, levels):
            print("  beep %.2f-%.2f (%3.0f ms): %s" % (b0, b1, (b1 - b0) * 1000,
                                                       meter.format_levels(lv)), flush=True)
        self.assertEqual(len(beeps), channels_it.ERROR_BEEPS, "three beeps: %s" % beeps)
        for (b0, b1), lv in zip(beeps, levels):
            self.assertAlmostEqual(b1 - b0, channels_it.ERROR_BEEP_S, delta=0.04,
                                   msg="beep length %s" % ((b0, b1),))
            for hz in channels_it.ERROR_TONE_HZ:
                meter.assert_present(lv, hz, channels_it.ERROR_TONE_DBFS, LEVEL_TOLERANCE_DB,
                                     "error tone beep at %.2f s" % b0)
        for (_, end), (start, _) in zip(beeps, beeps[1:]):
            self.assertAlmostEqual(start - end, channels_it.ERROR_GAP_S, delta=0.04,
                                   msg="gap between beeps: %s" % beeps)
        _, _, loudest = channels_it.window_levels(rec, started, quiet,
                                                  channels_it.ERROR_TONE_HZ, self.workdir,
                                                  "alice", margin=0.2)
        heard = min(min(lv.values()) for lv in levels)
        for hz in channels_it.ERROR_TONE_HZ:
            meter.assert_absent(loudest, hz, heard - ABSENT_DB, "before the key press")
        return failed

    def window(self, name, seconds=WINDOW_SECONDS):
        start = time.monotonic()
        time.sleep(seconds)
        return Window(name, start, time.monotonic())

    # --- 3. a channel opened by the controller -----------------------------------------------

    def test_inbound_channel_audio(self):
        self.start_mixer(ports.free_port())  # the menu key is not pressed here
        tones = process.workdir("tones")
        phones, started, numbers = {}, {}, {}
        for name, hz in TONES.items():
            wav = os.path.join(tones, "tone-%dHz-%gdBFS-120s.wav" % (hz, TONE_DBFS))
            phones[name] = self.phone(name, wav=sidebar_it.write_tone(wav, hz, TONE_DBFS, 120))
        for name, p in phones.items():
            started[name], numbers[name] = self.dial(p)
        print("members %s" % numbers, flush=True)
        time.sleep(PROMPT_SECONDS)
        windows = []
        self.admin_op(numbers["A"], "mute")
        windows.append(self.window("control"))  # A's tone in nobody's mix: the floors
        self.admin_op(numbers["A"], "unmute")
        windows.append(self.window("all"))
        peer = RtpPeer()
        self.addCleanup(peer.close)
        with sidebar_it.controller(self.mixer) as ctl:
            channel = ctl.invite("member=%s.%d" % (ROOM, numbers["A"]), sdp="live",
                                 rtp_port=peer.port)
            print("channel: %s, answer:\n%s" % (channel, channel.answer_sdp), flush=True)
            self.assertEqual(channel.uri, "sip:member=%s.%d@%s" % (ROOM, numbers["A"],
                                                                   self.mixer.sip_target))
            opened = self.event("channel_opened", 5, room=ROOM, member=numbers["A"])
            self.assertEqual(mixer_it.field(opened, "msg"), "by a controller", opened)
            peer.send_tone(sdp_address(channel.answer_sdp), CHANNEL_HZ, TONE_DBFS,
                           WINDOW_SECONDS + 2.0)
            time.sleep(0.5)
            windows.append(self.window("channel"))
            peer.wait_sent(5)
            self.assertEqual(ctl.bye(channel), 200, "the controller's BYE")
            self.event("channel_closed", 5, room=ROOM, member=numbers["A"])
            self.assertEqual(ctl.unexpected, [], "requests the controller did not expect")
        windows.append(self.window("after"))
        for p in phones.values():
            p.hangup()
            p.wait_for_event("CALL_CLOSED", 10)
            p.stop()
        print("RTP peer: sent %d packets (%d late), received %d; errors %s" %
              (peer.sent, peer.late, len(peer.received()), peer.errors[:3]), flush=True)
        ctl_path, ctl_start = peer.write_wav(os.path.join(self.workdir, "controller-heard.wav"))
        self.check_inbound(phones, started, windows, ctl_path, ctl_start)

    def admin_op(self, number, op):
        status, body = self.mixer.admin("POST", "/rooms/%s/members/%d/%s" % (ROOM, number, op))
        self.assertEqual(status, 200, "%s member %d: %s" % (op, number, body))

    def check_inbound(self, phones, started, windows, ctl_path, ctl_start):
        sent = {n: meter.levels(p.recordings("enc")[-1], [TONES[n]])[TONES[n]]
                for n, p in phones.items()}
        sent["channel"] = channels_it.tone_wav_level(
            os.path.join(self.workdir, "channel-sent.wav"),
            pcmu_decode(pcmu_tone(CHANNEL_HZ, TONE_DBFS)), CHANNEL_HZ)
        print("sent levels: %s" % sent, flush=True)
        heard = {w.name: {n: channels_it.window_levels(p.recording(), started[n], w, FREQS,
                                                       self.workdir, n)
                          for n, p in phones.items()} for w in windows}
        ctl = channels_it.window_levels(ctl_path, ctl_start, windows[2], FREQS, self.workdir,
                                        "controller")
        ref = heard["all"]
        for listener in TONES:  # the reference: everyone hears the others as sent
            for source in TONES:
                if source != listener:
                    self.level(ref, listener, TONES[source], sent[source], "all")
        self.level(heard["channel"], "A", CHANNEL_HZ, sent["channel"], "channel")
        for listener, source in (("B", "C"), ("C", "B")):
            self.ratio(heard["channel"], ref, listener, source, 0.0, "channel")
        for source in ("B", "C"):
            self.ratio(heard["channel"], ref, "A", source, DUCK_DB, "channel")
            self.ratio(heard["after"], ref, "A", source, 0.0, "after")
            self.ratio(heard["after"], ref, source, "A", 0.0, "after")
            # The floor: the same listener's mix without A (A muted), the same slices.
            self.absent(heard["channel"][source], "channel", source, TONES["A"],
                        ref[source][0][TONES["A"]], heard["control"][source][0][TONES["A"]])
            self.absent(heard["channel"][source], "channel", source, CHANNEL_HZ,
                        sent["channel"], None)
        self.absent(heard["after"]["A"], "after", "A", CHANNEL_HZ, sent["channel"], None)
        self.level({"controller": ctl}, "controller", TONES["A"], sent["A"], "channel")
        for source in ("B", "C"):
            self.absent(ctl, "channel", "controller", TONES[source], sent[source], None)
        self.absent(ctl, "channel", "controller", CHANNEL_HZ, sent["channel"], None)
        if self.problems:
            self.fail("%d problem(s):\n%s" % (len(self.problems), "\n".join(self.problems)))

    def level(self, heard, listener, hz, want, phase):
        got = heard[listener][0][hz]
        ok = abs(got - want) <= LEVEL_TOLERANCE_DB
        print("  %-7s %-10s hears %4d Hz at %.1f dBFS (sent %.1f) %s" %
              (phase, listener, hz, got, want, "ok" if ok else "WRONG"), flush=True)
        if not ok:
            self.problems.append("%s: %s hears %d Hz at %.1f dBFS, expected %.1f +- %.1f" %
                                 (phase, listener, hz, got, want, LEVEL_TOLERANCE_DB))

    def ratio(self, heard, ref, listener, source, want_db, phase):
        got = heard[listener][0][TONES[source]] - ref[listener][0][TONES[source]]
        ok = abs(got - want_db) <= GAIN_TOLERANCE_DB
        print("  %-7s %-10s hears %s at %+.1f dB re before (want %+.1f) %s" %
              (phase, listener, source, got, want_db, "ok" if ok else "WRONG"), flush=True)
        if not ok:
            self.problems.append("%s: %s hears %s at %+.1f dB relative to before the channel, "
                                 "expected %+.1f +- %.1f" % (phase, listener, source, got,
                                                             want_db, GAIN_TOLERANCE_DB))

    def absent(self, heard, phase, listener, hz, present, floor):
        """`hz` absent from `heard` (a window_levels triple): its median over slices at least
        ABSENT_DB below `present` and, given `floor` (the median at `hz` in a control window
        whose mix was the same but for the tone), at most OVER_FLOOR_DB above it; its loudest
        slice ABSENT_DB below `present` too. Medians, not one reading over the whole window:
        a late or concealed packet of a tone the listener does hear splashes a click over the
        spectrum of one slice (seen: -71 dBFS at 464 Hz in one 0.5 s slice, -90 in the others),
        which is no leak, while a leak is in every slice. See FLOOR_CLAMP_DBFS for the floor."""
        median, loudest = heard[0][hz], heard[2][hz]
        limit, why = present - ABSENT_DB, "%.0f dB below %.1f" % (ABSENT_DB, present)
        if floor is not None and max(floor, FLOOR_CLAMP_DBFS) + OVER_FLOOR_DB < limit:
            limit = max(floor, FLOOR_CLAMP_DBFS) + OVER_FLOOR_DB
            why = "floor %.1f%s + %.0f dB" % (
                floor, " counted as %.0f" % FLOOR_CLAMP_DBFS if floor < FLOOR_CLAMP_DBFS else "",
                OVER_FLOOR_DB)
        ok = median <= limit and loudest <= present - ABSENT_DB
        print("  %-7s %-10s hears %4d Hz at %.1f dBFS (loudest slice %.1f), limit %.1f (%s) %s" %
              (phase, listener, hz, median, loudest, limit, why, "ok" if ok else "WRONG"),
              flush=True)
        if not ok:
            self.problems.append("%s: %s hears %d Hz at %.1f dBFS (median of slices; loudest "
                                 "%.1f), must be at most %.1f (%s), loudest at most %.1f" %
                                 (phase, listener, hz, median, loudest, limit, why,
                                  present - ABSENT_DB))


def stamp(line):
    """Seconds of a mixer log line's ISO time stamp (within a day is enough here)."""
    m = re.match(r"\S+T(\d+):(\d+):(\d+(?:\.\d+)?)Z", line)
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


if __name__ == "__main__":
    unittest.main()
