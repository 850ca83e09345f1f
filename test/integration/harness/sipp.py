"""sipp runs: a scenario (XML) against a target, bounded in calls and time, on free loopback
ports, with variables given as -key (keywords like [user]) or -set (globals like [$x]); the
result says pass/fail with the error file's text. Also a background UAS for self-tests."""

import os
import shutil
import subprocess

from harness import ports
from harness.process import Process, tail

SIPP = shutil.which("sipp") or "/usr/bin/sipp"
PCAP_DIR = "/usr/share/sip-tester"


def scenario_path(name):
    """A scenario file of test/integration/scenarios by name (with or without .xml)."""
    base = os.environ.get("SIDEBAR_SCENARIOS") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios")
    if not name.endswith(".xml"):
        name += ".xml"
    return os.path.join(base, name)


class SippResult:
    def __init__(self, returncode, errors, log_path, error_file, scenario_log=None):
        self.returncode = returncode
        self.errors = errors
        self.log_path = log_path
        self.error_file = error_file
        self.scenario_log = scenario_log  # what the scenario's <log> actions wrote, if asked

    @property
    def passed(self):
        return self.returncode == 0

    def __repr__(self):
        return "SippResult(exit %s, errors=%r)" % (self.returncode, self.errors[-2000:])

    def describe(self):
        notes = ""
        if self.scenario_log:
            notes = "\n--- the scenario's own log (%s):\n%s" % (self.scenario_log,
                                                              tail(self.scenario_log, 20))
        return ("sipp exit %s; errors:\n%s\n--- log tail (%s):\n%s%s" %
                (self.returncode, self.errors.strip() or "<none>", self.log_path,
                 tail(self.log_path, 30), notes))


def _args(name, workdir, keys, sets, inf):
    error_file = os.path.join(workdir, name + ".errors.log")
    if os.path.exists(error_file):
        os.remove(error_file)
    argv = ["-trace_err", "-error_file", error_file, "-nostdin"]
    for k, v in (keys or {}).items():
        argv += ["-key", str(k), str(v)]
    for k, v in (sets or {}).items():
        argv += ["-set", str(k), str(v)]
    if inf:
        argv += ["-inf", inf]
    return argv, error_file


def run(scenario, target, workdir, name=None, calls=1, timeout=20, keys=None, sets=None,
        inf=None, transport="u1", extra=(), scenario_log=False):
    """Runs `scenario` (a name in scenarios/ or a path) against `target` ("127.0.0.1:5070")
    until `calls` calls are done or `timeout` seconds pass (then it fails: -timeout_error).
    scenario_log: keep what the scenario's <log> actions say (<name>.scenario.log; shown by
    describe()). Returns a SippResult."""
    path = scenario if os.path.isabs(scenario) else scenario_path(scenario)
    name = name or "sipp-" + os.path.splitext(os.path.basename(path))[0]
    sip = ports.reserve(1)
    media = ports.reserve(6, tcp=False, align=2)  # sipp uses media_port, +2 (video), +1 RTCP
    argv, error_file = _args(name, workdir, keys, sets, inf)
    argv = [SIPP, target, "-sf", path, "-m", str(calls), "-i", "127.0.0.1",
            "-p", str(sip.base), "-mi", "127.0.0.1", "-mp", str(media.base), "-t", transport,
            "-timeout", "%ds" % timeout, "-timeout_error", "-max_recv_loops", "1000"] + argv
    notes = None
    if scenario_log:
        notes = os.path.join(workdir, name + ".scenario.log")
        if os.path.exists(notes):
            os.remove(notes)
        argv += ["-trace_logs", "-log_file", notes]
    argv += list(extra)
    proc = Process(name, argv, workdir)
    proc.start(release=(sip, media))
    try:
        code = proc.wait(timeout + 15)
    except TimeoutError:
        code = proc.stop()
    finally:
        sip.close()
        media.close()
    errors = ""
    if os.path.exists(error_file):
        with open(error_file, encoding="utf-8", errors="replace") as f:
            errors = f.read()
    return SippResult(code, errors, proc.log_path, error_file, notes)


class SippUas:
    """sipp as a UAS in the background (its built-in "uas" or a scenario file), for validating
    UAC scenarios without the mixer. `target` is "127.0.0.1:<port>"."""

    def __init__(self, workdir, scenario="uas", name="sipp-uas", calls=1, timeout=30, keys=None,
                 sets=None, extra=()):
        self.port_block = ports.reserve(1)
        self.media = ports.reserve(6, tcp=False, align=2)
        self.port = self.port_block.base
        self.target = "127.0.0.1:%d" % self.port
        argv, self.error_file = _args(name, workdir, keys, sets, None)
        if scenario == "uas" or scenario.startswith("-sn"):
            source = ["-sn", "uas"]
        else:
            source = ["-sf", scenario if os.path.isabs(scenario) else scenario_path(scenario)]
        self.process = Process(name, [SIPP] + source + [
            "-m", str(calls), "-i", "127.0.0.1", "-p", str(self.port), "-mi", "127.0.0.1",
            "-mp", str(self.media.base), "-timeout", "%ds" % timeout, "-timeout_error"] + argv +
                               list(extra), workdir)

    def start(self):
        self.process.start(release=(self.port_block, self.media))
        return self

    def stop(self, timeout=10.0):
        """Waits up to `timeout` for the UAS to finish its calls, else stops it; exit code."""
        try:
            code = self.process.wait(timeout)
        except TimeoutError:
            code = self.process.stop()
        self.port_block.close()
        self.media.close()
        return code

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop(timeout=0.5 if exc[0] else 5.0)
        return False
