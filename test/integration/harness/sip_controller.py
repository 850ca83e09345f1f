"""A SIP controller over UDP that plays the IVR's controller role against the mixer (DESIGN.md
5.4 and the sidebar control contract): it creates sidebars (INVITE sidebar=<room>), moves members
(REFER, in the controlling dialog or out of dialog), ends sidebars (BYE), and answers what the
mixer sends back (the NOTIFYs that report a REFER's progress, the BYE with which the mixer ends a
sidebar), and opens service channels (INVITE member=<room>.<k>: invite()). Trusted requests
carry X-Sidebar-Auth: v1.<unix>.<hex HMAC-SHA256 of "v1\\nMETHOD\\nCall-ID\\nCSeq-number\\nunix">.

Standard library only: one UDP socket on a free loopback port, one receive thread that files
responses under their client transaction and answers requests at once; requests are retransmitted
per RFC 3261 (timer A for INVITE, stopped by a provisional; timer E for others). Every wait is
bounded. Usage:
    with Controller("127.0.0.1", ("127.0.0.1", mixer.sip_port), secret) as c:
        sb = c.create_sidebar(1000, parent_gain=-12)          # SipError on a non-2xx
        r = c.refer(sb, c.member_uri(1000, 2))                # r.status 202, r.sipfrags [100, 200]
        c.refer("sip:conf=1000@127.0.0.1:5070", c.member_uri(1000, 2))  # back to the main room
        c.bye(sb)                                             # or sb.wait_ended(5): the mixer's BYE
        ch = c.invite("member=1000.2", sdp="live", rtp_port=p)  # a service channel (a Session)
"""

import itertools
import os
import re
import socket
import threading
import time

from harness import ports
from harness.sip_message import (  # noqa: F401 (re-exported for tests)
    Dialog, Message, Notify, ReferResult, Session, Sidebar, SipError, check_sidebar_auth,
    name_addr, sidebar_auth, uri_hostport)

T1 = 0.5
T2 = 4.0


class _Transaction:
    def __init__(self, method):
        self.method = method
        self.responses = []
        self.ack = None  # (bytes, address) re-sent when the final response is retransmitted

    @property
    def final(self):
        finals = [r for r in self.responses if r.status >= 200]
        return finals[0] if finals else None


