"""Shared pieces of the sidebar tests (test_sidebar_*.py, test_harness_controller.py): signed sipp
controller runs (the Call-ID fixed with -cid_str, the X-Sidebar-Auth header lines computed here
and handed to sipp in an injection file), member calls that stay up, where the admin API says each
member is (GET /rooms/{n} members' "sidebar": 0 = main room), the Python controller for a Mixer,
and tone files quiet enough for five callers to be mixed without clipping."""

import math
import os
import random
import struct
import time
import wave

import mixer_it
from harness import sipp
from harness.process import wait_until
from harness.sip_controller import Controller, sidebar_auth

ROOM = "1000"
# How a request is signed (auth_line's `how`): a valid signature, none, one that must be refused.
HOW = ("good", "none", "wrong_secret", "stale", "other_call_id", "garbage")


def auth_line(secret, method, call_id, cseq, how="good"):
    """A whole header line for a scenario's [fieldN]: X-Sidebar-Auth signed as `how` says, or a
    harmless header when it must be absent."""
    now = int(time.time())
    if how == "good":
        value = sidebar_auth(secret, method, call_id, cseq, now)
    elif how == "none":
        return "X-Test-Note: unsigned"
    elif how == "wrong_secret":
        value = sidebar_auth(secret + "-not-it", method, call_id, cseq, now)
    elif how == "stale":  # outside the mixer's +-60 s
        value = sidebar_auth(secret, method, call_id, cseq, now - 300)
    elif how == "other_call_id":  # a signature replayed from another request
        value = sidebar_auth(secret, method, "replayed-" + call_id, cseq, now)
    elif how == "garbage":
        value = "v1.%d.%s" % (now, "z" * 64)
    else:
        raise ValueError("how must be one of %s" % (HOW,))
    return "X-Sidebar-Auth: " + value


def secret_of(mixer):
    return mixer.config["mixer"]["secret"]


def controller(mixer):
    """The Python controller (harness/sip_controller.py) for `mixer`, with its secret."""
    return Controller("127.0.0.1", ("127.0.0.1", mixer.sip_port), secret_of(mixer))


def signed_sipp(scenario, target, workdir, name, fields, keys=None, sets=None, extra=(),
                timeout=20, background=False):
    """Runs a controller scenario whose Call-ID is "<unique prefix>-1" (-cid_str) and whose
    [field0], [field1] ... are fields(call_id): header lines, usually from auth_line(). Returns
    the SippResult, or the started mixer_it.BackgroundSipp, with .call_id set."""
    prefix = "%s-%06x" % (name, random.getrandbits(24))
    call_id = prefix + "-1"
    values = list(fields(call_id))
    for v in values:
        if ";" in v or "\n" in v:
            raise ValueError("an injection field cannot hold ';' or a newline: %r" % v)
    inf = os.path.join(workdir, name + ".inf")
    with open(inf, "w", encoding="utf-8") as f:
        f.write("SEQUENTIAL\n%s\n" % ";".join(values))
    args = dict(name=name, keys=keys, sets=sets, inf=inf, timeout=timeout, scenario_log=True,
                extra=("-cid_str", prefix + "-%u", "-trace_msg",
                       "-message_file", os.path.join(workdir, name + ".messages.log")) +
                tuple(extra))
    if background:
        run = mixer_it.BackgroundSipp(scenario, target, workdir, **args).start()
    else:
        run = sipp.run(scenario, target, workdir, **args)
    run.call_id = call_id
    return run


def member_call(mixer, workdir, caller, seconds, room=ROOM):
    """A sipp member call (uac_call.xml) into `room` that stays up `seconds`, in the
    background."""
    return mixer_it.BackgroundSipp("uac_call", mixer.sip_target, workdir, name="member-" + caller,
                                   keys={"user": "conf=%s" % room},
                                   sets={"caller": caller, "token": "none"},
                                   extra=("-d", str(int(seconds * 1000))),
                                   timeout=int(seconds) + 20).start()


def member_number(mixer, caller, room=ROOM, timeout=15.0):
    return mixer_it.wait_member(mixer, room, "sip:%s@" % caller, timeout)["number"]


def placement(mixer, room=ROOM):
    """{member number: sidebar number (0 = main room)} from GET /rooms/{room}."""
    out = {}
    for m in mixer_it.members(mixer, room):
        if "sidebar" not in m:
            raise AssertionError("GET /rooms/%s lists members without a \"sidebar\" field (the "
                                 "mixer does not report where members are): %s" % (room, m))
        out[m["number"]] = m["sidebar"]
    return out


def wait_placement(mixer, number, sidebar, room=ROOM, timeout=5.0):
    """Waits until the admin API puts member `number` in `sidebar` (0 = main room)."""
    seen = {}

    def there():
        seen.update(placement(mixer, room))
        return seen.get(number) == sidebar
    try:
        wait_until(there, timeout, "member %d in sidebar %d" % (number, sidebar), interval=0.1)
    except TimeoutError as e:
        raise AssertionError("%s; GET /rooms/%s says {member: sidebar} %s" %
                             (e, room, seen)) from None


def sidebars(mixer, room=ROOM):
    """GET /rooms/{room}/sidebars: {"sidebars": [{"sidebar": n, "parent_gain_db": ...,
    "members": [...]}]}; returns the list."""
    status, body = mixer.admin("GET", "/rooms/%s/sidebars" % room)
    if status != 200 or not isinstance(body, dict) or not isinstance(body.get("sidebars"), list):
        raise AssertionError("GET /rooms/%s/sidebars answered %s: %r" % (room, status, body))
    return body["sidebars"]


def events(mixer, event, **fields):
    """The mixer's log lines with event=<event> whose key=value fields match `fields`."""
    return [line for line in mixer_it.log_lines(mixer, event)
            if all(mixer_it.field(line, k) == str(v) for k, v in fields.items())]


def wait_event(mixer, event, timeout=5.0, **fields):
    try:
        return wait_until(lambda: events(mixer, event, **fields), timeout,
                          "a log line event=%s %s" % (event, fields), interval=0.1)
    except TimeoutError as e:
        raise AssertionError("%s; lines with event=%s: %s" %
                             (e, event, mixer_it.log_lines(mixer, event))) from None


def write_tone(path, hz, dbfs, seconds, rate=48000):
    """A mono 16-bit WAV of a sine of whole `hz` at `dbfs` (peak re full scale) for baresip's
    aufile; kept if it exists. 48 kHz: baresip 1.0 resamples a 16 kHz source to 8 kHz through a
    filter that takes 5 dB off 1130 Hz and 40 off 2210 Hz, while 48 kHz (ausine's rate) reaches
    PCMU, G.722 and Opus flat within about 1 dB."""
    if os.path.exists(path):
        return path
    amp = 32767 * 10 ** (dbfs / 20)
    step = 2 * math.pi * hz / rate
    # A whole number of Hz repeats exactly every second: write one second, `seconds` times.
    second = struct.pack("<%dh" % rate, *(int(round(amp * math.sin(step * i)))
                                          for i in range(rate)))
    tmp = path + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for _ in range(int(seconds)):
            w.writeframes(second)
    os.replace(tmp, path)
    return path
