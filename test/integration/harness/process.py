"""Processes under test: started with stdout and stderr in a log file in the test's work dir,
stopped with SIGTERM then SIGKILL after a bound, and always cleaned up (context manager, and an
atexit hook for anything a failing test left running). Log tails are printed on failure."""

import atexit
import os
import signal
import subprocess
import sys
import time

_running = []  # every Process started and not yet stopped, for the atexit hook


def workdir(name=None):
    """The test's work dir: $SIDEBAR_TEST_WORKDIR (set by CTest) or ./work, plus `name`."""
    base = os.environ.get("SIDEBAR_TEST_WORKDIR") or os.path.join(os.getcwd(), "work")
    path = os.path.join(base, name) if name else base
    os.makedirs(path, exist_ok=True)
    return path


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls `predicate` until it returns something truthy; raises TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def tail(path, lines=40, max_bytes=64 * 1024):
    """The last `lines` lines of a (possibly large or binary) log file."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - max_bytes))
            data = f.read()
    except OSError as e:
        return "<cannot read %s: %s>" % (path, e)
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


class Process:
    """One child process. `name` labels its log file (<dir>/<name>.log)."""

    def __init__(self, name, argv, log_dir, env=None, cwd=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = os.path.join(log_dir, name + ".log")
        self.env = env
        self.cwd = cwd or log_dir
        self.popen = None
        self.returncode = None
        self._log = None

    def start(self, release=()):
        """Starts the process; `release` are port blocks (ports.PortBlock) whose probe sockets
        are closed at the last moment so the child can bind them."""
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self._log = open(self.log_path, "ab")  # pylint: disable=consider-using-with
        self._log.write(("### %s: %s\n" % (self.name, " ".join(self.argv))).encode())
        self._log.flush()
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        for block in release:
            block.release()
        self.popen = subprocess.Popen(  # pylint: disable=consider-using-with
            self.argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=env, cwd=self.cwd, start_new_session=True)
        _running.append(self)
        return self

    @property
    def pid(self):
        return self.popen.pid if self.popen else None

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def wait(self, timeout):
        """Waits for the process to exit by itself; returns its exit code or raises
        TimeoutError."""
        try:
            self.returncode = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise TimeoutError("timed out after %.1f s waiting for %s (pid %d) to exit" %
                               (timeout, self.name, self.popen.pid)) from e
        self._closed()
        return self.returncode

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL if still alive after `timeout`; returns the exit code
        (negative: killed by that signal)."""
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._note("did not exit %.1f s after SIGTERM: SIGKILL" % timeout)
                self.popen.kill()
                self.popen.wait(timeout=10)
        self.returncode = self.popen.returncode
        self._closed()
        return self.returncode

    def _note(self, text):
        if self._log and not self._log.closed:
            self._log.write(("### harness: %s\n" % text).encode())
            self._log.flush()

    def _closed(self):
        if self in _running:
            _running.remove(self)
        if self._log and not self._log.closed:
            self._note("exit code %s" % self.popen.returncode)
            self._log.close()

    def log_tail(self, lines=40):
        return tail(self.log_path, lines)

    def dump(self, lines=40, stream=None):
        stream = stream or sys.stderr
        stream.write("----- last %d lines of %s (%s) -----\n%s\n" %
                     (lines, self.name, self.log_path, self.log_tail(lines)))

    def __enter__(self):
        if self.popen is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def stop_all():
    """Stops every process still running (most recent first)."""
    for proc in list(reversed(_running)):
        try:
            proc.stop(timeout=3.0)
        except Exception:  # pylint: disable=broad-except
            pass


def running_processes():
    return list(_running)


atexit.register(stop_all)
