#!/usr/bin/python3
"""The mixer's conference event package (RFC 4575 over SUBSCRIBE/NOTIFY), room recording, and
shutdown, against the real sidebar-mixer with real peers:
- a watcher subscribes to room 1000 and gets the full state (no users), then a partial NOTIFY
  when a caller joins (the caller's user element) and when it leaves (state="deleted");
- a room configured with "record": true writes its main mix to a WAV that holds the caller's tone;
- SIGTERM with a call up: the caller gets a BYE and the mixer exits 0."""

import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import meter, sipp  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402


class Watcher:
    """A minimal SIP subscriber over UDP: SUBSCRIBE, then answers every NOTIFY with 200 and
    keeps their bodies."""

    def __init__(self, target_port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.target = ("127.0.0.1", target_port)
        self.notifies = []
        self.cseqs = set()
        self.retransmissions = 0

    def subscribe(self, room, accept="application/conference-info+xml"):
        msg = ("SUBSCRIBE sip:conf=%s@127.0.0.1:%d SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-w%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:watcher@127.0.0.1:%d>;tag=w1\r\n"
               "To: <sip:conf=%s@127.0.0.1:%d>\r\n"
               "Call-ID: watch-%d\r\nCSeq: 1 SUBSCRIBE\r\n"
               "Contact: <sip:watcher@127.0.0.1:%d>\r\n"
               "Event: conference\r\nAccept: %s\r\nExpires: 300\r\nContent-Length: 0\r\n\r\n" %
               (room, self.target[1], self.port, self.port, self.port, room, self.target[1],
                self.port, self.port, accept))
        self.sock.sendto(msg.encode(), self.target)

    def receive(self, timeout):
        """The next message (answering a NOTIFY with 200), or None."""
        self.sock.settimeout(timeout)
        try:
            data, addr = self.sock.recvfrom(65536)
        except socket.timeout:
            return None
        text = data.decode(errors="replace")
        if text.startswith("NOTIFY "):
            head, _, body = text.partition("\r\n\r\n")
            cseq = re.search(r"^CSeq:\s*(\d+)", head, re.M | re.I)
            if cseq and cseq.group(1) in self.cseqs:
                self.retransmissions += 1  # our 200 crossed it: answer again, count once
            else:
                self.cseqs.add(cseq.group(1) if cseq else "")
                self.notifies.append((head, body))
            answer = "SIP/2.0 200 OK\r\n"
            for name in ("Via", "From", "To", "Call-ID", "CSeq"):
                m = re.search(r"^%s:\s*(.*)$" % name, head, re.M | re.I)
                if m:
                    answer += "%s: %s\r\n" % (name, m.group(1).strip())
            self.sock.sendto((answer + "Content-Length: 0\r\n\r\n").encode(), addr)
        return text

    def wait_notify(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for head, body in self.notifies:
                if predicate(head, body):
                    return head, body
            self.receive(max(0.05, deadline - time.monotonic()))
        raise AssertionError("no NOTIFY %s within %.0f s (got %d NOTIFYs)" %
                             (what, timeout, len(self.notifies)))

    def close(self):
        self.sock.close()


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
