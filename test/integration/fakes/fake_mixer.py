#!/usr/bin/python3
"""Self-test stand-in for sidebar-mixer: reads the config the Mixer class writes (checking the
keys the real mixer reads), serves GET /healthz on the admin port, and exits 0 on SIGTERM.
It proves harness/mixer.py without the mixer; it is not a model of the mixer."""

import http.server
import json
import signal
import sys
import threading


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--config":
        sys.exit("usage: fake_mixer.py --config FILE")
    with open(sys.argv[2], encoding="utf-8") as f:
        cfg = json.load(f)["mixer"]
    for key in ("sip", "rtp", "admin", "secret", "directory"):
        if key not in cfg:
            sys.exit("fake_mixer: config key mixer.%s missing" % key)
    token = cfg["admin"]["token"]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path == "/healthz":
                self.reply(200, {"status": "ok"})
            elif self.headers.get("Authorization") != "Bearer " + token:
                self.reply(401, {"error": "unauthorized"})
            elif self.path == "/rooms":
                self.reply(200, cfg["directory"]["rooms"])
            else:
                self.reply(404, {"error": "not found"})

        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer((cfg["admin"]["address"], cfg["admin"]["port"]), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("fake_mixer: admin on %d" % cfg["admin"]["port"], flush=True)
    server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
