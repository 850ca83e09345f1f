#!/usr/bin/python3
"""sidebar-mixer under hostile input while a call is up: floods of garbage and of well-formed
RTP from foreign sources at a member's RTP port, the RFC 4475 torture messages at its SIP port,
a SUBSCRIBE with a bad Accept, malformed admin API requests, and bad configuration files. After
each, the mixer must be alive, answer OPTIONS, and the call's audio must go on."""

import json
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mixer_it  # noqa: E402
from harness import meter  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.mixer import Mixer, mixer_path  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

ROOM = "1000"
A_HZ, B_HZ = 440, 1130
FLOOD = 2000
PROMPT_SECONDS = 3.0
TORTURE_DIR = "/work/shared/testdata/sip-torture/rfc4475"
# RFC 4475 section 3 answers that do not depend on who the target is (the parser or transaction
# layer answers them); these get their top Via pointed at us so the answer can be read.
# invut's Request-URI (user@example.com) is not a resource of ours, so 404 is a correct answer
# too (README). intmeth has a test of its own: the mixer does not answer it at all today.
TORTURE_EXPECTED = {"badvers": {505}, "unkscm": {416}, "bext01": {420}, "invut": {415, 404},
                    "insuf": {400}}


def rtp_packet(seq, ssrc, payload_type=0, payload=b"\xff" * 160):
    return struct.pack("!BBHII", 0x80, payload_type, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF,
                       ssrc) + payload


