#!/usr/bin/python3
"""sidebar-mixer's SIP behaviour against sipp: joining (focus Contact, Allow-Events), CANCEL,
hold/resume, OPTIONS, every refusal (488 garbage SDP / no common codec, 404, 403 without or with
a bad join token, 486 full room), a valid join token, RTP counters from a pcap, RFC 4733 DTMF in
the log, and the admin API's view of a call (/rooms, /metrics)."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mixer_it  # noqa: E402
from harness import sipp  # noqa: E402
from harness.mixer import DEFAULT_SECRET, Mixer  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

PIN_ROOM = "2000"
OPEN_ROOM = "1000"
PAIR_ROOM = "3000"  # max_members 2
ROOMS = [{"number": OPEN_ROOM, "name": "Demo"},
         {"number": PIN_ROOM, "name": "PIN demo", "pin": "1234"},
         {"number": PAIR_ROOM, "name": "Pair", "max_members": 2}]


class MixerSipTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = Mixer(self.workdir, rooms=ROOMS)
        self.mixer.start()
        self.addCleanup(self.stop_mixer, self.mixer)

    def stop_mixer(self, mixer):
        alive = mixer.process.running()
        code = mixer.stop()
        # A crash (ASan report, signal) must fail the test even if SIP looked fine.
        self.assertTrue(alive, "mixer died during the test")
        self.assertEqual(code, 0, "mixer exit code on SIGTERM")

    def run_sipp(self, scenario, user="conf=" + OPEN_ROOM, name=None, keys=None, sets=None,
                 timeout=20, extra=()):
        all_keys = {"user": user}
        all_keys.update(keys or {})
        return sipp.run(scenario, self.mixer.sip_target, self.workdir, name=name, keys=all_keys,
                        sets=sets, timeout=timeout, extra=extra)

    def assert_passed(self, result, what):
        self.assertTrue(result.passed, "%s: %s" % (what, result.describe()))

    def expect_status(self, user, want, pt=0, rtpmap="PCMU/8000", name=None):
        result = self.run_sipp("uac_expect_status", user=user, name=name,
                               keys={"pt": pt, "rtpmap": rtpmap}, sets={"want": want})
        self.assert_passed(result, "%s expecting %d" % (user, want))

    # --- calls that are admitted -------------------------------------------------------------

    def test_invite_bye_focus(self):
        self.assert_passed(self.run_sipp("uac_invite_bye"), "INVITE/ACK/BYE")
        joined = mixer_it.log_lines(self.mixer, "member_joined")
        left = mixer_it.log_lines(self.mixer, "member_left")
        self.assertEqual(len(joined), 1, joined)
        self.assertEqual(len(left), 1, left)
        self.assertEqual(mixer_it.field(left[0], "reason"), "bye")

    def test_admin_view_of_a_call(self):
        before = mixer_it.metrics(self.mixer)
        total_before = mixer_it.metric(before, "sidebar_mixer_calls_total") or 0.0
        self.assertEqual(mixer_it.metric(before, "sidebar_mixer_calls"), 0.0, before)
        call = mixer_it.BackgroundSipp("uac_call", self.mixer.sip_target, self.workdir,
                                       keys={"user": "conf=" + OPEN_ROOM},
                                       sets={"caller": "adminview", "token": "none"},
                                       extra=("-d", "4000")).start()
        member = mixer_it.wait_member(self.mixer, OPEN_ROOM, "adminview")
        status, rooms = self.mixer.admin("GET", "/rooms")
        during = mixer_it.metrics(self.mixer)
        result = call.join(40)
        self.assert_passed(result, "call for the admin view")
        print("member during the call: %s" % member, flush=True)
        self.assertEqual(status, 200)
        listed = [r for r in rooms["rooms"] if r["number"] == OPEN_ROOM]
        self.assertEqual(len(listed), 1, rooms)
        self.assertEqual(listed[0]["member_count"], 1, rooms)
        self.assertEqual(member["number"], 1)
        self.assertEqual(member["codec"].upper(), "PCMU")
        calls = mixer_it.metric(during, "sidebar_mixer_calls")
        total = mixer_it.metric(during, "sidebar_mixer_calls_total")
        print("metrics: sidebar_mixer_calls %s during the call, sidebar_mixer_calls_total %s -> %s"
              % (calls, total_before, total), flush=True)
        self.assertEqual(calls, 1.0, during)
        self.assertEqual(total, total_before + 1, during)
        # After BYE the dialog is gone and the room is empty.
        mixer_it.wait_until_true(
            lambda: mixer_it.metric(mixer_it.metrics(self.mixer), "sidebar_mixer_calls") == 0.0,
            10, "sidebar_mixer_calls back to 0")
        self.assertEqual(mixer_it.members(self.mixer, OPEN_ROOM), [])

    def test_cancel(self):
        """The mixer answers an INVITE at once (no ringing phase), so sipp's uac_cancel (CANCEL
        500 ms after a provisional) always meets a 200. Here the CANCEL follows the 100 at once:
        the answer is either 487 (CANCEL won) or 200 (answer won, then we BYE). Either way the
        CANCEL gets a final response, and no call is left behind."""
        raw = mixer_it.RawSip(self.mixer.sip_port)
        self.addCleanup(raw.close)
        ruri = "sip:conf=%s@127.0.0.1:%d" % (OPEN_ROOM, self.mixer.sip_port)
        outcomes = []
        for attempt in range(5):
            call_id, branch = "cancel-%d@raw" % attempt, "z9hG4bK-cancel-%d" % attempt
            invite = raw.request("INVITE", ruri, call_id, 1, branch,
                                 ["Content-Type: application/sdp"], mixer_it.pcmu_offer(40000))
            raw.send(invite)
            raw.responses(2, until=lambda r: r)  # the 100 (or already the 200)
            raw.send(raw.request("CANCEL", ruri, call_id, 1, branch, cseq_method="CANCEL"))
            got = raw.responses(3, until=lambda r: any(s >= 200 and "INVITE" in
                                                       (mixer_it.header(t, "CSeq") or "")
                                                       for s, t in r)
                                and any("CANCEL" in (mixer_it.header(t, "CSeq") or "")
                                        for s, t in r if s >= 200))
            finals = {(mixer_it.header(t, "CSeq") or "").split()[-1]: (s, t)
                      for s, t in got if s >= 200}
            self.assertIn("INVITE", finals, "no final response to the INVITE: %s" % got)
            self.assertIn("CANCEL", finals, "no final response to the CANCEL: %s" % got)
            status, text = finals["INVITE"]
            outcomes.append((finals["CANCEL"][0], status))
            to_tag = re.search(r";tag=([^;\s]+)", mixer_it.header(text, "To")).group(1)
            ack = raw.request("ACK", ruri, call_id, 1,
                              branch if status != 200 else branch + "-ack", to_tag=to_tag)
            raw.send(ack)
            if status == 200:
                self.assertEqual(finals["CANCEL"][0], 200)
                raw.send(raw.request("BYE", ruri, call_id, 2, branch + "-bye", to_tag=to_tag))
                self.assertTrue(raw.responses(3, until=lambda r: any(s == 200 for s, _ in r)),
                                "no 200 for BYE")
            else:
                self.assertEqual(status, 487, text)
        print("CANCEL outcomes (CANCEL status, INVITE status): %s" % outcomes, flush=True)
        mixer_it.wait_until_true(lambda: mixer_it.members(self.mixer, OPEN_ROOM) == [], 10,
                                 "room empty after CANCELs")
        mixer_it.wait_until_true(
            lambda: mixer_it.metric(mixer_it.metrics(self.mixer), "sidebar_mixer_calls") == 0.0,
            10, "sidebar_mixer_calls back to 0")

    def test_reinvite_hold_resume(self):
        self.assert_passed(self.run_sipp("uac_reinvite_hold"), "hold (recvonly) and resume")
        directions = [mixer_it.field(line, "direction")
                      for line in mixer_it.log_lines(self.mixer, "member_reinvite")]
        print("re-INVITE directions logged: %s" % directions, flush=True)
        self.assertEqual(directions, ["recvonly", "sendrecv"])

    def test_options(self):
        self.assert_passed(self.run_sipp("uac_options"), "OPTIONS")

    def test_valid_join_token(self):
        expires = int(time.time()) + 120
        token = mixer_it.join_token(DEFAULT_SECRET, PIN_ROOM, "tokenok@127.0.0.1", expires)
        result = self.run_sipp("uac_call", user="conf=" + PIN_ROOM,
                               sets={"caller": "tokenok", "token": token}, extra=("-d", "1000"))
        self.assert_passed(result, "PIN room with a valid token")
        joined = mixer_it.log_lines(self.mixer, "member_joined")
        self.assertEqual([mixer_it.field(j, "room") for j in joined], [PIN_ROOM])

    # --- refusals ------------------------------------------------------------------------------

    def test_garbage_sdp(self):
        self.assert_passed(self.run_sipp("uac_garbage_sdp"), "garbage SDP -> 488 + Warning")

    def test_no_common_codec(self):
        self.expect_status("conf=" + OPEN_ROOM, 488, pt=18, rtpmap="G729/8000")

    def test_unknown_room(self):
        self.expect_status("conf=9999", 404)

    def test_pin_room_without_token(self):
        self.expect_status("conf=" + PIN_ROOM, 403)

    def test_pin_room_bad_tokens(self):
        now = int(time.time())
        caller = "tokenbad@127.0.0.1"
        good = mixer_it.join_token(DEFAULT_SECRET, PIN_ROOM, caller, now + 120)
        bad = {
            "wrong_mac": good[:-4] + ("0000" if not good.endswith("0000") else "1111"),
            "expired": mixer_it.join_token(DEFAULT_SECRET, PIN_ROOM, caller, now - 60),
            "wrong_secret": mixer_it.join_token("another-secret-of-16+", PIN_ROOM, caller,
                                                now + 120),
            "other_room": mixer_it.join_token(DEFAULT_SECRET, OPEN_ROOM, caller, now + 120),
            "other_caller": mixer_it.join_token(DEFAULT_SECRET, PIN_ROOM, "eve@127.0.0.1",
                                                now + 120),
            "too_far_ahead": mixer_it.join_token(DEFAULT_SECRET, PIN_ROOM, caller, now + 3600),
            "garbage": "v1.x." + "z" * 300,
        }
        for what, token in bad.items():
            with self.subTest(token=what):
                result = self.run_sipp("uac_token_refused", user="conf=" + PIN_ROOM,
                                       name="sipp-token-" + what,
                                       sets={"caller": "tokenbad", "token": token})
                self.assert_passed(result, "token %s -> 403" % what)
        reasons = [mixer_it.field(line, "msg")
                   for line in mixer_it.log_lines(self.mixer, "invite_refused")]
        print("403 reasons logged: %s" % reasons, flush=True)
        self.assertEqual(len(reasons), len(bad), reasons)

    def test_full_room(self):
        calls = [mixer_it.BackgroundSipp("uac_call", self.mixer.sip_target, self.workdir,
                                         name="sipp-member%d" % i,
                                         keys={"user": "conf=" + PAIR_ROOM},
                                         sets={"caller": "m%d" % i, "token": "none"},
                                         extra=("-d", "5000")).start() for i in (1, 2)]
        mixer_it.wait_members(self.mixer, PAIR_ROOM, 2)
        self.expect_status("conf=" + PAIR_ROOM, 486, name="sipp-third")
        for i, call in enumerate(calls, 1):
            self.assert_passed(call.join(40), "member %d of the full room" % i)

    # --- media ---------------------------------------------------------------------------------

    def test_pcap_rtp_counted(self):
        call = mixer_it.BackgroundSipp("uac_pcap_audio", self.mixer.sip_target, self.workdir,
                                       keys={"user": "conf=" + OPEN_ROOM}, timeout=30).start()
        member = mixer_it.wait_member(self.mixer, OPEN_ROOM, "sipp@")
        first = member["packets"]["in"]
        # g711a.pcap is 236 packets over 7 s: wait for a good part of them.
        later = mixer_it.wait_member(self.mixer, OPEN_ROOM, "sipp@", timeout=10,
                                     predicate=lambda m: m["packets"]["in"] >= first + 100)
        self.assert_passed(call.join(40), "PCMA pcap call")
        print("PCMA pcap: packets.in %d -> %d, codec %s, dropped_foreign %d, lost %d" %
              (first, later["packets"]["in"], later["codec"], later["packets"]["dropped_foreign"],
               later["packets"]["lost"]), flush=True)
        self.assertEqual(later["codec"].upper(), "PCMA")
        self.assertEqual(later["packets"]["dropped_foreign"], 0)

    def test_rfc4733_digit_logged(self):
        self.assert_passed(self.run_sipp("uac_dtmf"), "DTMF pcap call")
        digits = [mixer_it.field(line, "digit") for line in mixer_it.log_lines(self.mixer, "dtmf")]
        print("digits logged: %s" % digits, flush=True)
        self.assertEqual(digits, ["1"])


if __name__ == "__main__":
    unittest.main()
