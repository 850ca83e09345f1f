#!/usr/bin/python3
"""Self-test of the sidebar controller pieces, without the mixer: harness/sip_controller.py and the
uac_sidebar_*.xml scenarios against scenarios/selftest_uas_sidebar.xml (a sipp UAS in the
mixer's place: 180 then 200 with the sidebar Contact, 202 + NOTIFY 100/200 to a REFER, NOTIFY 404
to a second or out-of-dialog REFER, its own BYE), and against small Python peers for what sipp
cannot show (INVITE retransmissions per timer A, the ACK of a refusal, the unsigned and badly
signed variants). Every X-Sidebar-Auth the UAS received (sipp's message trace) is recomputed
here from that message's own method, Call-ID and CSeq."""

import os
import re
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sidebar_it  # noqa: E402
from harness import sipp  # noqa: E402
from harness.sip_controller import (Controller, Message, SipError,  # noqa: E402
                                    check_sidebar_auth)
from harness.testcase import IntegrationTestCase  # noqa: E402

SECRET = "selftest-secret-0123456789"


def traced_requests(path):
    """The requests a sipp instance received, parsed from its -trace_msg file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    out = []
    for block in re.split(r"^-{20,}.*$", text, flags=re.M):
        m = re.search(r"message received \[\d+\] bytes :\s*\n\n?(.*)", block, re.S)
        if m and not m.group(1).startswith("SIP/2.0"):
            out.append(Message.parse(m.group(1).strip("\n").replace("\n", "\r\n").encode()
                                     + b"\r\n\r\n"))
    return out


class FakePeer:
    """A Python UDP peer in the mixer's place, for timing and refusals."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.addr = self.sock.getsockname()
        self.src = None  # where the last request came from: answers go there

    def receive(self, timeout):
        """Requests (Message, arrival time) received within `timeout`."""
        out, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, src = self.sock.recvfrom(65536)
            except socket.timeout:
                break
            self.src = src
            out.append((Message.parse(data), time.monotonic()))
        return out

    def answer(self, req, status, reason, extra=()):
        lines = ["SIP/2.0 %d %s" % (status, reason)] + ["Via: " + v for v in req.all("via")]
        lines += ["From: " + req.header("from"), "To: %s;tag=peer1" % req.header("to"),
                  "Call-ID: " + req.call_id, "CSeq: " + req.header("cseq")] + list(extra)
        self.sock.sendto(("\r\n".join(lines + ["Content-Length: 0"]) + "\r\n\r\n").encode(),
                         self.src)

    def close(self):
        self.sock.close()


class ControllerAgainstSippTest(IntegrationTestCase):

    def uas(self, name="uas-sidebar"):
        self.messages = os.path.join(self.workdir, name + ".messages.log")
        uas = sipp.SippUas(self.workdir, "selftest_uas_sidebar", name=name, timeout=30,
                           extra=("-trace_msg", "-message_file", self.messages))
        return uas

    def check_signatures(self, methods):
        requests = [r for r in traced_requests(self.messages) if r.method in methods]
        self.assertEqual(sorted({r.method for r in requests}), sorted(methods), requests)
        for r in requests:
            why = check_sidebar_auth(SECRET, r.header("x-sidebar-auth"), r.method, r.call_id,
                                     r.cseq[0])
            self.assertIsNone(why, "%s as the UAS received it: %s" % (r.first_line, why))
        return requests

    def test_create_refer_bye(self):
        with self.uas() as uas, Controller("127.0.0.1", uas.target, SECRET) as c:
            sb = c.create_sidebar(1000, parent_gain=-12)
            print(sb, "provisional", sb.provisional, flush=True)
            self.assertEqual(sb.provisional, [180])
            self.assertEqual((sb.room, sb.number, sb.isfocus), ("1000", 1, True), sb.contact)
            self.assertIn("conference", sb.allow_events)
            r = c.refer(sb, c.member_uri(1000, 2))
            print(r, flush=True)
            self.assertEqual((r.status, r.sipfrags, r.terminated), (202, [100, 200], True))
            self.assertEqual(c.bye(sb), 200)
            self.assertEqual(sb.ended_by, "local")
            self.assertEqual(c.unexpected + c.errors, [])
        self.assertEqual(uas.process.returncode, 0, "the UAS saw a wrong ACK/REFER/BYE; see "
                         "uas-sidebar.errors.log")
        invite, refer = self.check_signatures(["INVITE", "REFER"])
        self.assertEqual(invite.header("x-parent-gain"), "-12")
        self.assertEqual(refer.header("refer-to"), "<sip:member=1000.2@%s>" % uas.target)
        self.assertEqual(refer.cseq, (2, "REFER"))

    def test_mixer_ends_sidebar(self):
        with self.uas() as uas, Controller("127.0.0.1", uas.target, SECRET) as c:
            sb = c.create_sidebar(1000, parent_gain="off")
            self.assertEqual(c.refer(sb, c.member_uri(1000, 2)).sipfrags, [100, 200])
            r = c.refer(sb, c.member_uri(1000, 99))
            self.assertEqual((r.status, r.sipfrags, r.terminated), (202, [404], True))
            self.assertTrue(sb.wait_ended(10), "the UAS's BYE did not end the dialog")
            self.assertEqual(sb.ended_by, "remote")
            self.assertEqual(c.unexpected + c.errors, [])
        self.assertEqual(uas.process.returncode, 0, "the UAS got no 200 for its BYE")
        refers = self.check_signatures(["INVITE", "REFER"])[1:]
        self.assertEqual([r.cseq[0] for r in refers], [2, 3])

    def test_out_of_dialog_refer(self):
        with self.uas() as uas, Controller("127.0.0.1", uas.target, SECRET) as c:
            r = c.refer("sip:conf=1000.sb7@" + uas.target, c.member_uri(1000, 2))
            self.assertEqual((r.status, r.sipfrags, r.terminated), (202, [404], True))
        self.assertEqual(uas.process.returncode, 0)
        self.check_signatures(["REFER"])

    def test_refusal_is_acked(self):
        with sipp.SippUas(self.workdir, "selftest_uas_reply", name="uas-reply") as uas:
            with Controller("127.0.0.1", uas.target, SECRET) as c:
                with self.assertRaises(SipError) as caught:
                    c.create_sidebar(1000)
        print(caught.exception, flush=True)
        self.assertEqual(caught.exception.status, 404)
        self.assertEqual(uas.process.returncode, 0, "the UAS did not get the ACK of its 404")


class ControllerAgainstPythonPeerTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.peer = FakePeer()
        self.addCleanup(self.peer.close)

    def test_timer_a_then_provisional_then_ack(self):
        with Controller("127.0.0.1", self.peer.addr, SECRET) as c:
            result = {}
            t = threading.Thread(target=lambda: result.update(sb=c.create_sidebar(1000)))
            t.start()
            silent = self.peer.receive(1.8)  # no answer: sent at 0, 0.5, 1.5 s
            invite = silent[0][0]
            self.peer.answer(invite, 180, "Ringing")
            after_180 = self.peer.receive(2.2)  # would be 3.5 s without the 180
            contact = "Contact: <sip:conf=1000.sb1@127.0.0.1:%d>;isfocus" % self.peer.addr[1]
            self.peer.answer(invite, 200, "OK", [contact])
            ack = self.peer.receive(1.0)
            self.peer.answer(invite, 200, "OK", [contact])  # a retransmitted 200: ACK again
            ack_again = self.peer.receive(1.0)
            t.join(5)
        times = [round(at - silent[0][1], 2) for _, at in silent]
        print("INVITE sent at %s s; after the 180: %s; ACKs %d + %d" %
              (times, [m.first_line for m, _ in after_180], len(ack), len(ack_again)), flush=True)
        self.assertEqual(len(times), 3, "INVITE retransmissions (timer A) at %s s" % times)
        for got, want in zip(times, (0.0, 0.5, 1.5)):
            self.assertAlmostEqual(got, want, delta=0.2, msg="timer A: INVITE sent at %s s" % times)
        self.assertEqual(after_180, [])
        self.assertEqual([m.first_line for m, _ in ack + ack_again],
                         ["ACK sip:conf=1000.sb1@127.0.0.1:%d SIP/2.0" % self.peer.addr[1]] * 2)
        self.assertEqual(ack[0][0].tag("to"), "peer1")
        self.assertEqual(result["sb"].number, 1)
        self.assertIsNone(check_sidebar_auth(SECRET, invite.header("x-sidebar-auth"), "INVITE",
                                             invite.call_id, 1))

    def test_unsigned_and_bad_auth(self):
        with Controller("127.0.0.1", self.peer.addr, SECRET) as c:
            for how in ("unsigned", "bad_auth"):
                caught = {}

                def attempt():
                    try:
                        c.create_sidebar(1000, **{how: True})
                    except SipError as e:
                        caught["e"] = e
                t = threading.Thread(target=attempt)
                t.start()
                invite = self.peer.receive(0.3)[0][0]
                self.peer.answer(invite, 403, "Forbidden")
                ack = self.peer.receive(0.5)
                t.join(5)
                value = invite.header("x-sidebar-auth")
                print("%s: X-Sidebar-Auth %r -> %s, then %s" %
                      (how, value, caught["e"], [m.first_line for m, _ in ack]), flush=True)
                self.assertEqual(caught["e"].status, 403)
                self.assertEqual([m.method for m, _ in ack], ["ACK"])
                self.assertEqual(ack[0][0].top_branch(), invite.top_branch())
                if how == "unsigned":
                    self.assertIsNone(value)
                else:
                    self.assertRegex(value, r"^v1\.\d+\.[0-9a-f]{64}$")
                    self.assertIn("MAC does not match", check_sidebar_auth(
                        SECRET, value, "INVITE", invite.call_id, 1))

    def test_parser(self):
        m = Message.parse(b"NOTIFY sip:c@h SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
                          b"f: <sip:m@h>;tag=a\r\nt: <sip:c@h>;tag=b\r\ni: id1\r\n"
                          b"CSeq: 7 NOTIFY\r\no: refer;id=3\r\nSubscription-State: terminated;\r\n"
                          b" reason=noresource\r\nc: message/sipfrag\r\nl: 18\r\n\r\n"
                          b"SIP/2.0 200 OK\r\n\r\nextra")
        self.assertEqual((m.method, m.call_id, m.cseq, m.tag("from"), m.tag("to")),
                         ("NOTIFY", "id1", (7, "NOTIFY"), "a", "b"))
        self.assertEqual(m.header("subscription-state"), "terminated; reason=noresource")
        self.assertEqual(m.body, "SIP/2.0 200 OK\r\n\r\n")
        self.assertEqual(m.top_branch(), "z9hG4bKx")


