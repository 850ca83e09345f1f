"""Shared pieces of the service-channel tests (test_channels.py, DESIGN.md 5.3 and the sidebar
control contract's "Service channels"): a mixer whose menu.ivr_uri points at a test's IVR, sipp
as that IVR with its message trace, the mixer's error tone found and measured in a recording, and
recordings cut into windows for the tone meter (a baresip phone's or the Python RTP peer's)."""

import math
import os
import re
import struct
import wave

import mixer_it
from harness import meter, sipp
from harness.mixer import Mixer

ERROR_TONE_HZ = (480, 620)
ERROR_TONE_DBFS = -18.0  # each component (the contract)
ERROR_BEEPS = 3
ERROR_BEEP_S = 0.150
ERROR_GAP_S = 0.100


def menu_mixer(workdir, ivr_port, answer_timeout_ms=5000):
    """A Mixer (not started) whose menu calls sip:menu@127.0.0.1:<ivr_port>."""
    return Mixer(workdir, extra={"menu": {"ivr_uri": "sip:menu@127.0.0.1:%d" % ivr_port,
                                          "answer_timeout_ms": answer_timeout_ms}})


def ivr_uas(workdir, scenario, sets=None, timeout=60):
    """sipp as the IVR (a scenarios/uas_menu_*.xml) for one call, its messages traced to
    <workdir>/<scenario>.messages.log (see .messages_log). Not started."""
    name = "sipp-" + scenario
    log = os.path.join(workdir, name + ".messages.log")
    uas = sipp.SippUas(workdir, scenario, name=name, calls=1, timeout=timeout, sets=sets,
                       extra=("-trace_msg", "-message_file", log))
    uas.messages_log = log
    return uas


def traced_requests(path, method):
    """The SIP requests of `method` that a sipp message trace says were received, as text."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    out = []
    for block in re.split(r"^-{10,}.*$", text, flags=re.M):
        m = re.search(r"message received \[\d+\] bytes :\s*\n\s*(%s sip:.*)" % re.escape(method),
                      block, re.S)
        if m:
            out.append(m.group(1).strip())
    return out


def wav_samples(path):
    """(rate, [int16 samples]) of a mono or stereo 16-bit WAV (stereo: the left channel)."""
    with wave.open(path, "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        data = w.readframes(w.getnframes())
    if width != 2:
        raise AssertionError("%s: %d-byte samples, expected 16-bit" % (path, width))
    samples = struct.unpack("<%dh" % (len(data) // 2), data)
    return rate, list(samples[::channels])


def bursts(path, start_s, end_s, frame_s=0.010, threshold_dbfs=-40.0):
    """The stretches of WAV `path` between `start_s` and `end_s` whose 10 ms RMS is above
    `threshold_dbfs` (re a full-scale square), as [(start, end)] in seconds of the file; gaps of
    one frame are bridged."""
    rate, samples = wav_samples(path)
    n = max(1, int(frame_s * rate))
    loud = []
    first = int(start_s * rate) // n
    last = min(len(samples), int(end_s * rate)) // n
    for i in range(first, last):
        chunk = samples[i * n:(i + 1) * n]
        rms = math.sqrt(sum(s * s for s in chunk) / len(chunk)) if chunk else 0.0
        loud.append(rms > 0 and 20 * math.log10(rms / 32768.0) > threshold_dbfs)
    out = []
    for i, on in enumerate(loud):
        t = (first + i) * frame_s
        if on:
            if out and t - out[-1][1] <= frame_s + 1e-9:
                out[-1][1] = t + frame_s
            else:
                out.append([t, t + frame_s])
    return [tuple(b) for b in out]


def error_tone(path, start_s, end_s, workdir, label, slice_s=0.100):
    """Finds the error tone's beeps in a recording between `start_s` and `end_s` and measures
    480 and 620 Hz in a `slice_s` slice in the middle of each beep. Returns (beeps, [levels of
    each beep]); beeps as [(start, end)] seconds."""
    found = bursts(path, start_s, end_s)
    levels = []
    for i, (b0, b1) in enumerate(found):
        mid = (b0 + b1) / 2
        cut = mixer_it.cut_wav(path, os.path.join(workdir, "%s-beep%d.wav" % (label, i)),
                               mid - slice_s / 2, mid + slice_s / 2)
        levels.append(meter.levels(cut, ERROR_TONE_HZ, skip=0, until_end=0))
    return found, levels


class Window:
    def __init__(self, name, start, end):
        self.name, self.start, self.end = name, start, end

    def __repr__(self):
        return "Window(%s, %.1f s)" % (self.name, self.end - self.start)


def window_levels(path, file_start, window, freqs, workdir, label, margin=0.5, slice_s=0.5):
    """What a recording that started at monotonic `file_start` holds in `window` (monotonic
    times, `margin` cut from both ends): (median over `slice_s` slices, one level over the whole
    window, loudest slice), each {hz: dBFS}. Present tones are judged by the median, absent ones
    by the whole window, floors by the loudest slice (as in test_sidebar_audio.py)."""
    first = window.start - file_start + margin
    last = window.end - file_start - margin
    prefix = os.path.join(workdir, "%s-%s" % (label, window.name))
    median, loudest, slices = mixer_it.sliced_levels(path, prefix, freqs, first, last, slice_s)
    if len(slices) < 3:
        raise AssertionError("%s: window %s too short (%d slices)" % (label, window.name,
                                                                     len(slices)))
    whole = meter.levels(mixer_it.cut_wav(path, prefix + "-whole.wav", first, last), freqs,
                         skip=0, until_end=0)
    print("%-10s %-8s median %s | whole %s" % (label, window.name, meter.format_levels(median),
                                               meter.format_levels(whole)), flush=True)
    return median, whole, loudest


def tone_wav_level(path, second_pcm, hz, seconds=3):
    """The meter's reading of a tone given as one second of int16 samples (8 kHz), written
    `seconds` times to `path`: the level a listener should hear a PCMU sender at."""
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        data = struct.pack("<%dh" % len(second_pcm), *second_pcm)
        for _ in range(seconds):
            w.writeframes(data)
    return meter.levels(path, [hz])[hz]
