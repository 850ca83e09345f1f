"""Shared pieces of the sidebar-mixer integration tests (test_mixer_*.py): join tokens computed
like common/token/join_token.cpp, polling the admin API for a room's members, reading
Prometheus metrics and the mixer's log, sipp runs in the background, and cutting a recording
into time windows for the tone meter."""

import hashlib
import hmac
import re
import threading
import time
import wave

from harness import sipp
from harness.process import wait_until


def join_token(secret, room, caller, expires_at):
    """A join token as JoinTokenSigner::issue makes it: "v1.<expiry>.<hex HMAC-SHA256>" over
    "v1\\n<room>\\n<expiry>\\n<caller>", caller being address_of_record(From) ("user@host[:port]"
    of the From URI)."""
    message = "v1\n%s\n%d\n%s" % (room, expires_at, caller)
    mac = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return "v1.%d.%s" % (expires_at, mac)


def metric(text, name):
    """The value of an unlabelled sample `name` in Prometheus text, or None."""
    m = re.search(r"^%s(?:\{[^}]*\})? ([-+0-9.eE]+|NaN)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def metrics(mixer):
    status, text = mixer.admin("GET", "/metrics")
    if status != 200:
        raise AssertionError("GET /metrics answered %s: %r" % (status, text))
    return text


def members(mixer, room):
    """The members of `room` as GET /rooms/{room} lists them ([] while the room is not open)."""
    status, body = mixer.admin("GET", "/rooms/%s" % room)
    if status == 404:
        return []
    if status != 200 or not isinstance(body, dict):
        raise AssertionError("GET /rooms/%s answered %s: %r" % (room, status, body))
    return body.get("members", [])


def wait_member(mixer, room, match, timeout=10.0, predicate=None):
    """Polls the room until a member whose uri contains `match` (and for which `predicate`
    holds) is listed; returns that member's JSON."""
    def found():
        for m in members(mixer, room):
            if match in m.get("uri", "") and (predicate is None or predicate(m)):
                return m
        return None
    return wait_until(found, timeout, "member %r in room %s" % (match, room), interval=0.1)


def wait_members(mixer, room, count, timeout=15.0):
    return wait_until(lambda: len(members(mixer, room)) >= count and members(mixer, room),
                      timeout, "%d members in room %s" % (count, room), interval=0.1)


def log_lines(mixer, event):
    """Lines of the mixer's log with event=<event>."""
    with open(mixer.process.log_path, encoding="utf-8", errors="replace") as f:
        return [line for line in f if re.search(r"\bevent=%s\b" % re.escape(event), line)]


def field(line, key):
    """A key=value (or key="value") field of a log line, or None."""
    m = re.search(r'(?:^|\s)%s=("(?:[^"\\]|\\.)*"|\S+)' % re.escape(key), line)
    if not m:
        return None
    value = m.group(1)
    return value[1:-1] if value.startswith('"') else value


class BackgroundSipp:
    """sipp.run in a thread, for a call that stays up while the test does other things."""

    def __init__(self, *args, **kwargs):
        self.result = None
        self.error = None
        self._thread = threading.Thread(target=self._run, args=args, kwargs=kwargs, daemon=True)

    def _run(self, *args, **kwargs):
        try:
            self.result = sipp.run(*args, **kwargs)
        except Exception as e:  # pylint: disable=broad-except
            self.error = e

    def start(self):
        self._thread.start()
        return self

    def running(self):
        return self._thread.is_alive()

    def join(self, timeout):
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("background sipp still running after %.1f s" % timeout)
        if self.error:
            raise self.error
        return self.result


def cut_wav(src, dst, start_s, end_s=None):
    """Writes the part of WAV `src` from `start_s` to `end_s` seconds (None: the end) to `dst`;
    returns dst. Times are clamped to the file."""
    with wave.open(src, "rb") as w:
        params = w.getparams()
        rate = w.getframerate()
        total = w.getnframes()
        first = min(total, max(0, int(start_s * rate)))
        last = total if end_s is None else min(total, max(first, int(end_s * rate)))
        w.setpos(first)
        frames = w.readframes(last - first)
    with wave.open(dst, "wb") as out:
        out.setparams(params)
        out.writeframes(frames)
    return dst


def wait_until_true(predicate, timeout, what):
    return wait_until(predicate, timeout, what, interval=0.1)


class RawSip:
    """A bare UDP SIP peer on a free loopback port, for messages no SIP stack would send
    (CANCEL racing an answer, torture datagrams, odd SUBSCRIBEs). Responses are parsed only as
    far as the status line and a few headers."""

    def __init__(self, target_port):
        import socket  # pylint: disable=import-outside-toplevel
        self.target = ("127.0.0.1", target_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendto(data if isinstance(data, bytes) else data.encode(), self.target)

    def responses(self, timeout, until=None):
        """Responses received within `timeout` s (stops early once `until(list)` holds), each
        as (status, full text)."""
        out = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (until and until(out)):
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, _ = self.sock.recvfrom(65536)
            except OSError:
                break
            text = data.decode("utf-8", "replace")
            m = re.match(r"SIP/2\.0 (\d{3})", text)
            if m:
                out.append((int(m.group(1)), text))
        return out

    def request(self, method, ruri, call_id, cseq, branch, extra_headers=(), body="",
                from_tag="rawtag", to_tag=None, cseq_method=None):
        lines = ["%s %s SIP/2.0" % (method, ruri),
                 "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport" % (self.port, branch),
                 "Max-Forwards: 70",
                 "From: <sip:raw@127.0.0.1:%d>;tag=%s" % (self.port, from_tag),
                 "To: <%s>%s" % (ruri.split(";")[0], ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s" % call_id,
                 "CSeq: %d %s" % (cseq, cseq_method or method),
                 "Contact: <sip:raw@127.0.0.1:%d>" % self.port]
        lines += list(extra_headers)
        lines.append("Content-Length: %d" % len(body.encode()))
        return "\r\n".join(lines) + "\r\n\r\n" + body


def header(text, name):
    m = re.search(r"^%s\s*:\s*(.*?)\r?$" % re.escape(name), text, re.M | re.I)
    return m.group(1) if m else None


def pcmu_offer(port):
    return ("v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" % port)


def sliced_levels(src, dst_prefix, freqs, start_s, end_s, slice_s=0.5):
    """Tone levels of WAV `src` between `start_s` and `end_s` seconds, measured in `slice_s`
    slices (written as <dst_prefix>-<t>.wav): returns (median, loudest, slices), the first two
    as {hz: dBFS}. A present tone is judged by its median: one coherent Goertzel over a long
    window reads a tone several dB low after a single concealed packet (its phase jumps), which
    says nothing about gain. An absent tone is judged by its loudest slice."""
    from harness import meter  # pylint: disable=import-outside-toplevel
    slices = []
    t = start_s
    while t + slice_s <= end_s + 1e-6:
        dst = cut_wav(src, "%s-%.1f.wav" % (dst_prefix, t), t, t + slice_s)
        slices.append(meter.levels(dst, freqs, skip=0, until_end=0))
        t += slice_s
    if not slices:
        raise AssertionError("%s: nothing between %.1f and %.1f s" % (src, start_s, end_s))
    median, loudest = {}, {}
    for hz in freqs:
        values = sorted(s[hz] for s in slices)
        median[hz] = values[len(values) // 2]
        loudest[hz] = values[-1]
    return median, loudest, slices
