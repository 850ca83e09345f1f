"""Free loopback ports for services and peers, safe when several tests run in parallel.

A port is "free" when both a UDP and a TCP socket can bind it on 127.0.0.1. Two test processes
(ctest -j2) probing at the same time could both find the same port free, so each port handed out
is also claimed with an exclusive flock on a per-port file in a shared lock directory; the lock
is held for the life of the test process (the kernel drops it if the process dies, so no stale
claims). The probing sockets are kept open until the caller releases them just before launching
the process that needs the port, which closes the window in which some unrelated program could
take it. Searches start at a random point and stay below the kernel's ephemeral range, where
outgoing connections would otherwise pick ports at random.
"""

import fcntl
import os
import random
import socket
import tempfile

LOW = 10000
HIGH = 32000  # Linux's ephemeral range starts at 32768
_MAX_ATTEMPTS = 400
_LOCK_DIR = os.path.join(tempfile.gettempdir(), "sidebar-test-ports")

# Locks held for this process's lifetime: port -> open file.
_claimed = {}


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _claim(port):
    """Takes the cross-process lock for `port`, or returns False if another test holds it."""
    if port in _claimed:
        return False
    os.makedirs(_LOCK_DIR, exist_ok=True)
    f = open(os.path.join(_LOCK_DIR, "%d.lock" % port), "a+b")  # pylint: disable=consider-using-with
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return False
    _claimed[port] = f
    return True


def _unclaim(port):
    f = _claimed.pop(port, None)
    if f is not None:
        f.close()


def _bind(port, udp, tcp):
    """Sockets bound to 127.0.0.1:port, or None if any bind fails."""
    socks = []
    kinds = ([socket.SOCK_DGRAM] if udp else []) + ([socket.SOCK_STREAM] if tcp else [])
    try:
        for kind in kinds:
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind(("127.0.0.1", port))
    except OSError:
        for s in socks:
            s.close()
        return None
    return socks


class PortBlock:
    """`count` consecutive ports starting at `base`, claimed and (until release()) bound."""

    def __init__(self, base, count, sockets):
        self.base = base
        self.count = count
        self._sockets = sockets

    @property
    def ports(self):
        return list(range(self.base, self.base + self.count))

    @property
    def last(self):
        return self.base + self.count - 1

    def release(self):
        """Closes the probing sockets so the process under test can bind; the claim stays."""
        for s in self._sockets:
            s.close()
        self._sockets = []

    def close(self):
        """Releases the sockets and gives the ports back to other tests."""
        self.release()
        for p in self.ports:
            _unclaim(p)

    def __repr__(self):
        return "PortBlock(%d-%d)" % (self.base, self.last)


def reserve(count=1, udp=True, tcp=True, align=1):
    """Claims `count` consecutive free ports (base a multiple of `align`) and returns a PortBlock
    with them still bound. Raises RuntimeError after a bounded number of attempts."""
    if count < 1 or count > 2000:
        raise ValueError("count must be 1..2000, not %r" % count)
    high = min(HIGH, _ephemeral_low()) - count
    rng = random.Random(os.getpid() ^ int.from_bytes(os.urandom(4), "little"))
    for _ in range(_MAX_ATTEMPTS):
        base = rng.randrange(LOW, high)
        base -= base % align
        if base < LOW:
            continue
        held = []
        socks = []
        ok = True
        for port in range(base, base + count):
            if not _claim(port):
                ok = False
                break
            held.append(port)
            bound = _bind(port, udp, tcp)
            if bound is None:
                ok = False
                break
            socks.extend(bound)
        if ok:
            return PortBlock(base, count, socks)
        for s in socks:
            s.close()
        for port in held:
            _unclaim(port)
    raise RuntimeError("no block of %d free loopback port(s) found in %d attempts" %
                       (count, _MAX_ATTEMPTS))


def free_port(udp=True, tcp=True):
    """One free port number, claimed for this process's lifetime, its probe socket closed.
    Prefer reserve() and release() just before launch when the caller can."""
    block = reserve(1, udp=udp, tcp=tcp)
    block.release()
    return block.base


def free_range(count, udp=True):
    """(first, last) of `count` free consecutive UDP ports, e.g. for an RTP port range.
    RTP ranges start even so RTP/RTCP pairs line up."""
    block = reserve(count, udp=udp, tcp=False, align=2)
    block.release()
    return block.base, block.last
