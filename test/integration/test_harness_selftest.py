#!/usr/bin/python3
"""Self-test of the harness pieces that the control call does not cover: port reservation,
netstrings, the tone meter's CLI, process stop escalation, the Mixer class (against a fake), and
every sipp scenario in scenarios/ against a sipp UAS (stand-in UAS scenarios for the ones the
built-in "uas" cannot answer)."""

import math
import os
import socket
import struct
import subprocess
import sys
import unittest
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from harness import meter, ports, sipp  # noqa: E402
from harness.ctrl_tcp import NetstringDecoder, encode_netstring  # noqa: E402
from harness.mixer import Mixer  # noqa: E402
from harness.process import Process, wait_until  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402


def write_tones(path, rate, tones, seconds=3.0):
    """A mono 16-bit WAV with each (hz, peak dBFS) of `tones` summed."""
    n = int(rate * seconds)
    frames = bytearray()
    for i in range(n):
        v = sum(32767 * 10 ** (db / 20) * math.sin(2 * math.pi * hz * i / rate)
                for hz, db in tones)
        frames += struct.pack("<h", max(-32768, min(32767, int(round(v)))))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


class PortsTest(unittest.TestCase):

    def test_blocks_are_bound_disjoint_and_free_after_release(self):
        a = ports.reserve(10, tcp=False, align=2)
        b = ports.reserve(2)
        try:
            self.assertEqual(a.base % 2, 0)
            self.assertFalse(set(a.ports) & set(b.ports))
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            with self.assertRaises(OSError):  # still held by the probe socket
                s.bind(("127.0.0.1", b.base))
            b.release()
            s.bind(("127.0.0.1", b.base))  # now the process under test can bind it
            s.close()
        finally:
            a.close()
            b.close()


class NetstringTest(unittest.TestCase):

    def test_split_across_reads_and_malformed(self):
        d = NetstringDecoder()
        data = encode_netstring(b'{"a":1}') + encode_netstring(b"xy")
        self.assertEqual(d.feed(data[:5]), [])
        self.assertEqual(d.feed(data[5:]), [b'{"a":1}', b"xy"])
        with self.assertRaises(ValueError):
            NetstringDecoder().feed(b"3:abc;")
        with self.assertRaises(ValueError):
            NetstringDecoder().feed(b"99999999999:")


class ToneMeterTest(IntegrationTestCase):

    def test_levels_of_a_known_file(self):
        path = os.path.join(self.workdir, "two_tones.wav")
        write_tones(path, 8000, [(440, -6.0), (1130, -20.0)])
        m = meter.measure(path, [440, 1130, 2210])
        self.assertAlmostEqual(m["seconds"], 3.0, places=1)
        meter.assert_present(m["levels"], 440, -6.0, 0.5)
        meter.assert_present(m["levels"], 1130, -20.0, 0.5)
        meter.assert_absent(m["levels"], 2210, -60.0)
        with self.assertRaises(AssertionError):
            meter.assert_absent(m["levels"], 440, -60.0)
        with self.assertRaises(AssertionError):
            meter.assert_present(m["levels"], 2210, -6.0, 3.0)

    def test_unreadable_and_short_files_fail_clearly(self):
        bad = os.path.join(self.workdir, "not_audio.wav")
        with open(bad, "wb") as f:
            f.write(b"RIFF garbage")
        for path in (bad, os.path.join(self.workdir, "missing.wav")):
            p = subprocess.run([meter.tone_meter_path(), path, "--freq", "440"],
                               capture_output=True, text=True, timeout=30, check=False)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("cannot read", p.stderr)
        short = os.path.join(self.workdir, "short.wav")
        write_tones(short, 8000, [(440, -6.0)], seconds=1.2)
        with self.assertRaisesRegex(AssertionError, "nothing left"):
            meter.measure(short, [440])
        p = subprocess.run([meter.tone_meter_path(), short], capture_output=True, text=True,
                           timeout=30, check=False)
        self.assertEqual(p.returncode, 2)


class ProcessTest(IntegrationTestCase):

    def test_sigkill_after_ignored_sigterm(self):
        code = ("import signal, sys, time\n"
                "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                "print('ignoring' + '-sigterm', flush=True)\n"
                "time.sleep(60)\n")
        p = Process("stubborn", [sys.executable, "-c", code], self.workdir).start()
        # (The log's first line echoes the command, so the marker is built at run time.)
        wait_until(lambda: "ignoring-sigterm" in p.log_tail(), 10,
                   "the stubborn child to ignore SIGTERM")
        self.assertEqual(p.stop(timeout=0.5), -9)
        self.assertIn("SIGKILL", p.log_tail())


class MixerClassTest(IntegrationTestCase):

    def test_against_fake_mixer(self):
        old = os.environ.get("SIDEBAR_MIXER")
        os.environ["SIDEBAR_MIXER"] = os.path.join(HERE, "fakes", "fake_mixer.py")
        try:
            m = Mixer(self.workdir).start()
            try:
                self.assertEqual(m.admin("GET", "/healthz")[0], 200)
                status, rooms = m.admin("GET", "/rooms")
                self.assertEqual(status, 200)
                self.assertEqual([r["number"] for r in rooms], ["1000", "2000"])
                self.assertEqual(m.admin("GET", "/rooms", token="wrong")[0], 401)
                self.assertEqual(m.admin("GET", "/nothing")[0], 404)
            finally:
                self.assertEqual(m.stop(), 0)
        finally:
            if old is None:
                del os.environ["SIDEBAR_MIXER"]
            else:
                os.environ["SIDEBAR_MIXER"] = old


class ScenarioTest(IntegrationTestCase):
    """Each UAC scenario against a UAS that behaves as the mixer should (must pass), and where
    useful against one that does not (must fail, proving the check is real)."""

    KEYS = {"user": "conf=1000"}

    def run_pair(self, uas_scenario, uac_scenario, keys=None, sets=None):
        keys = dict(self.KEYS, **(keys or {}))
        with sipp.SippUas(self.workdir, uas_scenario, keys=keys,
                          name="uas-" + uac_scenario) as uas:
            return sipp.run(uac_scenario, uas.target, self.workdir, keys=keys, sets=sets,
                            timeout=20)

    def test_invite_bye(self):
        r = self.run_pair("selftest_uas_focus", "uac_invite_bye")
        self.assertTrue(r.passed, r.describe())
        r = self.run_pair("uas", "uac_invite_bye")  # no ;isfocus: must fail
        self.assertFalse(r.passed)
        self.assertIn("isfocus", r.errors)

    def test_cancel(self):
        r = self.run_pair("selftest_uas_cancel", "uac_cancel")
        self.assertTrue(r.passed, r.describe())

    def test_reinvite_hold(self):
        r = self.run_pair("selftest_uas_hold", "uac_reinvite_hold")
        self.assertTrue(r.passed, r.describe())

    def test_options(self):
        r = self.run_pair("selftest_uas_reply", "uac_options")
        self.assertTrue(r.passed, r.describe())

    def test_expect_status(self):
        keys = {"pt": "0", "rtpmap": "PCMU/8000"}
        r = self.run_pair("selftest_uas_reply", "uac_expect_status", keys, {"want": "404"})
        self.assertTrue(r.passed, r.describe())
        r = self.run_pair("selftest_uas_reply", "uac_expect_status", keys, {"want": "403"})
        self.assertFalse(r.passed, "a 404 must not pass as 403")

    def test_pcap_audio(self):
        r = self.run_pair("uas", "uac_pcap_audio")
        self.assertTrue(r.passed, r.describe())


if __name__ == "__main__":
    unittest.main()
