"""Client for baresip's ctrl_tcp module: netstring-framed JSON commands ("123:{...},") on one
TCP connection, over which baresip sends both the responses to our commands and every UA/call
event. A reader thread splits the stream into messages and files them as responses (matched by
token) or events (queued for wait_for_event)."""

import json
import socket
import threading
import time

# A baresip message is a few hundred bytes; anything far larger means the stream is corrupt.
_MAX_MESSAGE = 1 << 20


def encode_netstring(payload):
    return b"%d:%s," % (len(payload), payload)


class NetstringDecoder:
    """Incremental netstring splitter; raises ValueError on a malformed stream."""

    def __init__(self):
        self._buf = b""

    def feed(self, data):
        self._buf += data
        out = []
        while True:
            colon = self._buf.find(b":")
            if colon < 0:
                if len(self._buf) > 12:
                    raise ValueError("netstring: no length prefix in %r" % self._buf[:32])
                return out
            head = self._buf[:colon]
            if not head.isdigit() or len(head) > 9:
                raise ValueError("netstring: bad length %r" % head[:32])
            n = int(head)
            if n > _MAX_MESSAGE:
                raise ValueError("netstring: message of %d bytes" % n)
            end = colon + 1 + n
            if len(self._buf) < end + 1:
                return out
            if self._buf[end:end + 1] != b",":
                raise ValueError("netstring: missing ',' after %d bytes" % n)
            out.append(self._buf[colon + 1:end])
            self._buf = self._buf[end + 1:]


class CtrlTcp:
    """One control connection. Events are dicts as baresip sends them, e.g.
    {"event": true, "class": "call", "type": "CALL_ESTABLISHED", "peeruri": ..., "id": ...}."""

    def __init__(self, port, name="baresip", connect_timeout=10.0, alive=None):
        self.name = name
        self._cond = threading.Condition()
        self._events = []      # every event received, in order (never dropped: tests look back)
        self._responses = {}   # token -> response dict
        self._error = None
        self._token = 0
        deadline = time.monotonic() + connect_timeout
        while True:
            try:
                self._sock = socket.create_connection(("127.0.0.1", port), timeout=1.0)
                break
            except OSError as e:
                if alive is not None and not alive():
                    raise TimeoutError("%s exited before its ctrl_tcp on 127.0.0.1:%d accepted a "
                                       "connection" % (name, port)) from e
                if time.monotonic() >= deadline:
                    raise TimeoutError("timed out after %.1f s connecting to %s's ctrl_tcp on "
                                       "127.0.0.1:%d (%s)" % (connect_timeout, name, port, e)) from e
                time.sleep(0.05)
        self._sock.settimeout(None)
        self._reader = threading.Thread(target=self._read_loop, name="ctrl_tcp-" + name,
                                        daemon=True)
        self._reader.start()

    def _read_loop(self):
        decoder = NetstringDecoder()
        try:
            while True:
                data = self._sock.recv(65536)
                if not data:
                    raise EOFError("connection closed")
                for raw in decoder.feed(data):
                    self._file(json.loads(raw.decode("utf-8", "replace")))
        except (OSError, ValueError, EOFError) as e:
            with self._cond:
                self._error = "%s ctrl_tcp: %s" % (self.name, e)
                self._cond.notify_all()

    def _file(self, msg):
        with self._cond:
            if msg.get("response"):
                self._responses[str(msg.get("token", ""))] = msg
            elif msg.get("event"):
                self._events.append(msg)
            self._cond.notify_all()

    def command(self, command, params="", timeout=10.0):
        """Sends a command and waits for its response; returns the response dict
        ({"response": true, "ok": bool, "data": str, "token": str})."""
        with self._cond:
            self._token += 1
            token = str(self._token)
        msg = {"command": command, "params": params, "token": token}
        self._sock.sendall(encode_netstring(json.dumps(msg).encode()))
        deadline = time.monotonic() + timeout
        with self._cond:
            while token not in self._responses:
                remaining = deadline - time.monotonic()
                if self._error or remaining <= 0:
                    raise TimeoutError("%s: no response to %r within %.1f s%s" %
                                       (self.name, command, timeout,
                                        " (%s)" % self._error if self._error else ""))
                self._cond.wait(remaining)
            return self._responses.pop(token)

    def events(self):
        with self._cond:
            return list(self._events)

    def wait_for_event(self, kind, timeout, start=0, predicate=None):
        """The first event of type `kind` (e.g. "CALL_ESTABLISHED") at index >= `start` that
        satisfies `predicate`; raises TimeoutError listing the events seen."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for ev in self._events[start:]:
                    if ev.get("type") == kind and (predicate is None or predicate(ev)):
                        return ev
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._error:
                    seen = [e.get("type") for e in self._events]
                    raise TimeoutError("%s: timed out after %.1f s waiting for event %s; events "
                                       "seen: %s%s" % (self.name, timeout, kind, seen,
                                                       " (%s)" % self._error if self._error
                                                       else ""))
                self._cond.wait(remaining)

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._reader.join(timeout=2.0)
