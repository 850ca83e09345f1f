#!/usr/bin/python3
"""Control test of the integration harness, without the mixer: two baresip phones call each
other directly over loopback, one sending 440 Hz and the other 1130 Hz. Each must hear the far
tone, and neither its own tone nor one nobody sent (2210 Hz). The printed levels are the floor
the mixer tests compare with: a real path through a codec, jitter buffer and recorder."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import meter  # noqa: E402
from harness.baresip import Baresip  # noqa: E402
from harness.testcase import IntegrationTestCase  # noqa: E402

CALLER_HZ = 440
CALLEE_HZ = 1130
UNSENT_HZ = 2210
FREQS = (CALLER_HZ, CALLEE_HZ, UNSENT_HZ)
CALL_SECONDS = 4.0
# ausine's level as heard through each codec was -5.6 dBFS (1130 Hz) and -7.3 dBFS (440 Hz)
# here; TESTING.md saw -3 to -4. Wide enough for either, narrow enough to catch a gain bug.
EXPECTED_DBFS = -6.0
TOLERANCE_DB = 6.0
# A tone that must be absent is at least this far below the far tone.
MIN_SEPARATION_DB = 40.0

# Decoder names as baresip logs them ("audio: Set audio decoder: PCMU 8000Hz 1ch").
DECODER_NAMES = {"PCMU": "PCMU", "G722": "G722", "opus": "opus"}


class HarnessControlTest(IntegrationTestCase):

    def call(self, codec):
        callee = Baresip("callee", self.workdir, tone_hz=CALLEE_HZ, codec=codec, auto_answer=True)
        caller = Baresip("caller", self.workdir, tone_hz=CALLER_HZ, codec=codec)
        with callee, caller:
            caller.dial(callee.uri)
            caller.wait_for_event("CALL_ESTABLISHED", 20)
            callee.wait_for_event("CALL_ESTABLISHED", 20)
            caller.wait_for_event("CALL_RTPESTAB", 10)
            callee.wait_for_event("CALL_RTPESTAB", 10)
            time.sleep(CALL_SECONDS)  # the call itself: tones flow both ways
            caller.hangup()
            caller.wait_for_event("CALL_CLOSED", 10)
            callee.wait_for_event("CALL_CLOSED", 10)
        for phone in (caller, callee):
            self.assertEqual(len(phone.recordings("dec")), 1,
                             "%s: expected one recording of the call" % phone.name)
        self.check_codec(caller, codec)
        self.check_codec(callee, codec)
        return caller, callee

    def check_codec(self, phone, codec):
        with open(phone.process.log_path, encoding="utf-8", errors="replace") as f:
            decoders = re.findall(r"Set audio decoder: (\S+)", f.read())
        self.assertIn(DECODER_NAMES[codec], decoders,
                      "%s: codec %s was not used (decoders set: %s)" %
                      (phone.name, codec, decoders))

    def check_heard(self, phone, far_hz, own_hz, codec):
        m = meter.measure(phone.recording(), FREQS)
        lv = m["levels"]
        print("%-5s %-6s heard: far %d Hz %.1f dBFS, own %d Hz %.1f, unsent %d Hz %.1f, "
              "rms %.1f dBFS over %.1f s of %.1f s" %
              (codec, phone.name, far_hz, lv[far_hz], own_hz, lv[own_hz], UNSENT_HZ,
               lv[UNSENT_HZ], m["rms_dbfs"], m["window_seconds"], m["seconds"]), flush=True)
        what = "%s %s" % (codec, phone.name)
        far = meter.assert_present(lv, far_hz, EXPECTED_DBFS, TOLERANCE_DB, what)
        meter.assert_absent(lv, own_hz, far - MIN_SEPARATION_DB, what + " (own tone)")
        meter.assert_absent(lv, UNSENT_HZ, far - MIN_SEPARATION_DB, what + " (unsent tone)")

    def run_codec(self, codec):
        caller, callee = self.call(codec)
        self.check_heard(caller, CALLEE_HZ, CALLER_HZ, codec)
        self.check_heard(callee, CALLER_HZ, CALLEE_HZ, codec)

    def test_pcmu(self):
        self.run_codec("PCMU")

    def test_g722(self):
        self.run_codec("G722")

    def test_opus(self):
        self.run_codec("opus")


if __name__ == "__main__":
    unittest.main()
