"""SIP messages and the values harness/sip_controller.py hands out: a small parser (start line,
headers with compact forms expanded, body cut to Content-Length), name-addr and URI helpers, the
X-Sidebar-Auth signature (HMAC-SHA256 with the shared secret over
"v1\\nMETHOD\\nCall-ID\\nCSeq-number\\nunix"), and the Dialog, Session, Sidebar, Notify and
ReferResult the controller returns."""

import hashlib
import hmac
import re
import threading
import time

COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
           "l": "content-length", "c": "content-type", "o": "event", "r": "refer-to",
           "k": "supported", "s": "subject", "e": "content-encoding", "b": "referred-by",
           "u": "allow-events"}


def sidebar_auth(secret, method, call_id, cseq, unix=None):
    """The X-Sidebar-Auth value for a request: v1.<unix>.<lowercase hex HMAC-SHA256>."""
    unix = int(time.time()) if unix is None else int(unix)
    text = "v1\n%s\n%s\n%d\n%d" % (method, call_id, int(cseq), unix)
    mac = hmac.new(secret.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()
    return "v1.%d.%s" % (unix, mac)


def check_sidebar_auth(secret, value, method, call_id, cseq, now=None, window=60):
    """None if `value` is a valid X-Sidebar-Auth for that request, else why not."""
    m = re.fullmatch(r"v1\.(\d+)\.([0-9a-f]{64})", (value or "").strip())
    if not m:
        return "not of the form v1.<unix>.<64 lowercase hex>: %r" % value
    unix = int(m.group(1))
    now = time.time() if now is None else now
    if abs(now - unix) > window:
        return "timestamp %d is %.0f s from now" % (unix, now - unix)
    if sidebar_auth(secret, method, call_id, cseq, unix) != m.group(0):
        return "MAC does not match %s/%s/%s" % (method, call_id, cseq)
    return None


class SipError(Exception):
    """A non-2xx final response to a request the caller needed to succeed."""

    def __init__(self, what, response):
        self.status = response.status
        self.reason = response.reason
        self.response = response
        warning = response.header("warning")
        super().__init__("%s answered %d %s%s" % (what, response.status, response.reason,
                                                   " (Warning: %s)" % warning if warning else ""))


class Message:
    """A parsed SIP message: request (method, uri) or response (status, reason), headers by
    lower-case full name (compact forms expanded), body."""

    def __init__(self, first_line, headers, body, raw=""):
        self.first_line = first_line
        self.headers = headers  # [(lower-case name, value)] in order
        self.body = body
        self.raw = raw
        m = re.match(r"SIP/2\.0\s+(\d{3})\s*(.*)$", first_line)
        if m:
            self.status, self.reason = int(m.group(1)), m.group(2)
            self.method, self.uri = None, None
        else:
            parts = first_line.split()
            if len(parts) != 3 or parts[2] != "SIP/2.0":
                raise ValueError("not a SIP start line: %r" % first_line[:80])
            self.status, self.reason = None, None
            self.method, self.uri = parts[0], parts[1]

    @classmethod
    def parse(cls, data):
        text = data.decode("utf-8", "replace")
        sep = re.search(r"\r?\n\r?\n", text)
        head, body = (text[:sep.start()], text[sep.end():]) if sep else (text, "")
        lines = []
        for line in re.split(r"\r?\n", head):
            if line[:1] in (" ", "\t") and lines:
                lines[-1] += " " + line.strip()
            elif line:
                lines.append(line)
        if not lines:
            raise ValueError("empty message")
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon:
                raise ValueError("bad header line %r" % line[:80])
            name = name.strip().lower()
            headers.append((COMPACT.get(name, name), value.strip()))
        msg = cls(lines[0], headers, body, text)
        length = msg.header("content-length")
        if length is not None and length.isdigit():
            msg.body = body.encode("utf-8")[:int(length)].decode("utf-8", "replace")
        return msg

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    @property
    def call_id(self):
        return self.header("call-id")

    @property
    def cseq(self):
        number, _, method = (self.header("cseq") or "0 ?").partition(" ")
        return int(number) if number.isdigit() else -1, method.strip()

    def tag(self, name):
        return name_addr(self.header(name) or "")[1].get("tag")

    def top_branch(self):
        via = (self.all("via") or [""])[0].split(",")[0]
        m = re.search(r";\s*branch=([^;,\s]+)", via)
        return m.group(1) if m else None


def name_addr(value):
    """(uri, {param: value}) of a From/To/Contact/Refer-To value."""
    value = value.strip()
    if "<" in value and ">" in value:
        uri = value[value.index("<") + 1:value.index(">")]
        rest = value[value.index(">") + 1:]
    else:
        uri, _, rest = value.partition(";")
        rest = ";" + rest
    params = {}
    for p in rest.split(";"):
        if p.strip():
            k, _, v = p.strip().partition("=")
            params[k.strip().lower()] = v.strip()
    return uri.strip(), params


def uri_hostport(uri):
    """(host, port or None) of a SIP URI."""
    m = re.match(r"sips?:(?:[^@;>?]*@)?(\[[^\]]+\]|[^:;>?]+)(?::(\d+))?", uri)
    if not m:
        return None, None
    return m.group(1).strip("[]"), int(m.group(2)) if m.group(2) else None


class Dialog:
    """A dialog the controller holds (UAC side): the controlling dialog of a sidebar."""

    def __init__(self, call_id, local_tag, remote_tag, local_uri, remote_uri, remote_target,
                 route_set):
        self.call_id = call_id
        self.local_tag = local_tag
        self.remote_tag = remote_tag
        self.local_uri = local_uri
        self.remote_uri = remote_uri
        self.remote_target = remote_target
        self.route_set = route_set
        self.local_cseq = 1
        self.ended_by = None  # "local" (our BYE) or "remote" (the mixer's BYE)
        self.remote_bye = None  # the BYE the mixer sent, if it did
        self._ended = threading.Event()

    @property
    def ended(self):
        return self._ended.is_set()

    def wait_ended(self, timeout):
        """True once the dialog ended (either side's BYE) within `timeout` seconds."""
        return self._ended.wait(timeout)

    def _end(self, by, bye=None):
        if not self._ended.is_set():
            self.ended_by, self.remote_bye = by, bye
            self._ended.set()


class Session:
    """What Controller.invite returns: the INVITE's dialog and the 200 OK's facts."""

    def __init__(self, dialog, response, provisional):
        self.dialog = dialog
        self.response = response
        self.provisional = provisional  # statuses of the 1xx received, in order
        self.contact = response.header("contact") or ""
        self.uri, self.contact_params = name_addr(self.contact)
        self.answer_sdp = response.body

    ended = property(lambda self: self.dialog.ended)
    ended_by = property(lambda self: self.dialog.ended_by)

    def wait_ended(self, timeout):
        return self.dialog.wait_ended(timeout)

    def __repr__(self):
        return "%s(%s, call-id %s%s)" % (type(self).__name__, self.contact, self.dialog.call_id,
                                         ", ended by %s" % self.ended_by if self.ended else "")


class Sidebar(Session):
    """What create_sidebar returns: the controlling dialog and the 200 OK's facts."""

    def __init__(self, dialog, response, provisional):
        super().__init__(dialog, response, provisional)
        self.isfocus = "isfocus" in self.contact_params
        self.allow_events = response.header("allow-events") or ""
        m = re.match(r"sips?:conf=([^@;.]+)\.sb(\d+)@", self.uri)
        self.room, self.number = (m.group(1), int(m.group(2))) if m else (None, None)


class Notify:
    def __init__(self, msg):
        self.message = msg
        self.event = msg.header("event") or ""
        self.subscription_state = (msg.header("subscription-state") or "").split(";")[0].strip()
        self.sipfrag_line = msg.body.strip().splitlines()[0] if msg.body.strip() else ""
        m = re.match(r"SIP/2\.0\s+(\d{3})", self.sipfrag_line)
        self.sipfrag_status = int(m.group(1)) if m else None

    @property
    def terminated(self):
        return self.subscription_state.lower() == "terminated"

    def __repr__(self):
        return "Notify(%r, %s)" % (self.sipfrag_line, self.subscription_state)


class ReferResult:
    def __init__(self, response, call_id):
        self.response = response
        self.status = response.status
        self.reason = response.reason
        self.call_id = call_id
        self.notifies = []
        self.terminated = False  # a NOTIFY with Subscription-State: terminated arrived

    @property
    def sipfrags(self):
        """The sipfrag status of each NOTIFY in order, e.g. [100, 200]; a report repeated at once
        counts once (Debian's sofia-sip sends "100 Trying" twice for a REFER outside a dialog:
        the mixer's first, automatic NOTIFY and again when the REFER is answered)."""
        out = []
        for n in self.notifies:
            if not out or out[-1] != n.sipfrag_status:
                out.append(n.sipfrag_status)
        return out

    def __repr__(self):
        return "ReferResult(%d %s, NOTIFYs %s%s)" % (self.status, self.reason, self.notifies,
                                                    "" if self.terminated else ", not terminated")
