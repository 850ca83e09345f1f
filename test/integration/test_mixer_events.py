#!/usr/bin/python3
"""The mixer's conference event package (RFC 4575 over SUBSCRIBE/NOTIFY), room recording, and
shutdown, against the real sidebar-mixer with real peers:
- a watcher subscribes to room 1000 and gets the full state (no users), then a partial NOTIFY
  when a caller joins (the caller's user element) and when it leaves (state="deleted");
- a room configured with "record": true writes its main mix to a WAV that holds the caller's tone;
- SIGTERM with a call up: the caller gets a BYE and the mixer exits 0."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import meter, sipp  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.conference_watcher import Watcher  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402


class MixerEventsTest(IntegrationTestCase):

    def test_roster_notifications(self):
        with Mixer(self.workdir) as m:
            watcher = Watcher(m.sip_port)
            try:
                watcher.subscribe(1000)
                first = watcher.receive(5)
                self.assertIsNotNone(first, "no answer to SUBSCRIBE")
                self.assertTrue(first.startswith("SIP/2.0 202"), first.splitlines()[0])
                _, full = watcher.wait_notify(lambda h, b: 'state="full"' in b, 5, "full state")
                self.assertIn("<user-count>0</user-count>", full)

                result = sipp.run("uac_invite_bye", m.sip_target, self.workdir, name="joiner",
                                  keys={"user": "conf=1000"})
                self.assertTrue(result.passed, result.describe())
                _, joined = watcher.wait_notify(
                    lambda h, b: 'state="partial"' in b and "sip:member=1000.1@" in b, 10,
                    "announcing member 1")
                self.assertIn("sipp@127.0.0.1", joined)
                watcher.wait_notify(lambda h, b: 'state="deleted"' in b, 10,
                                    "deleting member 1 after its BYE")
                versions = [int(re.search(r'version="(\d+)"', b).group(1))
                            for _, b in watcher.notifies]
                self.assertEqual(versions, list(range(1, len(versions) + 1)),
                                 "versions must count up by one")
                print("NOTIFY versions seen: %s (retransmissions %d)" %
                      (versions, watcher.retransmissions), flush=True)
            finally:
                watcher.close()

    def test_bad_accept_is_refused(self):
        with Mixer(self.workdir) as m:
            watcher = Watcher(m.sip_port)
            try:
                watcher.subscribe(1000, accept="text/plain")
                answer = watcher.receive(5)
                self.assertIsNotNone(answer)
                self.assertTrue(answer.startswith("SIP/2.0 406"), answer.splitlines()[0])
            finally:
                watcher.close()

    def test_recording_holds_the_room_mix(self):
        rooms = [{"number": "3000", "name": "Recorded", "record": True}]
        recording_dir = os.path.join(self.workdir, "recordings")
        with Mixer(self.workdir, rooms=rooms, extra={"recording_dir": recording_dir}) as m:
            with Baresip("rec", self.workdir, tone_hz=1130, codec="PCMU") as phone:
                phone.dial(m.room_uri(3000))
                phone.wait_for_event("CALL_ESTABLISHED", 20)
                time.sleep(6)
                phone.hangup()
                phone.wait_for_event("CALL_CLOSED", 10)
            time.sleep(1)  # the room notices it is empty and closes the file
        files = sorted(os.listdir(recording_dir))
        self.assertEqual(len(files), 1, "one recording expected: %s" % files)
        self.assertRegex(files[0], r"^room-3000-\d{8}T\d{6}Z\.wav$")
        levels = meter.measure(os.path.join(recording_dir, files[0]), (1130, 2210), skip=3.5)
        print("recording: %s" % levels, flush=True)
        far = meter.assert_present(levels["levels"], 1130, -6.0, 6.0, "recording")
        meter.assert_absent(levels["levels"], 2210, far - 40.0, "recording (unsent tone)")

    def test_sigterm_says_goodbye(self):
        m = Mixer(self.workdir)
        m.start()
        try:
            with Baresip("leaver", self.workdir, tone_hz=440, codec="PCMU") as phone:
                phone.dial(m.room_uri(1000))
                phone.wait_for_event("CALL_ESTABLISHED", 20)
                time.sleep(1)
                code = m.stop()
                self.assertEqual(code, 0, "the mixer must exit 0 on SIGTERM")
                phone.wait_for_event("CALL_CLOSED", 10)
        finally:
            if m.process is not None and m.process.running():
                m.stop()


if __name__ == "__main__":
    unittest.main()