class SidebarScenarioTest(IntegrationTestCase):
    """The uac_sidebar_*.xml scenarios of test_sidebar_sip.py against the stand-in UAS."""

    def run_pair(self, uac, keys, sets, fields, extra=()):
        messages = os.path.join(self.workdir, "uas.messages.log")
        with sipp.SippUas(self.workdir, "selftest_uas_sidebar", name="uas-" + uac,
                          extra=("-trace_msg", "-message_file", messages)) as uas:
            r = sidebar_it.signed_sipp(uac, uas.target, self.workdir, uac, fields, keys, sets,
                                       extra)
        return r, uas, messages

    def test_session(self):
        member = "sip:member=1000.2@127.0.0.1"
        for want_sb, want_frags, ok in (("conf=1000.sb1", "100,200,", True),
                                        ("conf=1000.sb1", "404,", False),
                                        ("conf=1000.sb2", "100,200,", False)):
            fields = lambda cid: [sidebar_it.auth_line(SECRET, "INVITE", cid, 1),  # noqa: E731
                                  sidebar_it.auth_line(SECRET, "REFER", cid, 2),
                                  "X-Parent-Gain: -12"]
            r, uas, messages = self.run_pair("uac_sidebar_session",
                                             {"room": "1000", "member": member},
                                             {"want_sb": want_sb, "want_frags": want_frags},
                                             fields, ("-d", "200"))
            self.assertEqual(r.passed, ok, "want %s %s: %s" % (want_sb, want_frags,
                                                               r.describe()))
            if ok:
                self.assertEqual(uas.process.returncode, 0)
                for req in traced_requests(messages):
                    if req.method in ("INVITE", "REFER"):
                        self.assertIsNone(check_sidebar_auth(
                            SECRET, req.header("x-sidebar-auth"), req.method, req.call_id,
                            req.cseq[0]), req.raw)

    def test_out_of_dialog_refer(self):
        fields = lambda cid: [sidebar_it.auth_line(SECRET, "REFER", cid, 1)]  # noqa: E731
        keys = {"target": "conf=1000.sb1", "member": "sip:member=1000.2@127.0.0.1"}
        r, _, _ = self.run_pair("uac_sidebar_refer", keys, {"want": "202:404,"}, fields)
        self.assertTrue(r.passed, r.describe())
        r, _, _ = self.run_pair("uac_sidebar_refer", keys, {"want": "202:100,200,"}, fields)
        self.assertFalse(r.passed, "a NOTIFY 404 must not pass as 100,200")

    def test_refused(self):
        fields = lambda cid: ["X-Test-Note: unsigned", "X-Parent-Gain: -12"]  # noqa: E731
        with sipp.SippUas(self.workdir, "selftest_uas_reply", name="uas-reply") as uas:
            r = sidebar_it.signed_sipp("uac_sidebar_refused", uas.target, self.workdir, "refused",
                                       fields, {"room": "1000"}, {"want": "404"})
        self.assertTrue(r.passed, r.describe())
        with sipp.SippUas(self.workdir, "selftest_uas_reply", name="uas-reply2") as uas:
            r = sidebar_it.signed_sipp("uac_sidebar_refused", uas.target, self.workdir,
                                       "refused2", fields, {"room": "1000"}, {"want": "403"})
        self.assertFalse(r.passed, "a 404 must not pass as 403")


if __name__ == "__main__":
    unittest.main()
