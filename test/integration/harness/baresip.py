"""A headless baresip 1.0.0 instance as a test SIP phone: its own config dir, a sine (ausine) or
WAV file (aufile) as microphone, no sound card, the decoded far-end audio recorded by sndfile,
and control over ctrl_tcp.

baresip quirks met on Debian 12 (1.0.0), worked around here:
- ausine only starts with `ausrc_srate 48000` and `ausrc_channels 2`; other values fail the
  audio source and the call has no outgoing audio.
- SIP over TLS always binds sip_listen's port + 1, so an instance needs two free ports.
- Commands ("dial", "hangup", "quit", "sndcode") are registered by the menu module; ctrl_tcp only
  forwards them, so menu.so must be loaded even headless. stdio.so must not be (it reads the
  terminal and stops on EOF of stdin).
- sndfile names recordings dump-<YYYY-MM-DD-HH-MM-SS>-{enc,dec}.wav with one-second resolution,
  so two calls in the same second of one instance would share a name: each instance gets its
  own snd_path and the tests make one call per instance. The WAV header is only completed when
  the call ends: hang up (and wait for CALL_CLOSED) before reading a recording.
- sndfile builds the file name in a small fixed buffer: with a long snd_path (a build tree's
  work dir) the name is cut and it fails with "could not open: <dir>: Is a directory", and the
  call has no recording. So recordings go to a short /tmp/sbrec-XXXX dir and are moved into the
  work dir when the instance stops.
- The recording is at the codec's rate (8 kHz PCMU, 16 kHz G722, 48 kHz stereo opus).
- `net_interface lo` fails ("net: lo: could not get network address": baresip skips loopback
  interfaces); `net_interface 127.0.0.1` (an address) works and keeps SDP on loopback.
- sndcode sends RFC 4733 events only (no SIP INFO).
"""

import glob
import os
import shutil
import tempfile
import wave

from harness import ports
from harness.ctrl_tcp import CtrlTcp
from harness.process import Process

BARESIP = shutil.which("baresip") or "/usr/bin/baresip"
MODULE_PATH = "/usr/lib/baresip/modules"

# The account's audio_codecs entry for each codec name tests use. Rates must be given: a bare
# "G722" is looked up as G722/8000 (the default rate), matches nothing, and baresip then silently
# offers all its codecs (the call ends up PCMU). The tests check the codec actually set.
CODECS = {
    "PCMU": "PCMU/8000/1",
    "PCMA": "PCMA/8000/1",
    "G722": "G722/16000/1",
    "opus": "opus/48000/2",
}


