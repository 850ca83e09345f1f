"""The sidebar-mixer under test: writes its JSON config (free loopback ports, rooms database in
the work dir) and starts the binary named by $SIDEBAR_MIXER (set by CTest when the target
exists), waits for /healthz, and offers the admin API as admin(method, path, body, token)."""

import json
import os
import urllib.error
import urllib.request

from harness import ports
from harness.process import Process, wait_until

DEFAULT_TOKEN = "dev-admin-token"
DEFAULT_SECRET = "development-secret-change-me"


def mixer_path():
    path = os.environ.get("SIDEBAR_MIXER")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("SIDEBAR_MIXER is not set to the sidebar-mixer executable (%r)" % path)
    return path


def default_rooms():
    return [{"number": "1000", "name": "Demo"},
            {"number": "2000", "name": "PIN demo", "pin": "1234"}]


class Mixer:
    """Usage:
        with Mixer(workdir) as m:
            run sipp / baresip against "127.0.0.1:%d" % m.sip_port
            status, body = m.admin("GET", "/rooms")
        (m.stop() returns the exit code; SIGTERM must give 0.)"""

    def __init__(self, workdir, rooms=None, token=DEFAULT_TOKEN, secret=DEFAULT_SECRET,
                 rtp_ports=200, name="mixer", extra=None):
        self.workdir = workdir
        self.name = name
        self.token = token
        self._sip = ports.reserve(1)
        self._admin = ports.reserve(1, udp=False)
        self._rtp = ports.reserve(rtp_ports, tcp=False, align=2)
        self.sip_port = self._sip.base
        self.admin_port = self._admin.base
        self.rtp_range = (self._rtp.base, self._rtp.last)
        self.config = {"mixer": {
            "sip": {"address": "127.0.0.1", "port": self.sip_port,
                    "transports": ["udp", "tcp"]},
            "rtp": {"address": "127.0.0.1", "port_min": self.rtp_range[0],
                    "port_max": self.rtp_range[1]},
            "admin": {"address": "127.0.0.1", "port": self.admin_port, "token": token},
            "secret": secret,
            "directory": {"path": os.path.join(workdir, name + "-rooms.sqlite"),
                          "rooms": rooms if rooms is not None else default_rooms()},
        }}
        if extra:
            self.config["mixer"].update(extra)
        self.config_path = os.path.join(workdir, name + ".json")
        self.process = None

    @property
    def sip_target(self):
        return "127.0.0.1:%d" % self.sip_port

    def room_uri(self, room):
        return "sip:conf=%s@127.0.0.1:%d" % (room, self.sip_port)

    def start(self, timeout=20.0):
        os.makedirs(self.workdir, exist_ok=True)
        with open(self.config_path, "w", encoding="utf-8") as f:
            json.dump(self.config, f, indent=2)
        self.process = Process(self.name, [mixer_path(), "--config", self.config_path],
                               self.workdir)
        self.process.start(release=(self._sip, self._admin, self._rtp))

        def healthy():
            if not self.process.running():
                raise RuntimeError("%s exited (code %s) before /healthz answered; log:\n%s" %
                                   (self.name, self.process.popen.returncode,
                                    self.process.log_tail()))
            try:
                return self.admin("GET", "/healthz", timeout=1.0)[0] == 200
            except OSError:
                return False
        try:
            wait_until(healthy, timeout, "%s GET http://127.0.0.1:%d/healthz to answer 200" %
                       (self.name, self.admin_port), interval=0.1)
        except TimeoutError:
            self.process.dump()
            self.process.stop()
            raise
        return self

    def admin(self, method, path, body=None, token=None, timeout=5.0):
        """One admin HTTP request; returns (status, parsed JSON or text or None). `token`
        defaults to the configured one; pass "" to send none."""
        token = self.token if token is None else token
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.admin_port, path),
                                     data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read(1 << 20)
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read(1 << 20)
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def stop(self, timeout=10.0):
        """SIGTERM (then SIGKILL after `timeout`); returns the exit code (0 expected)."""
        code = self.process.stop(timeout) if self.process else None
        for block in (self._sip, self._admin, self._rtp):
            block.close()
        return code

    def __enter__(self):
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