class Controller:
    def __init__(self, local_ip, mixer_addr, secret, user="controller"):
        if isinstance(mixer_addr, str):
            host, _, port = mixer_addr.rpartition(":")
            mixer_addr = (host.strip("[]"), int(port))
        self.local_ip = local_ip
        self.mixer_addr = (mixer_addr[0], int(mixer_addr[1]))
        self.secret = secret
        self.user = user
        family = socket.AF_INET6 if ":" in local_ip else socket.AF_INET
        self._block = ports.reserve(1, tcp=False)
        self._rtp_block = ports.reserve(2, tcp=False, align=2)
        self._block.release()
        self._rtp_block.release()
        self.port = self._block.base
        self.rtp_port = self._rtp_block.base
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.bind((local_ip, self.port))
        self.sock.settimeout(0.1)
        # Bound so that whatever the mixer sends to our SDP's port is dropped here, not refused.
        self._rtp_sock = socket.socket(family, socket.SOCK_DGRAM)
        self._rtp_sock.bind((local_ip, self.rtp_port))
        self._cond = threading.Condition()
        self._transactions = {}  # (branch, method) -> _Transaction
        self._dialogs = {}  # call-id -> Dialog
        self._refer_calls = set()  # Call-IDs of our out-of-dialog REFERs (their NOTIFYs come in)
        self._notifies = []  # (call-id, Notify) in arrival order, retransmissions dropped
        self._seen = {}  # (call-id, cseq, method, from-tag) -> the response we sent (re-sent)
        self.unexpected = []  # requests the controller had no use for (answered 481/501)
        self.errors = []  # datagrams that did not parse
        self._ids = itertools.count(1)
        self._prefix = "%x%x" % (os.getpid(), int(time.time() * 1000) & 0xffffff)
        self._closed = False
        self._thread = threading.Thread(target=self._receive_loop, name="sip-controller",
                                        daemon=True)
        self._thread.start()

    # --- addresses and identifiers ---------------------------------------------------------

    def _host(self, host):
        return "[%s]" % host if ":" in host else host

    @property
    def mixer_hostport(self):
        return "%s:%d" % (self._host(self.mixer_addr[0]), self.mixer_addr[1])

    @property
    def contact(self):
        return "<sip:%s@%s:%d>" % (self.user, self._host(self.local_ip), self.port)

    def mixer_uri(self, user):
        return "sip:%s@%s" % (user, self.mixer_hostport)

    def member_uri(self, room, number):
        return self.mixer_uri("member=%s.%d" % (room, number))

    def _new_id(self, what):
        return "%s-%s-%d" % (what, self._prefix, next(self._ids))

    def new_call_id(self):
        return "%s@%s" % (self._new_id("sbctl"), self.local_ip)

    def _destination(self, uri, route_set=()):
        if route_set:
            uri = name_addr(route_set[0])[0]
        host, port = uri_hostport(uri)
        if host and port and re.fullmatch(r"[0-9.]+|[0-9a-fA-F:]+", host):
            return (host, port)
        return self.mixer_addr

    def sdp_offer(self, sdp="inactive", rtp_port=None):
        if sdp not in ("inactive", "live"):
            return sdp  # a complete SDP given by the caller
        ip = self.local_ip
        return ("v=0\r\no=controller %d 1 IN IP%d %s\r\ns=sidebar controller\r\n"
                "c=IN IP%d %s\r\nt=0 0\r\nm=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=%s\r\n" %
                (int(time.time()), 6 if ":" in ip else 4, ip, 6 if ":" in ip else 4, ip,
                 rtp_port or self.rtp_port, "inactive" if sdp == "inactive" else "sendrecv"))

    def auth_header(self, method, call_id, cseq, unsigned=False, bad_auth=False, skew=0):
        if unsigned:
            return []
        secret = self.secret + "-wrong" if bad_auth else self.secret
        return ["X-Sidebar-Auth: " + sidebar_auth(secret, method, call_id, cseq,
                                                  int(time.time()) + skew)]

    # --- sending ---------------------------------------------------------------------------

    def _build(self, method, ruri, call_id, cseq, from_value, to_value, branch, headers=(),
               body="", content_type="application/sdp", routes=(), cseq_method=None):
        lines = ["%s %s SIP/2.0" % (method, ruri),
                 "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (self._host(self.local_ip),
                                                            self.port, branch),
                 "Max-Forwards: 70", "From: " + from_value, "To: " + to_value,
                 "Call-ID: " + call_id, "CSeq: %d %s" % (cseq, cseq_method or method)]
        lines += ["Route: " + r for r in routes]
        if method in ("INVITE", "REFER", "SUBSCRIBE", "NOTIFY"):
            lines.append("Contact: " + self.contact)
        lines.append("User-Agent: sidebar-test-controller")
        lines += list(headers)
        if body:
            lines.append("Content-Type: " + content_type)
        lines.append("Content-Length: %d" % len(body.encode()))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def _send(self, data, addr):
        self.sock.sendto(data, addr)

    def _transact(self, method, data, branch, addr, timeout, what):
        """Sends a request with RFC 3261 retransmissions until its final response or `timeout`;
        returns the _Transaction (its responses, final first among finals)."""
        tx = _Transaction(method)
        with self._cond:
            self._transactions[(branch, method)] = tx
        self._send(data, addr)
        start = time.monotonic()
        interval, next_send = T1, start + T1
        deadline = start + timeout
        with self._cond:
            while tx.final is None:
                now = time.monotonic()
                if now >= deadline:
                    got = [r.status for r in tx.responses]
                    raise TimeoutError("%s: no final response within %.1f s (received %s)" %
                                       (what, timeout, got or "nothing"))
                if now >= next_send:
                    proceeding = bool(tx.responses)
                    if method == "INVITE":
                        if not proceeding:  # timer A; a provisional stops retransmissions
                            self._send(data, addr)
                        interval *= 2
                    else:  # timer E: doubling up to T2, T2 once proceeding
                        self._send(data, addr)
                        interval = T2 if proceeding else min(interval * 2, T2)
                    next_send = now + interval
                self._cond.wait(max(0.0, min(next_send, deadline) - now))
        return tx

    # --- receiving -------------------------------------------------------------------------

    def _receive_loop(self):
        while not self._closed:
            try:
                data, addr = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            except OSError:
                if self._closed:
                    return
                continue
            if not data.strip():
                continue  # keep-alive
            try:
                msg = Message.parse(data)
            except ValueError as e:
                self.errors.append("%s: %r" % (e, data[:200]))
                continue
            try:
                if msg.status is not None:
                    self._on_response(msg)
                else:
                    self._on_request(msg, addr)
            except Exception as e:  # pylint: disable=broad-except
                self.errors.append("handling %s: %s" % (msg.first_line, e))

    def _on_response(self, msg):
        key = (msg.top_branch(), msg.cseq[1])
        with self._cond:
            tx = self._transactions.get(key)
            if tx is None:
                return
            if tx.final is not None and msg.status >= 200:
                if tx.ack is not None:  # a retransmitted final: ACK it again
                    self._send(*tx.ack)
                return
            tx.responses.append(msg)
            self._cond.notify_all()

    def _respond(self, req, status, reason, addr, to_tag=None):
        lines = ["SIP/2.0 %d %s" % (status, reason)]
        lines += ["Via: " + v for v in req.all("via")]
        to = req.header("to") or ""
        if to_tag and "tag" not in name_addr(to)[1]:
            to += ";tag=" + to_tag
        lines += ["From: " + (req.header("from") or ""), "To: " + to,
                  "Call-ID: " + (req.call_id or ""), "CSeq: " + (req.header("cseq") or "")]
        if 200 <= status < 300 and req.method in ("NOTIFY", "INVITE", "SUBSCRIBE"):
            lines.append("Contact: " + self.contact)
        lines.append("Content-Length: 0")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self._send(data, addr)
        return data

    def _on_request(self, req, addr):
        if req.method == "ACK":
            return
        key = (req.call_id, req.cseq[0], req.method, req.tag("from"))
        with self._cond:
            if key in self._seen:  # a retransmission: answer the same again, record nothing
                self._send(self._seen[key], addr)
                return
            dialog = self._dialogs.get(req.call_id)
            in_dialog = (dialog is not None and req.tag("to") == dialog.local_tag and
                         req.tag("from") == dialog.remote_tag)
            if req.method == "NOTIFY" and (in_dialog or req.call_id in self._refer_calls):
                self._seen[key] = self._respond(req, 200, "OK", addr)
                self._notifies.append((req.call_id, Notify(req)))
            elif req.method == "BYE" and in_dialog:
                self._seen[key] = self._respond(req, 200, "OK", addr)
                dialog._end("remote", req)  # pylint: disable=protected-access
            elif req.method == "OPTIONS":
                self._seen[key] = self._respond(req, 200, "OK", addr, to_tag="ctl")
            else:
                self.unexpected.append(req)
                if req.method in ("NOTIFY", "BYE", "INFO", "UPDATE") or req.tag("to"):
                    status, reason = 481, "Call/Transaction Does Not Exist"
                else:
                    status, reason = 501, "Not Implemented"
                self._seen[key] = self._respond(req, status, reason, addr, to_tag="ctl")
            self._cond.notify_all()

    # --- the controller's operations -------------------------------------------------------

    def create_sidebar(self, room, parent_gain=None, sdp="inactive", rtp_port=None, timeout=10.0,
                       unsigned=False, bad_auth=False, auth_skew=0, extra_headers=()):
        """INVITE sip:sidebar=<room>@mixer; returns a Sidebar once the 2xx is ACKed. A non-2xx
        is ACKed and raised as SipError (with .status). parent_gain: None (header absent),
        "off", or dB (a number, or any text to send as is)."""
        headers = []
        if parent_gain is not None:
            gain = parent_gain if isinstance(parent_gain, str) else "%g" % parent_gain
            headers.append("X-Parent-Gain: " + gain)
        session = self.invite("sidebar=%s" % room, sdp, rtp_port, timeout, unsigned, bad_auth,
                              auth_skew, headers + list(extra_headers))
        return Sidebar(session.dialog, session.response, session.provisional)

    def invite(self, ruri_user, sdp="inactive", rtp_port=None, timeout=10.0, unsigned=False,
               bad_auth=False, auth_skew=0, extra_headers=()):
        """A signed INVITE to sip:<ruri_user>@mixer (e.g. member=1000.2 for a service channel)
        with an SDP offer (see sdp_offer: "inactive", "live" on rtp_port, or a whole SDP);
        returns a Session once the 2xx is ACKed. A non-2xx is ACKed and raised as SipError."""
        call_id, tag, cseq = self.new_call_id(), self._new_id("tag"), 1
        ruri = self.mixer_uri(ruri_user)
        from_value = "%s;tag=%s" % (self.contact, tag)
        to_value = "<%s>" % ruri
        headers = self.auth_header("INVITE", call_id, cseq, unsigned, bad_auth, auth_skew)
        headers += list(extra_headers)
        branch = "z9hG4bK" + self._new_id("inv")
        data = self._build("INVITE", ruri, call_id, cseq, from_value, to_value, branch, headers,
                           self.sdp_offer(sdp, rtp_port))
        what = "INVITE %s" % ruri
        tx = self._transact("INVITE", data, branch, self.mixer_addr, timeout, what)
        final = tx.final
        provisional = [r.status for r in tx.responses if r.status < 200]
        if final.status >= 300:  # ACK in the INVITE transaction: same branch and Request-URI
            ack = self._build("ACK", ruri, call_id, cseq, from_value, final.header("to"), branch,
                              cseq_method="ACK")
            with self._cond:
                tx.ack = (ack, self.mixer_addr)
            self._send(ack, self.mixer_addr)
            raise SipError(what, final)
        remote_tag = final.tag("to")
        target = name_addr(final.header("contact") or "")[0] or ruri
        routes = list(reversed(final.all("record-route")))
        dialog = Dialog(call_id, tag, remote_tag, from_value, final.header("to"), target, routes)
        ack = self._build("ACK", target, call_id, cseq, from_value, final.header("to"),
                          "z9hG4bK" + self._new_id("ack"), routes=routes, cseq_method="ACK")
        addr = self._destination(target, routes)
        with self._cond:
            tx.ack = (ack, addr)
            self._dialogs[call_id] = dialog
        self._send(ack, addr)
        if not remote_tag:
            raise AssertionError("%s: the 200 OK has no To tag: %s" % (what, final.raw[:400]))
        return Session(dialog, final, provisional)

    def refer(self, target, member_uri, timeout=10.0, notify_timeout=10.0, unsigned=False,
              bad_auth=False, auth_skew=0, extra_headers=()):
        """REFER member_uri into `target`: a Sidebar/Dialog (in-dialog REFER on the controlling
        dialog) or a URI string (out of dialog, e.g. sip:conf=1000@host to move back to the
        main room). Returns a ReferResult; after a 2xx it holds the NOTIFYs received until one
        said Subscription-State: terminated or notify_timeout passed (then .terminated is
        False)."""
        dialog = getattr(target, "dialog", target)
        if isinstance(dialog, Dialog):
            with self._cond:
                dialog.local_cseq += 1
                cseq = dialog.local_cseq
            call_id, ruri, routes = dialog.call_id, dialog.remote_target, dialog.route_set
            from_value, to_value = dialog.local_uri, dialog.remote_uri
        else:
            call_id, cseq, ruri, routes = self.new_call_id(), 1, str(target), []
            from_value = "%s;tag=%s" % (self.contact, self._new_id("tag"))
            to_value = "<%s>" % ruri
        headers = self.auth_header("REFER", call_id, cseq, unsigned, bad_auth, auth_skew)
        headers += ["Refer-To: <%s>" % member_uri, "Referred-By: " + self.contact]
        headers += list(extra_headers)
        branch = "z9hG4bK" + self._new_id("ref")
        data = self._build("REFER", ruri, call_id, cseq, from_value, to_value, branch, headers,
                           routes=routes)
        with self._cond:
            self._refer_calls.add(call_id)
            mark = len(self._notifies)
        what = "REFER %s (Refer-To %s)" % (ruri, member_uri)
        tx = self._transact("REFER", data, branch, self._destination(ruri, routes), timeout, what)
        result = ReferResult(tx.final, call_id)

        def mine():
            out = []
            for cid, n in self._notifies[mark:]:
                ident = re.search(r";\s*id=(\d+)", n.event)
                if cid == call_id and (not ident or int(ident.group(1)) == cseq):
                    out.append(n)
            return out
        deadline = time.monotonic() + notify_timeout
        with self._cond:
            while 200 <= result.status < 300:
                result.notifies = mine()
                result.terminated = any(n.terminated for n in result.notifies)
                remaining = deadline - time.monotonic()
                if result.terminated or remaining <= 0:
                    break
                self._cond.wait(remaining)
        return result

    def bye(self, target, timeout=10.0, signed=False):
        """BYE on a dialog (a Sidebar's controlling dialog, a Session); returns the final status."""
        dialog = getattr(target, "dialog", target)
        with self._cond:
            dialog.local_cseq += 1
            cseq = dialog.local_cseq
        headers = self.auth_header("BYE", dialog.call_id, cseq) if signed else []
        branch = "z9hG4bK" + self._new_id("bye")
        data = self._build("BYE", dialog.remote_target, dialog.call_id, cseq, dialog.local_uri,
                           dialog.remote_uri, branch, headers, routes=dialog.route_set)
        tx = self._transact("BYE", data, branch,
                            self._destination(dialog.remote_target, dialog.route_set), timeout,
                            "BYE %s" % dialog.remote_target)
        if tx.final.status < 300 or tx.final.status == 481:
            dialog._end("local")  # pylint: disable=protected-access
        return tx.final.status

    def notifies(self, call_id=None):
        """Every NOTIFY received (for `call_id`), in order."""
        with self._cond:
            return [n for cid, n in self._notifies if call_id in (None, cid)]

    def close(self):
        self._closed = True
        self._thread.join(2.0)
        self.sock.close()
        self._rtp_sock.close()
        self._block.close()
        self._rtp_block.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
