"""A small RTP peer in Python for legs that no SIP phone plays: the IVR's end of a service channel
(DESIGN.md 5.3). It binds a free loopback port pair (RTP, and RTCP at +1, which it swallows),
records every RTP packet that arrives (arrival time, header, payload), sends a PCMU sine paced
every 20 ms against absolute deadlines for a bounded time, writes what it received as an 8 kHz
µ-law-decoded WAV for the tone meter, and parses RFC 4733 telephone-event packets.

Standard library only (G.711 µ-law is done here: audioop is gone from newer Pythons). Usage:
    with RtpPeer() as peer:
        ... put peer.port in an SDP ...
        peer.send_tone(sdp_address(answer_sdp), 2870, -12.0, seconds=10)
        ...
        path, first = peer.write_wav(os.path.join(workdir, "heard.wav"))
        peer.events(101)  # [TelephoneEvent(event=5, end=True, ...), ...]
"""

import math
import os
import re
import socket
import struct
import threading
import time
import wave

from harness import ports

PCMU = 0
RATE = 8000
FRAME = 160  # samples per 20 ms packet
_BIAS = 0x84
_CLIP = 32635


def ulaw_decode(byte):
    """One G.711 µ-law byte to a 16-bit linear sample."""
    u = ~byte & 0xFF
    sample = (((u & 0x0F) << 3) + _BIAS) << ((u >> 4) & 0x07)
    sample -= _BIAS
    return -sample if u & 0x80 else sample


