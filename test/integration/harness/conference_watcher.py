"""A conference event package (RFC 4575) subscriber for the integration tests: SUBSCRIBE
Event: conference over UDP, then every NOTIFY answered with 200 and its body kept."""

import re
import socket
import time


class Watcher:
    """A minimal SIP subscriber over UDP: SUBSCRIBE, then answers every NOTIFY with 200 and
    keeps their bodies."""

    def __init__(self, target_port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.target = ("127.0.0.1", target_port)
        self.notifies = []
        self.cseqs = set()
        self.retransmissions = 0

    def subscribe(self, room, accept="application/conference-info+xml"):
        msg = ("SUBSCRIBE sip:conf=%s@127.0.0.1:%d SIP/2.0\r\n"
               "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-w%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:watcher@127.0.0.1:%d>;tag=w1\r\n"
               "To: <sip:conf=%s@127.0.0.1:%d>\r\n"
               "Call-ID: watch-%d\r\nCSeq: 1 SUBSCRIBE\r\n"
               "Contact: <sip:watcher@127.0.0.1:%d>\r\n"
               "Event: conference\r\nAccept: %s\r\nExpires: 300\r\nContent-Length: 0\r\n\r\n" %
               (room, self.target[1], self.port, self.port, self.port, room, self.target[1],
                self.port, self.port, accept))
        self.sock.sendto(msg.encode(), self.target)

    def receive(self, timeout):
        """The next message (answering a NOTIFY with 200), or None."""
        self.sock.settimeout(timeout)
        try:
            data, addr = self.sock.recvfrom(65536)
        except socket.timeout:
            return None
        text = data.decode(errors="replace")
        if text.startswith("NOTIFY "):
            head, _, body = text.partition("\r\n\r\n")
            cseq = re.search(r"^CSeq:\s*(\d+)", head, re.M | re.I)
            if cseq and cseq.group(1) in self.cseqs:
                self.retransmissions += 1  # our 200 crossed it: answer again, count once
            else:
                self.cseqs.add(cseq.group(1) if cseq else "")
                self.notifies.append((head, body))
            answer = "SIP/2.0 200 OK\r\n"
            for name in ("Via", "From", "To", "Call-ID", "CSeq"):
                m = re.search(r"^%s:\s*(.*)$" % name, head, re.M | re.I)
                if m:
                    answer += "%s: %s\r\n" % (name, m.group(1).strip())
            self.sock.sendto((answer + "Content-Length: 0\r\n\r\n").encode(), addr)
        return text

    def wait_notify(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for head, body in self.notifies:
                if predicate(head, body):
                    return head, body
            self.receive(max(0.05, deadline - time.monotonic()))
        raise AssertionError("no NOTIFY %s within %.0f s (got %d NOTIFYs)" %
                             (what, timeout, len(self.notifies)))

    def close(self):
        self.sock.close()