class Baresip:
    """Usage:
        with Baresip("alice", workdir, tone_hz=440, codec="PCMU") as a:
            a.dial("sip:b@127.0.0.1:%d" % b.sip_port)
            a.wait_for_event("CALL_ESTABLISHED", 15)
            ...
            a.hangup(); a.wait_for_event("CALL_CLOSED", 10)
            path = a.recording()
    """

    def __init__(self, name, workdir, tone_hz=None, wav=None, codec=None, auto_answer=False,
                 user=None, rtp_ports=10, extra_config=None):
        if (tone_hz is None) == (wav is None):
            raise ValueError("give exactly one of tone_hz and wav")
        if codec is not None and codec not in CODECS:
            raise ValueError("codec must be one of %s, not %r" % (sorted(CODECS), codec))
        self.name = name
        self.user = user or name
        self.dir = os.path.join(workdir, name)
        self.rec_dir = tempfile.mkdtemp(prefix="sbrec-", dir="/tmp")  # short: see above
        self.final_rec_dir = os.path.join(self.dir, "recordings")
        self.tone_hz = tone_hz
        self.wav = wav
        self.codec = codec
        self.auto_answer = auto_answer
        self.extra_config = extra_config or {}
        self._sip = ports.reserve(2)  # SIP (UDP+TCP) and the TLS port baresip binds at +1
        self._ctrl = ports.reserve(1, udp=False)
        self._rtp = ports.reserve(rtp_ports, tcp=False, align=2)
        self.sip_port = self._sip.base
        self.ctrl_port = self._ctrl.base
        self.rtp_range = (self._rtp.base, self._rtp.last)
        self.process = None
        self.ctrl = None

    @property
    def uri(self):
        return "sip:%s@127.0.0.1:%d" % (self.user, self.sip_port)

    def _source_lines(self):
        if self.tone_hz is not None:
            return ["audio_source\t\tausine,%d" % int(self.tone_hz),
                    "ausrc_srate\t\t48000", "ausrc_channels\t\t2"]
        with wave.open(self.wav, "rb") as w:
            rate, channels = w.getframerate(), w.getnchannels()
        return ["audio_source\t\taufile,%s" % os.path.abspath(self.wav),
                "ausrc_srate\t\t%d" % rate, "ausrc_channels\t\t%d" % channels]

    def write_config(self):
        os.makedirs(self.dir, exist_ok=True)
        lines = [
            "# Written by test/integration/harness/baresip.py",
            "poll_method\t\tepoll",
            "sip_listen\t\t127.0.0.1:%d" % self.sip_port,
            "net_interface\t\t127.0.0.1",
            "call_local_timeout\t60",
            "call_max_calls\t\t4",
            "audio_player\t\talsa,null",
            "audio_alert\t\talsa,null",
            "audio_level\t\tno",
            "auplay_srate\t\t48000",
            "auplay_channels\t\t2",
            "rtp_ports\t\t%d-%d" % self.rtp_range,
            "rtcp_mux\t\tno",
            "jitter_buffer_delay\t5-10",
            "module_path\t\t%s" % MODULE_PATH,
            "module\t\t\tg711.so",
            "module\t\t\tg722.so",
            "module\t\t\topus.so",
            "module\t\t\tausine.so",
            "module\t\t\taufile.so",
            "module\t\t\talsa.so",
            "module\t\t\tsndfile.so",
            "module_tmp\t\taccount.so",
            "module_app\t\tmenu.so",
            "module_app\t\tctrl_tcp.so",
            "ctrl_tcp_listen\t\t127.0.0.1:%d" % self.ctrl_port,
            "snd_path\t\t%s" % self.rec_dir,
            "opus_bitrate\t\t64000",
        ] + self._source_lines()
        for key, value in self.extra_config.items():
            lines.append("%s\t\t%s" % (key, value))
        with open(os.path.join(self.dir, "config"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        params = ["regint=0", "answermode=%s" % ("auto" if self.auto_answer else "manual")]
        if self.codec:
            params.append("audio_codecs=%s" % CODECS[self.codec])
        with open(os.path.join(self.dir, "accounts"), "w", encoding="utf-8") as f:
            f.write("<sip:%s@127.0.0.1:%d>;%s\n" % (self.user, self.sip_port, ";".join(params)))
        # An empty contacts file, or baresip writes a template with example contacts.
        open(os.path.join(self.dir, "contacts"), "w", encoding="utf-8").close()

    def start(self, connect_timeout=15.0):
        self.write_config()
        self.process = Process("baresip-" + self.name, [BARESIP, "-f", self.dir],
                               os.path.dirname(self.dir))
        self.process.start(release=(self._sip, self._ctrl, self._rtp))
        try:
            self.ctrl = CtrlTcp(self.ctrl_port, "baresip-" + self.name, connect_timeout,
                               alive=self.process.running)
        except TimeoutError:
            self.process.dump()
            raise
        return self

    # Commands. Each returns baresip's response dict; "ok" false raises.
    def command(self, command, params="", timeout=10.0):
        response = self.ctrl.command(command, params, timeout)
        if not response.get("ok", False):
            raise RuntimeError("%s: command %s %s failed: %s" %
                               (self.name, command, params, response.get("data")))
        return response

    def dial(self, uri):
        return self.command("dial", uri)

    def accept(self):
        return self.command("accept")

    def hangup(self):
        return self.command("hangup")

    def send_dtmf(self, digits):
        return self.command("sndcode", digits)

    def events(self):
        return self.ctrl.events()

    def wait_for_event(self, kind, timeout, start=0, predicate=None):
        try:
            return self.ctrl.wait_for_event(kind, timeout, start, predicate)
        except TimeoutError:
            self.process.dump()
            raise

    def recordings(self, kind="dec"):
        return sorted(glob.glob(os.path.join(self.rec_dir, "dump-*-%s.wav" % kind)),
                      key=os.path.getmtime)

    def recording(self):
        """The newest dump-*-dec.wav: what this phone heard in its last call."""
        files = self.recordings("dec")
        if not files:
            raise FileNotFoundError("%s: no dump-*-dec.wav in %s (did a call's audio start?)" %
                                    (self.name, self.rec_dir))
        return files[-1]

    def stop(self, timeout=5.0):
        """Asks baresip to quit, then stops the process (SIGTERM/SIGKILL after a bound)."""
        if self.ctrl is not None:
            if self.process.running():
                try:
                    self.ctrl.command("quit", timeout=2.0)
                except (TimeoutError, OSError):
                    pass
            self.ctrl.close()
            self.ctrl = None
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout)
            except TimeoutError:
                code = self.process.stop()
        for block in (self._sip, self._ctrl, self._rtp):
            block.close()
        self._keep_recordings()
        return code

    def _keep_recordings(self):
        """Moves the recordings into the work dir, where they outlive the test."""
        if self.rec_dir == self.final_rec_dir:
            return
        os.makedirs(self.final_rec_dir, exist_ok=True)
        for path in glob.glob(os.path.join(self.rec_dir, "*")):
            shutil.move(path, os.path.join(self.final_rec_dir, os.path.basename(path)))
        shutil.rmtree(self.rec_dir, ignore_errors=True)
        self.rec_dir = self.final_rec_dir

    def __enter__(self):
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
