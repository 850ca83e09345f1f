"""What a caller heard: runs test/tools/tone_meter (path in $SIDEBAR_TONE_METER, set by CTest)
on a recording and checks tone levels. Levels are dBFS from the calibrated Goertzel meter: a
full-scale sine reads 0, silence -200."""

import json
import os
import subprocess


def tone_meter_path():
    path = os.environ.get("SIDEBAR_TONE_METER")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("SIDEBAR_TONE_METER is not set to the tone_meter executable (%r); "
                           "run through ctest, or build target tone_meter and export it" % path)
    return path


def _key(hz):
    hz = float(hz)
    return int(hz) if hz.is_integer() else hz


def measure(path, freqs, skip=1.0, until_end=0.5, window_ms=None, timeout=60.0):
    """Runs tone_meter; returns its JSON object with "levels" keyed by frequency as a number
    (int when whole), e.g. {"seconds": 3.9, "rms_dbfs": -7.3, "levels": {440: -7.3}}."""
    argv = [tone_meter_path(), path, "--skip", str(skip), "--until-end", str(until_end)]
    for hz in freqs:
        argv += ["--freq", str(hz)]
    if window_ms:
        argv += ["--window-ms", str(window_ms)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise AssertionError("tone_meter failed on %s (exit %d): %s" %
                             (path, proc.returncode, proc.stderr.strip()))
    result = json.loads(proc.stdout)
    result["levels"] = {_key(k): (float(v) if v is not None else float("nan"))
                        for k, v in result["levels"].items()}
    return result


def levels(path, freqs, **kwargs):
    """Just the levels: {hz: dBFS}."""
    return measure(path, freqs, **kwargs)["levels"]


def _level(levels_by_hz, hz):
    key = _key(hz)
    if key not in levels_by_hz:
        raise AssertionError("%s Hz was not measured (measured: %s)" %
                             (hz, sorted(levels_by_hz)))
    return levels_by_hz[key]


def assert_present(levels_by_hz, hz, expected_dbfs, tol, what=""):
    """The tone at `hz` is within `tol` dB of `expected_dbfs`."""
    level = _level(levels_by_hz, hz)
    if not abs(level - expected_dbfs) <= tol:
        raise AssertionError("%s%s Hz at %.1f dBFS, expected %.1f +- %.1f dB (all levels: %s)" %
                             (what + ": " if what else "", hz, level, expected_dbfs, tol,
                              format_levels(levels_by_hz)))
    return level


def assert_absent(levels_by_hz, hz, floor_dbfs, what=""):
    """The tone at `hz` is at or below `floor_dbfs`."""
    level = _level(levels_by_hz, hz)
    if not level <= floor_dbfs:
        raise AssertionError("%s%s Hz at %.1f dBFS, expected at most %.1f dBFS (all levels: %s)" %
                             (what + ": " if what else "", hz, level, floor_dbfs,
                              format_levels(levels_by_hz)))
    return level


def format_levels(levels_by_hz):
    return ", ".join("%s Hz %.1f" % (hz, lv) for hz, lv in sorted(levels_by_hz.items()))