class HostileCallTest(IntegrationTestCase):
    """Two baresip members (A 440 Hz, B 1130 Hz) in room 1000; the attacks aim at B."""

    def setUp(self):
        super().setUp()
        self.mixer = Mixer(self.workdir)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)
        self.a = Baresip("a", self.workdir, tone_hz=A_HZ, codec="PCMU")
        self.b = Baresip("b", self.workdir, tone_hz=B_HZ, codec="PCMU")
        for p in (self.a, self.b):
            p.start()
            self.addCleanup(p.stop)
        for p in (self.a, self.b):
            p.dial(self.mixer.room_uri(ROOM))
            p.wait_for_event("CALL_ESTABLISHED", 20)
            if p is self.a:
                self.a_started = time.monotonic()  # A's recording starts about here
            p.wait_for_event("CALL_RTPESTAB", 10)
        self.b_member = mixer_it.wait_member(self.mixer, ROOM, "sip:b@",
                                             predicate=lambda m: m["packets"]["in"] > 20)
        joined = [line for line in mixer_it.log_lines(self.mixer, "member_joined")
                  if "sip:b@" in (mixer_it.field(line, "uri") or "")]
        self.assertEqual(len(joined), 1, joined)
        self.b_rtp_port = int(mixer_it.field(joined[0], "rtp_port"))
        time.sleep(PROMPT_SECONDS)  # past the join prompts and chime, which A also hears

    def stop_mixer(self):
        alive = self.mixer.process.running()
        self.assertEqual(self.mixer.stop(), 0, "mixer exit code on SIGTERM")
        self.assertTrue(alive, "mixer died during the test")

    def b_stats(self):
        return mixer_it.wait_member(self.mixer, ROOM, "sip:b@")["packets"]

    def assert_b_flowing(self, what):
        """B's packets keep arriving at the mixer (50 pps from baresip)."""
        before = self.b_stats()["in"]
        after = mixer_it.wait_member(self.mixer, ROOM, "sip:b@", timeout=5,
                                     predicate=lambda m: m["packets"]["in"] >= before + 25)
        print("%s: B packets.in %d -> %d" % (what, before, after["packets"]["in"]), flush=True)

    def assert_options_answered(self):
        raw = mixer_it.RawSip(self.mixer.sip_port)
        try:
            ruri = "sip:conf=%s@127.0.0.1:%d" % (ROOM, self.mixer.sip_port)
            raw.send(raw.request("OPTIONS", ruri, "opt-%d@raw" % random.randrange(1 << 30), 1,
                                 "z9hG4bK-opt-%d" % random.randrange(1 << 30)))
            got = raw.responses(5, until=lambda r: any(s >= 200 for s, _ in r))
        finally:
            raw.close()
        self.assertTrue(any(s == 200 for s, _ in got), "OPTIONS not answered 200: %s" %
                        [s for s, _ in got])
        self.assertTrue(self.mixer.process.running(), "mixer died")

    def a_hears_b_after(self, start):
        """A's recording from `start` (monotonic) on has B's tone at B's sent level."""
        self.a.hangup()
        self.a.wait_for_event("CALL_CLOSED", 10)
        self.a.stop()
        self.b.hangup()
        self.b.stop()
        sent = meter.levels(self.b.recordings("enc")[-1], [B_HZ])[B_HZ]
        start_s = start - self.a_started + 0.5
        median, _, slices = mixer_it.sliced_levels(
            self.a.recording(), os.path.join(self.workdir, "a-after"), [A_HZ, B_HZ], start_s,
            start_s + 2.0)
        print("A after the attack (median of %d slices): %s (B sent %.1f dBFS); per slice %s" %
              (len(slices), meter.format_levels(median), sent,
               " | ".join(meter.format_levels(s) for s in slices)), flush=True)
        self.assertGreaterEqual(len(slices), 3)
        meter.assert_present(median, B_HZ, sent, 2.0, "A hears B after the attack")

    def flood(self, source_ip, what):
        before = self.b_stats()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((source_ip, 0))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        rng = random.Random(4475)
        target = ("127.0.0.1", self.b_rtp_port)
        try:
            for i in range(FLOOD):
                sock.sendto(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))),
                            target)
                sock.sendto(rtp_packet(i, 0x5EB1DE), target)
                if i % 100 == 99:
                    time.sleep(0.01)  # bounded: lets the kernel's receive queue drain
        finally:
            sock.close()
        sent = 2 * FLOOD

        def counted():
            s = self.b_stats()
            return s if s["dropped_foreign"] + s["dropped_malformed"] >= \
                before["dropped_foreign"] + before["dropped_malformed"] + 0.9 * sent else None
        try:
            after = mixer_it.wait_until_true(counted, 5, "%s: drops counted" % what)
        except TimeoutError:
            after = self.b_stats()
        print("%s from %s: sent %d, dropped_foreign %d -> %d, dropped_malformed %d -> %d, "
              "in %d -> %d" % (what, source_ip, sent, before["dropped_foreign"],
                               after["dropped_foreign"], before["dropped_malformed"],
                               after["dropped_malformed"], before["in"], after["in"]),
              flush=True)
        grew = after["dropped_foreign"] - before["dropped_foreign"]
        self.assertGreaterEqual(grew, int(0.9 * sent), "%s: dropped_foreign grew by %d of %d "
                                "(stats %s)" % (what, grew, sent, after))
        self.assertLessEqual(after["in"] - before["in"], 2 * 50 * 10,
                             "%s: foreign packets counted as B's" % what)

    def test_rtp_flood_foreign_address(self):
        self.flood("127.0.0.2", "flood")
        self.assert_b_flowing("after flood from 127.0.0.2")
        start = time.monotonic()
        time.sleep(2.5)  # B's tone after the attack, for A's recording
        self.a_hears_b_after(start)

    def test_rtp_flood_wrong_port(self):
        self.flood("127.0.0.1", "flood")
        self.assert_b_flowing("after flood from 127.0.0.1:other port")
        start = time.monotonic()
        time.sleep(2.5)
        self.a_hears_b_after(start)

    def test_sip_torture(self):
        raw = mixer_it.RawSip(self.mixer.sip_port)
        self.addCleanup(raw.close)
        answers, checked, mismatched = {}, {}, []
        for name in sorted(os.listdir(TORTURE_DIR)):
            if not name.endswith(".dat"):
                continue
            with open(os.path.join(TORTURE_DIR, name), "rb") as f:
                data = f.read()
            stem = name[:-4]
            if stem in TORTURE_EXPECTED:
                data = re.sub(rb"^(Via:\s*SIP\s*/\s*[0-9.]+\s*/\s*)\S+\s+[^;\r\n]+",
                              b"\\1UDP 127.0.0.1:%d" % raw.port, data, count=1,
                              flags=re.M | re.I)
            raw.send(data)
            got = raw.responses(1.0 if stem in TORTURE_EXPECTED else 0.2,
                                until=lambda r: any(s >= 200 for s, _ in r))
            answers[stem] = [s for s, _ in got]
            if stem in TORTURE_EXPECTED:
                want = TORTURE_EXPECTED[stem]
                checked[stem] = (want, answers[stem])
                if not want & set(answers[stem]):
                    mismatched.append("%s: RFC 4475 says %s, got %s" % (stem, sorted(want),
                                                                        answers[stem]))
            self.assertTrue(self.mixer.process.running(), "mixer died after %s" % name)
        print("torture answers seen by us: %s" % answers, flush=True)
        print("torture checked (expected, got): %s" % checked, flush=True)
        self.assert_options_answered()
        self.assert_b_flowing("after the torture messages")
        start = time.monotonic()
        time.sleep(2.5)
        self.a_hears_b_after(start)
        self.assertEqual(mismatched, [], "RFC 4475 answers")

    # Known defect of Debian's sofia-sip 1.12.11 (the 2011 snapshot, DESIGN.md 5.5): its message
    # parser refuses the legal but unusual method token and drops the request before nua sees
    # it ("nta_agent: received garbage"), so nothing of ours can answer. Kept as an expected
    # failure so that it is tracked, and reported the day a fixed sofia-sip answers it.
    @unittest.expectedFailure
    def test_torture_intmeth_answered(self):
        """RFC 4475 3.1.1.4: a valid request with an unknown method, odd but legal tokens
        everywhere; a UA answers 501 (a proxy would forward it). Any final answer will do here,
        the point is that it is not dropped."""
        raw = mixer_it.RawSip(self.mixer.sip_port)
        self.addCleanup(raw.close)
        with open(os.path.join(TORTURE_DIR, "intmeth.dat"), "rb") as f:
            data = re.sub(rb"^(Via:\s*SIP/2\.0/)TCP host1\.example\.com",
                          b"\\1UDP 127.0.0.1:%d" % raw.port, f.read(), count=1, flags=re.M)
        raw.send(data)
        got = raw.responses(3, until=lambda r: any(s >= 200 for s, _ in r))
        print("intmeth answered: %s" % [s for s, _ in got], flush=True)
        self.assertTrue(any(s >= 200 for s, _ in got), "intmeth got no final response")
        self.assert_options_answered()

    def test_subscribe_bad_accept(self):
        raw = mixer_it.RawSip(self.mixer.sip_port)
        self.addCleanup(raw.close)
        ruri = "sip:conf=%s@127.0.0.1:%d" % (ROOM, self.mixer.sip_port)
        raw.send(raw.request("SUBSCRIBE", ruri, "sub-bad-accept@raw", 1, "z9hG4bK-sub-1",
                             ["Event: conference", "Accept: application/x-no-such-thing",
                              "Expires: 60"]))
        got = raw.responses(5, until=lambda r: any(s >= 200 for s, _ in r))
        finals = [s for s, _ in got if s >= 200]
        print("SUBSCRIBE with a bad Accept answered: %s" % finals, flush=True)
        self.assertTrue(finals and 400 <= finals[0] <= 599, "no 4xx/5xx: %s" % got)
        self.assert_options_answered()
        self.assert_b_flowing("after SUBSCRIBE")


class HostileAdminTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = Mixer(self.workdir)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)

    stop_mixer = HostileCallTest.stop_mixer

    def assert_error(self, status, body, want, what):
        print("%s -> %s %s" % (what, status, body), flush=True)
        self.assertEqual(status, want, "%s: %r" % (what, body))
        self.assertIsInstance(body, dict, what)
        self.assertEqual(body.get("error", {}).get("status"), want, body)
        self.assertTrue(body["error"].get("message"), body)

    def test_admin_errors(self):
        # A member in room 1000, so that member routes reach the body and token checks.
        call = mixer_it.BackgroundSipp("uac_call", self.mixer.sip_target, self.workdir,
                                       keys={"user": "conf=" + ROOM},
                                       sets={"caller": "victim", "token": "none"},
                                       extra=("-d", "4000")).start()
        n = mixer_it.wait_member(self.mixer, ROOM, "victim")["number"]
        gain = "/rooms/%s/members/%d/gain" % (ROOM, n)
        for what, body in (("not JSON", b"{db: -6"), ("no db", b"{}"),
                           ("db a string", b'{"db": "loud"}'), ("db out of range", b'{"db": 99}'),
                           ("JSON array", b"[1,2]"), ("binary", bytes(range(256)))):
            status, answer = self.mixer.admin("POST", gain, body)
            self.assert_error(status, answer, 400, "gain " + what)
        status, answer = self.mixer.admin("POST", "/rooms/%s/members/%d/mute" % (ROOM, n),
                                          token="")
        self.assert_error(status, answer, 401, "mute without a token")
        status, answer = self.mixer.admin("POST", "/rooms/%s/members/%d/mute" % (ROOM, n),
                                          token="wrong-token")
        self.assert_error(status, answer, 401, "mute with a wrong token")
        status, answer = self.mixer.admin("POST", "/rooms/9999/members/1/mute")
        self.assert_error(status, answer, 404, "mute in an unknown room")
        status, answer = self.mixer.admin("GET", "/rooms/9999")
        self.assert_error(status, answer, 404, "GET unknown room")
        status, answer = self.mixer.admin("POST", "/rooms/%s/members/77/mute" % ROOM)
        self.assert_error(status, answer, 404, "mute an unknown member")
        # The member was not muted by any of that.
        member = mixer_it.wait_member(self.mixer, ROOM, "victim")
        self.assertFalse(member["muted"])
        self.assertEqual(member["gain_db"], 0.0)
        self.assertTrue(call.join(40).passed, "the call survived the admin errors")


class BadConfigTest(IntegrationTestCase):

    def start_with(self, config):
        path = os.path.join(self.workdir, "bad.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(config, f)
        proc = subprocess.run([mixer_path(), "--config", path], capture_output=True, text=True,
                              timeout=20, check=False)
        print("exit %d, stderr: %s" % (proc.returncode, proc.stderr.strip()), flush=True)
        return proc

    def test_unknown_key(self):
        proc = self.start_with({"mixer": {"sip": {"port": 5070, "bogus": 1}}})
        self.assertEqual(proc.returncode, 2)
        self.assertIn("mixer.sip.bogus", proc.stderr)

    def test_bad_port_value(self):
        proc = self.start_with({"mixer": {"sip": {"port": "abc"}}})
        self.assertEqual(proc.returncode, 2)
        self.assertIn("mixer.sip.port", proc.stderr)

    def test_unknown_top_level_key(self):
        proc = self.start_with({"mixer": {}, "mixr": {}})
        self.assertEqual(proc.returncode, 2)
        self.assertIn("mixr", proc.stderr)


if __name__ == "__main__":
    unittest.main()
