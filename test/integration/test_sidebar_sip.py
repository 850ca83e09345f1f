#!/usr/bin/python3
"""Sidebars over SIP against the real sidebar-mixer (DESIGN.md 5.4, the sidebar control contract):
- sipp as the controller (uac_sidebar_*.xml, requests signed here and injected): INVITE
  sidebar=1000 -> 200 with Contact <sip:conf=1000.sb1@...>;isfocus; REFER in the controlling
  dialog -> 202 + NOTIFY 100 then 200, the member in sidebar 1 (admin API, log); an unknown
  member -> NOTIFY 404; an untrusted controller (no X-Sidebar-Auth, a wrong, stale, replayed or
  malformed one, or a signed request from an address not in controllers.addresses) -> 403; BYE
  dissolves the sidebar, after which a REFER to its old URI gets NOTIFY 404;
- the Python controller (harness/sip_controller.py) for the rest: moving a member from one
  sidebar to another and back to the main room, the mixer's BYE when a sidebar's last member
  leaves, X-Parent-Gain checks (400) and a room without members (404).
Members are real calls into room 1000 (sipp uac_call.xml) that must stay up untouched (no
re-INVITE) while they are moved: each member's sipp run has to pass."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mixer_it  # noqa: E402
import sidebar_it  # noqa: E402
from sidebar_it import ROOM  # noqa: E402
from harness.conference_watcher import Watcher  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.sip_controller import SipError  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

MEMBER_SECONDS = 15  # how long each member call stays up: longer than any test's flow


class SidebarSipTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.mixer = None
        self.secret = None

    def start_mixer(self, extra=None):
        self.mixer = Mixer(self.workdir, extra=extra)
        self.mixer.start()
        self.addCleanup(self.stop_mixer)
        self.secret = sidebar_it.secret_of(self.mixer)
        return self.mixer

    def stop_mixer(self):
        alive = self.mixer.process.running()
        code = self.mixer.stop()
        self.assertTrue(alive, "mixer died during the test")
        self.assertEqual(code, 0, "mixer exit code on SIGTERM")

    def members(self, *callers):
        """Member calls that stay up; returns ({caller: member number}, [calls])."""
        calls = [sidebar_it.member_call(self.mixer, self.workdir, c, MEMBER_SECONDS)
                 for c in callers]
        numbers = {c: sidebar_it.member_number(self.mixer, c) for c in callers}
        print("members: %s" % numbers, flush=True)
        return numbers, calls

    def calls_passed(self, calls):
        for call in calls:
            result = call.join(MEMBER_SECONDS + 40)
            self.assertTrue(result.passed, "a member's own call was disturbed (re-INVITE, BYE?) "
                            "while it was moved: %s" % result.describe())

    def during(self, run, check):
        """check(), and if it fails after the controller's sipp run already failed, says so."""
        try:
            return check()
        except AssertionError as e:
            if not run.running() and run.result is not None and not run.result.passed:
                raise AssertionError("%s\nThe controller's sipp run had failed already: %s" %
                                     (e, run.result.describe())) from None
            raise

    def member_uri(self, number):
        return "sip:member=%s.%d@127.0.0.1:%d" % (ROOM, number, self.mixer.sip_port)

    def session(self, name, member, want_frags, gain="-12", seconds=4, want_sb="conf=1000.sb1"):
        """uac_sidebar_session.xml in the background: create, REFER `member`, hold, BYE."""
        def fields(cid):
            return [sidebar_it.auth_line(self.secret, "INVITE", cid, 1),
                    sidebar_it.auth_line(self.secret, "REFER", cid, 2),
                    "X-Parent-Gain: %s" % gain]
        return sidebar_it.signed_sipp(
            "uac_sidebar_session", self.mixer.sip_target, self.workdir, name, fields,
            keys={"room": ROOM, "member": self.member_uri(member)},
            sets={"want_sb": want_sb, "want_frags": want_frags},
            extra=("-d", str(seconds * 1000)), timeout=seconds + 20, background=True)

    def refer(self, name, target, member, want, how="good"):
        """An out-of-dialog REFER to `target` whose outcome "<status>:<sipfrags>," must be
        `want`. Sent by the Python controller, not sipp: outside a dialog the mixer's SIP stack
        (Debian's sofia-sip) sends its first NOTIFY before the REFER's answer, and the two race
        on the wire, which sipp's linear scenarios cannot take. In-dialog REFERs (the session
        scenario) stay with sipp."""
        uri = "sip:%s@%s:%d" % (target, "127.0.0.1", self.mixer.sip_port)
        with sidebar_it.controller(self.mixer) as ctl:
            result = ctl.refer(uri, self.member_uri(member), unsigned=(how == "none"),
                               bad_auth=(how not in ("good", "none")))
        got = "%d:" % result.status
        if 200 <= result.status < 300:
            got += "".join("%d," % s for s in result.sipfrags)
        self.assertEqual(got, want, "%s: REFER %s member %d (%s signature): %r" %
                         (name, target, member, how, result))

    # --- sipp as the controller --------------------------------------------------------------

    def test_create_move_bye(self):
        self.start_mixer()
        numbers, calls = self.members("alice", "bob")
        alice, bob = numbers["alice"], numbers["bob"]
        session = self.session("session", alice, "100,200,")
        created = self.during(session, lambda: sidebar_it.wait_event(
            self.mixer, "sidebar_created", 10, room=ROOM, sidebar=1))
        self.assertEqual(mixer_it.field(created[0], "call-id"), session.call_id, created)
        sidebar_it.wait_event(self.mixer, "member_moved", 10, room=ROOM, member=alice, sidebar=1)
        sidebar_it.wait_placement(self.mixer, alice, 1)
        self.assertEqual(sidebar_it.placement(self.mixer)[bob], 0, "bob was not moved")
        listed = sidebar_it.sidebars(self.mixer)
        print("GET /rooms/1000/sidebars during the session: %s" % listed, flush=True)
        self.assertEqual([(s["sidebar"], s["parent_gain_db"], s["members"], s["controller"])
                          for s in listed], [(1, -12, [alice], "sip")])
        result = session.join(40)
        self.assertTrue(result.passed, "the controller's session: %s" % result.describe())
        ended = sidebar_it.wait_event(self.mixer, "sidebar_ended", 10, room=ROOM, sidebar=1)
        print("sidebar_ended: %s" % ended[0].strip(), flush=True)
        sidebar_it.wait_placement(self.mixer, alice, 0)
        self.assertEqual(sidebar_it.sidebars(self.mixer), [])
        # The dissolved sidebar's URI names nothing any more.
        self.refer("refer-old-sidebar", "conf=1000.sb1", alice, "202:100,404,")
        self.assertEqual(sidebar_it.placement(self.mixer), {alice: 0, bob: 0})
        self.calls_passed(calls)

    def test_unknown_member(self):
        self.start_mixer()
        numbers, calls = self.members("carol")
        unknown = max(numbers.values()) + 50
        session = self.session("session-unknown", unknown, "100,404,", seconds=1)
        self.assertTrue(session.join(40).passed, "REFER of member %d in the controlling dialog "
                        "must get one NOTIFY 404: %s" % (unknown, session.result.describe()))
        self.refer("refer-unknown-main", "conf=" + ROOM, unknown, "202:100,404,")
        self.refer("refer-unknown-sidebar", "conf=1000.sb9", numbers["carol"], "202:100,404,")
        self.assertEqual(sidebar_it.events(self.mixer, "member_moved"), [],
                         "nobody may be moved by these REFERs")
        self.assertEqual(sidebar_it.placement(self.mixer), {numbers["carol"]: 0})
        self.calls_passed(calls)

    def test_untrusted_controller(self):
        self.start_mixer()
        numbers, calls = self.members("dave")
        dave = numbers["dave"]
        bad = ("none", "wrong_secret", "stale", "other_call_id", "garbage")
        for how in bad:
            with self.subTest(invite=how):
                result = sidebar_it.signed_sipp(
                    "uac_sidebar_refused", self.mixer.sip_target, self.workdir, "invite-" + how,
                    lambda cid, how=how: [sidebar_it.auth_line(self.secret, "INVITE", cid, 1, how),
                                          "X-Parent-Gain: -12"],
                    keys={"room": ROOM}, sets={"want": "403"})
                self.assertTrue(result.passed, "INVITE sidebar=1000 with %s signature must get "
                                "403: %s" % (how, result.describe()))
        for how in ("none", "wrong_secret"):
            self.refer("refer-" + how, "conf=" + ROOM, dave, "403:", how)
        refused = sidebar_it.events(self.mixer, "controller_refused")
        print("controller_refused lines:\n%s" % "".join(refused), flush=True)
        self.assertEqual(len(refused), len(bad) + 2, "one event=controller_refused per refusal")
        for line in refused:
            self.assertIn("127.0.0.1", line, "the log line must name the source address")
        self.assertEqual(sidebar_it.events(self.mixer, "sidebar_created"), [])
        self.assertEqual(sidebar_it.placement(self.mixer), {dave: 0})
        self.calls_passed(calls)

    def test_address_not_trusted(self):
        self.start_mixer(extra={"controllers": {"addresses": ["192.0.2.10"]}})
        _, calls = self.members("erin")
        result = sidebar_it.signed_sipp(
            "uac_sidebar_refused", self.mixer.sip_target, self.workdir, "invite-from-untrusted",
            lambda cid: [sidebar_it.auth_line(self.secret, "INVITE", cid, 1), "X-Test-Note: -"],
            keys={"room": ROOM}, sets={"want": "403"})
        self.assertTrue(result.passed, "a correctly signed INVITE from 127.0.0.1, which is not in "
                        "controllers.addresses, must get 403: %s" % result.describe())
        self.assertEqual(len(sidebar_it.events(self.mixer, "controller_refused")), 1)
        self.calls_passed(calls)

    # --- the Python controller ---------------------------------------------------------------

    def test_roster_shows_sidebars(self):
        """RFC 4575: a subscriber of the room sees each sidebar under sidebars-by-val with its
        members, the moved member as muted-via-focus in the main roster, and the sidebar go."""
        self.start_mixer()
        numbers, calls = self.members("kim", "lee")
        kim = numbers["kim"]
        watcher = Watcher(self.mixer.sip_port)
        self.addCleanup(watcher.close)
        watcher.subscribe(ROOM)
        watcher.wait_notify(lambda h, b: 'state="full"' in b, 5, "full state")
        with sidebar_it.controller(self.mixer) as ctl:
            sb1 = ctl.create_sidebar(ROOM, parent_gain=-12)
            r = ctl.refer(sb1, self.member_uri(kim))
            self.assertEqual((r.status, r.sipfrags), (202, [100, 200]), r)
            sidebar_uri = "conf=%s.sb1@" % ROOM
            _, body = watcher.wait_notify(
                lambda h, b: "<sidebars-by-val" in b and sidebar_uri in b and
                "muted-via-focus" in b, 10, "with sidebar 1 holding member %d" % kim)
            entry = body[body.index("<sidebars-by-val"):]
            self.assertIn("member=%s.%d@" % (ROOM, kim), entry,
                          "the sidebar's entry lists its member: %s" % entry)
            self.assertEqual(ctl.bye(sb1), 200)
        watcher.wait_notify(lambda h, b: sidebar_uri in b and 'state="deleted"' in b, 10,
                            "deleting sidebar 1 after its BYE")
        self.calls_passed(calls)

    def test_admin_sidebars(self):
        """The admin API's sidebar routes: the same rules as SIP, and clear errors."""
        self.start_mixer()
        numbers, calls = self.members("mia", "ned")
        mia = numbers["mia"]
        base = "/rooms/%s/sidebars" % ROOM
        admin = self.mixer.admin
        self.assertEqual(admin("POST", base, {"parent_gain_db": -6}, token="")[0], 401)
        self.assertEqual(admin("POST", base, {"parent_gain_db": 5})[0], 400)
        self.assertEqual(admin("POST", base, {"parent_gain_db": "loud"})[0], 400)
        status, body = admin("POST", base, {"parent_gain_db": "off"})
        self.assertEqual((status, body.get("sidebar")), (201, 1), body)
        self.assertEqual(admin("POST", base + "/1/members", {"member": 99})[0], 404)
        self.assertEqual(admin("POST", base + "/7/members", {"member": mia})[0], 404)
        self.assertEqual(admin("POST", base + "/1/members", {"who": mia})[0], 400)
        self.assertEqual(admin("POST", base + "/1/members", {"member": mia})[0], 200)
        sidebar_it.wait_placement(self.mixer, mia, 1)
        listed = sidebar_it.sidebars(self.mixer)
        self.assertEqual([(s["sidebar"], s["members"], s["parent_gain_db"], s["controller"])
                          for s in listed], [(1, [mia], None, "admin")], listed)
        self.assertEqual(admin("DELETE", base + "/1/members/%d" % numbers["ned"])[0], 404)
        self.assertEqual(admin("DELETE", base + "/1/members/%d" % mia)[0], 200)
        sidebar_it.wait_placement(self.mixer, mia, 0)
        # Moving the last member out ended the sidebar, as a hang-up would.
        self.assertEqual(sidebar_it.sidebars(self.mixer), [])
        status, body = admin("POST", base, {})
        self.assertEqual((status, body.get("sidebar")), (201, 1), body)
        self.assertEqual(admin("POST", base + "/1/members", {"member": mia})[0], 200)
        self.assertEqual(admin("DELETE", base + "/1")[0], 200)
        sidebar_it.wait_placement(self.mixer, mia, 0)
        self.assertEqual(admin("DELETE", base + "/1")[0], 404)
        self.assertTrue(sidebar_it.events(self.mixer, "sidebar_ended", reason="admin"))
        self.calls_passed(calls)

    def test_move_between_sidebars_and_back(self):
        self.start_mixer()
        numbers, calls = self.members("frank", "grace")
        frank, grace = numbers["frank"], numbers["grace"]
        with sidebar_it.controller(self.mixer) as ctl:
            sb1 = ctl.create_sidebar(ROOM, parent_gain=-12)
            sb2 = ctl.create_sidebar(ROOM, parent_gain="off")
            print("created %s and %s" % (sb1, sb2), flush=True)
            self.assertEqual((sb1.number, sb2.number), (1, 2))
            self.assertTrue(sb1.isfocus and sb2.isfocus, (sb1.contact, sb2.contact))
            for sb, who in ((sb1, frank), (sb1, grace), (sb2, grace)):
                r = ctl.refer(sb, self.member_uri(who))
                self.assertEqual((r.status, r.sipfrags), (202, [100, 200]),
                                 "REFER member %d into sidebar %d: %s" % (who, sb.number, r))
                sidebar_it.wait_placement(self.mixer, who, sb.number)
            self.assertEqual(sidebar_it.placement(self.mixer), {frank: 1, grace: 2})
            gains = {s["sidebar"]: s["parent_gain_db"] for s in sidebar_it.sidebars(self.mixer)}
            self.assertEqual(gains, {1: -12, 2: None}, "parent gain -12 and off (null)")
            # Back to the main room (out of dialog, to conf=1000): sidebar 2 loses its last
            # member, so the mixer ends it with a BYE on its controlling dialog.
            r = ctl.refer(self.mixer.room_uri(ROOM), self.member_uri(grace))
            self.assertEqual((r.status, r.sipfrags), (202, [100, 200]), r)
            sidebar_it.wait_placement(self.mixer, grace, 0)
            self.assertTrue(sb2.wait_ended(5), "the mixer did not BYE sidebar 2's controlling "
                            "dialog after its last member left")
            self.assertEqual(sb2.ended_by, "remote")
            sidebar_it.wait_event(self.mixer, "sidebar_ended", 5, room=ROOM, sidebar=2)
            self.assertFalse(sb1.ended)
            # Our BYE dissolves sidebar 1: frank is back in the main room, still in the call.
            self.assertEqual(ctl.bye(sb1), 200)
            sidebar_it.wait_placement(self.mixer, frank, 0)
            self.assertEqual(ctl.unexpected, [], "requests the controller did not expect")
        self.calls_passed(calls)

    def test_last_member_hangs_up(self):
        self.start_mixer()
        _, calls = self.members("heidi")
        short = sidebar_it.member_call(self.mixer, self.workdir, "ivan", 5)
        ivan = sidebar_it.member_number(self.mixer, "ivan")
        with sidebar_it.controller(self.mixer) as ctl:
            sb = ctl.create_sidebar(ROOM)
            self.assertEqual(ctl.refer(sb, self.member_uri(ivan)).sipfrags, [100, 200])
            self.assertTrue(short.join(30).passed, "ivan's call")
            self.assertTrue(sb.wait_ended(5), "the mixer did not end the sidebar (BYE on its "
                            "controlling dialog) when its last member hung up")
            self.assertEqual(sb.ended_by, "remote")
        sidebar_it.wait_event(self.mixer, "sidebar_ended", 5, room=ROOM, sidebar=1)
        self.calls_passed(calls)

    def test_refusals_of_the_sidebar_factory(self):
        self.start_mixer()
        with sidebar_it.controller(self.mixer) as ctl:
            with self.assertRaises(SipError) as empty:
                ctl.create_sidebar(ROOM)
            self.assertEqual(empty.exception.status, 404, "room 1000 without members")
            _, calls = self.members("judy")
            for gain in ("-61", "1", "loud", "-12dB"):
                with self.subTest(gain=gain), self.assertRaises(SipError) as bad:
                    ctl.create_sidebar(ROOM, parent_gain=gain)
                self.assertEqual(bad.exception.status, 400, "X-Parent-Gain: %r" % gain)
                self.assertIsNotNone(bad.exception.response.header("warning"),
                                     "a 400 for X-Parent-Gain %r must say why (Warning)" % gain)
            for gain in (-60, 0, "off"):
                sb = ctl.create_sidebar(ROOM, parent_gain=gain)
                self.assertEqual(ctl.bye(sb), 200)
            with self.assertRaises(SipError) as unknown_room:
                ctl.create_sidebar("9999")
            self.assertEqual(unknown_room.exception.status, 404)
        self.assertEqual(sidebar_it.events(self.mixer, "member_moved"), [])
        self.calls_passed(calls)


if __name__ == "__main__":
    unittest.main()