def ulaw_encode(sample):
    """One 16-bit linear sample to a G.711 µ-law byte."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(int(sample)), _CLIP) + _BIAS
    exponent = min(7, (magnitude >> 7).bit_length() - 1)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


_DECODE = [ulaw_decode(b) for b in range(256)]


def pcmu_decode(data):
    """µ-law bytes to a list of 16-bit linear samples."""
    return [_DECODE[b] for b in data]


def pcmu_tone(hz, dbfs):
    """One second (8000 µ-law bytes) of a sine of whole `hz` at `dbfs` (peak re full scale):
    a whole number of Hz repeats exactly every second."""
    amp = 32767 * 10 ** (dbfs / 20)
    step = 2 * math.pi * hz / RATE
    return bytes(ulaw_encode(round(amp * math.sin(step * i))) for i in range(RATE))


def sdp_address(sdp):
    """(ip, port) of the first audio stream of an SDP (its c= line, session or media level)."""
    media = re.search(r"^m=audio (\d+) ", sdp, re.M)
    if not media:
        raise ValueError("no m=audio line in SDP: %r" % sdp[:400])
    conn = (re.search(r"^c=IN IP[46] (\S+)", sdp[media.start():], re.M) or
            re.search(r"^c=IN IP[46] (\S+)", sdp[:media.start()], re.M))
    if conn is None:
        raise ValueError("no c= line in SDP: %r" % sdp[:400])
    ip = conn.group(1)
    return ip, int(media.group(1))


class Packet:
    def __init__(self, arrival, data):
        self.arrival = arrival  # time.monotonic() when it arrived
        self.version = data[0] >> 6
        self.marker = bool(data[1] & 0x80)
        self.pt = data[1] & 0x7F
        self.seq, self.ts, self.ssrc = struct.unpack("!HII", data[2:12])
        cc = data[0] & 0x0F
        start = 12 + 4 * cc
        if data[0] & 0x10 and len(data) >= start + 4:  # header extension
            start += 4 + 4 * struct.unpack("!H", data[start + 2:start + 4])[0]
        end = len(data) - (data[-1] if data[0] & 0x20 and data[-1] else 0)  # padding
        self.payload = data[start:end]


class TelephoneEvent:
    """An RFC 4733 event packet: event code (0-9 digits, 10 *, 11 #), end bit, volume,
    duration in timestamp units."""

    DIGITS = "0123456789*#ABCD"

    def __init__(self, packet):
        p = packet.payload
        self.packet = packet
        self.event = p[0]
        self.end = bool(p[1] & 0x80)
        self.volume = p[1] & 0x3F
        self.duration = struct.unpack("!H", p[2:4])[0]

    @property
    def digit(self):
        return self.DIGITS[self.event] if self.event < len(self.DIGITS) else "?"

    def __repr__(self):
        return "TelephoneEvent(%r pt=%d m=%d ts=%d end=%s vol=%d dur=%d)" % (
            self.digit, self.packet.pt, self.packet.marker, self.packet.ts, self.end, self.volume,
            self.duration)


class RtpPeer:
    def __init__(self, local_ip="127.0.0.1"):
        self._block = ports.reserve(2, tcp=False, align=2)
        self._block.release()
        self.port = self._block.base
        self.local_ip = local_ip
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((local_ip, self.port))
        self.sock.settimeout(0.1)
        self._rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # swallowed
        self._rtcp.bind((local_ip, self.port + 1))
        self._lock = threading.Lock()
        self.packets = []
        self.sources = set()  # addresses packets came from
        self.errors = []
        self.sent = 0
        self.late = 0  # packets sent more than 20 ms after their deadline
        self._stop = threading.Event()
        self._sender = None
        self._receiver = threading.Thread(target=self._receive_loop, name="rtp-peer", daemon=True)
        self._receiver.start()

    def _receive_loop(self):
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                continue
            now = time.monotonic()
            if len(data) < 12 or data[0] >> 6 != 2:
                self.errors.append("not RTP from %s: %r" % (addr, data[:16]))
                continue
            with self._lock:
                self.packets.append(Packet(now, data))
                self.sources.add(addr)

    def send_tone(self, remote, hz, dbfs, seconds):
        """Starts sending a PCMU sine to `remote` (ip, port) in the background: one 160-sample
        packet every 20 ms against absolute deadlines (so late wake-ups do not drift), for
        `seconds` seconds. wait_sent() joins it."""
        second = pcmu_tone(hz, dbfs)
        count = int(seconds * 50)
        ssrc = struct.unpack("!I", os.urandom(4))[0]
        seq0 = struct.unpack("!H", os.urandom(2))[0]
        ts0 = struct.unpack("!I", os.urandom(4))[0]

        def run():
            start = time.monotonic()
            for n in range(count):
                if self._stop.is_set():
                    return
                deadline = start + n * 0.02
                delay = deadline - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -0.02:
                    self.late += 1
                offset = (n * FRAME) % RATE
                header = struct.pack("!BBHII", 0x80, (0x80 if n == 0 else 0) | PCMU,
                                     (seq0 + n) & 0xFFFF, (ts0 + n * FRAME) & 0xFFFFFFFF, ssrc)
                try:
                    self.sock.sendto(header + second[offset:offset + FRAME], remote)
                    self.sent += 1
                except OSError as e:
                    self.errors.append("send to %s: %s" % (remote, e))
        self._sender = threading.Thread(target=run, name="rtp-peer-send", daemon=True)
        self._sender.start()

    def wait_sent(self, timeout):
        if self._sender is not None:
            self._sender.join(timeout)
            if self._sender.is_alive():
                raise TimeoutError("RTP sender still running after %.1f s" % timeout)

    def received(self, pt=None):
        with self._lock:
            return [p for p in self.packets if pt is None or p.pt == pt]

    def events(self, pt):
        """The RFC 4733 packets (payload type `pt`) received, in arrival order."""
        return [TelephoneEvent(p) for p in self.received(pt) if len(p.payload) >= 4]

    def write_wav(self, path, pt=PCMU):
        """Writes the received PCMU (payload type `pt`) as an 8 kHz mono WAV, each packet at
        its RTP timestamp (the first packet's at 0; gaps silent). Returns (path, the monotonic
        time the first packet arrived), so a window in our clock maps to the file."""
        packets = [p for p in self.received(pt) if p.payload]
        if not packets:
            raise AssertionError("the RTP peer on port %d received no payload type %d (received "
                                 "%d packets of types %s)" %
                                 (self.port, pt, len(self.received()),
                                  sorted({p.pt for p in self.received()})))
        first = packets[0]
        ssrc = first.ssrc
        samples = {}
        for p in packets:
            if p.ssrc != ssrc:
                continue
            offset = (p.ts - first.ts) & 0xFFFFFFFF
            if offset > 0x7FFFFFFF or offset > RATE * 3600:
                continue  # before the first packet (reordered) or absurd
            samples[offset] = p.payload
        total = max(k + len(v) for k, v in samples.items())
        pcm = [0] * total
        for offset, payload in samples.items():
            pcm[offset:offset + len(payload)] = pcmu_decode(payload)
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(struct.pack("<%dh" % total, *pcm))
        return path, first.arrival

    def close(self):
        self._stop.set()
        if self._sender is not None:
            self._sender.join(2.0)
        self._receiver.join(2.0)
        self.sock.close()
        self._rtcp.close()
        self._block.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
