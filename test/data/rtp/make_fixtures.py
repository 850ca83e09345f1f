#!/usr/bin/env python3
"""Writes the RTP/RTCP binary fixtures of test/data/rtp/ and the fuzz seeds of
test/data/fuzz/fuzz_rtp/ and fuzz_rtcp/. Run once from anywhere; the tests check the exact
field values used here, so change both together."""
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZ = os.path.join(HERE, "..", "fuzz")


def ulaw(sample):
    """G.711 mu-law encode of one 16-bit sample (ITU-T G.711, with the 0x84 bias)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = 7
    while exponent > 0 and not magnitude & (0x4000 >> (7 - exponent)):
        exponent -= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def rtp(pt, seq, ts, ssrc, payload, marker=False, csrcs=(), ext=None, padding=0):
    first = 0x80 | (0x20 if padding else 0) | (0x10 if ext else 0) | len(csrcs)
    out = struct.pack("!BBHII", first, (0x80 if marker else 0) | pt, seq, ts, ssrc)
    out += b"".join(struct.pack("!I", c) for c in csrcs)
    if ext:
        profile, data = ext
        assert len(data) % 4 == 0
        out += struct.pack("!HH", profile, len(data) // 4) + data
    out += payload
    if padding:
        out += bytes(padding - 1) + bytes([padding])
    return out


def rtcp(pt, count, body, padding=0):
    size = 4 + len(body) + padding
    assert size % 4 == 0
    head = struct.pack("!BBH", 0x80 | (0x20 if padding else 0) | count, pt, size // 4 - 1)
    pad = bytes(padding - 1) + bytes([padding]) if padding else b""
    return head + body + pad


def block(ssrc, fraction, lost, highest, jitter, lsr, dlsr):
    return struct.pack("!IB", ssrc, fraction) + (lost & 0xFFFFFF).to_bytes(3, "big") + \
        struct.pack("!IIII", highest, jitter, lsr, dlsr)


def sr(ssrc, ntp, ts, packets, octets, blocks=()):
    return rtcp(200, len(blocks), struct.pack("!IQIII", ssrc, ntp, ts, packets, octets) +
                b"".join(blocks))


def rr(ssrc, blocks=()):
    return rtcp(201, len(blocks), struct.pack("!I", ssrc) + b"".join(blocks))


def sdes(chunks):
    body = b""
    for ssrc, items in chunks:
        chunk = struct.pack("!I", ssrc)
        for kind, text in items:
            chunk += bytes([kind, len(text)]) + text
        chunk += b"\0"
        chunk += bytes(-len(chunk) % 4)
        body += chunk
    return rtcp(202, len(chunks), body)


def bye(ssrcs, reason=None):
    body = b"".join(struct.pack("!I", s) for s in ssrcs)
    if reason is not None:
        body += bytes([len(reason)]) + reason
        body += bytes(-len(body) % 4)
    return rtcp(203, len(ssrcs), body)


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# 20 ms of a 1 kHz tone at 8 kHz, mu-law: a PCMU packet as a softphone sends it (172 bytes).
TONE = bytes(ulaw(int(8000 * math.sin(2 * math.pi * 1000 * i / 8000))) for i in range(160))
PCMU = rtp(0, 0x1234, 0x0001E240, 0x5EED1234, TONE, marker=True)
# Opus from a mixer: two contributing sources, RFC 8285 one-byte extension with an RFC 6464
# audio level (id 1, voice, -50 dBov) and a 3-byte element (id 3), then a padding byte.
EXT = bytes([0x10, 0x80 | 50, 0x32, 0x12, 0x34, 0x56, 0x00, 0x00])
OPUS = rtp(111, 65535, 0xFFFFFC40, 0xCAFEBABE, bytes(range(0x40, 0x40 + 40)),
           csrcs=(0x11111111, 0x22222222), ext=(0xBEDE, EXT))
# PCMU with 4 octets of padding (as SRTP-padded or TCP-framed senders do).
PADDED = rtp(0, 7, 1120, 0x5EED1234, TONE[:20], padding=4)

SR_SDES = sr(0x5EED1234, 0xE8F0A1B2C3D4E5F6, 0x0001E240, 1000, 160000,
             [block(0xCAFEBABE, 25, 12, 0x0001FFFF, 40, 0xA1B2C3D4, 0x00018000)]) + \
    sdes([(0x5EED1234, [(1, b"alice@203.0.113.5")])])
RR_BYE = rr(0xCAFEBABE, [block(0x5EED1234, 0, -3, 0x00010005, 7, 0, 0)]) + \
    bye([0xCAFEBABE], b"session ended")

write(HERE, "pcmu.rtp", PCMU)
write(HERE, "csrc_ext.rtp", OPUS)
write(HERE, "padding.rtp", PADDED)
write(HERE, "sr_sdes.rtcp", SR_SDES)
write(HERE, "rr_bye.rtcp", RR_BYE)

rtp_seeds = {
    "pcmu": PCMU,
    "csrc_ext": OPUS,
    "padding": PADDED,
    "dtmf": rtp(101, 500, 8000, 0x0DDBA11, bytes([5, 0x8A, 0x03, 0x20]), marker=True),
    "g722": rtp(9, 2, 320, 0x47220000, bytes(range(160))),
    "two_byte_ext": rtp(0, 3, 480, 1, TONE[:8], ext=(0x1000, bytes([1, 2, 0xAB, 0xCD, 7, 0, 0, 0]))),
    "csrc15": rtp(8, 9, 99, 2, b"\xd5" * 4, csrcs=tuple(range(1, 16))),
    "empty_payload": rtp(13, 10, 1600, 3, b""),
    "rtcp_looking": rtp(72, 1, 2, 3, b"\0\0\0\0"),
}
rtcp_seeds = {
    "sr_sdes": SR_SDES,
    "rr_bye": RR_BYE,
    "rr_empty": rr(0x1234) + sdes([(0x1234, [(1, b"x")])]),
    "sr_two_blocks": sr(1, 2, 3, 4, 5, [block(6, 7, 8, 9, 10, 11, 12),
                                        block(13, 255, -1, 14, 15, 16, 17)]),
    "sdes_items": sdes([(5, [(1, b"bob@example.com"), (2, b"Bob"), (6, b"sidebar 0.1"),
                             (8, b"\x03abcdef")]), (6, [])]),
    "app": rr(9) + rtcp(204, 3, struct.pack("!I", 9) + b"name" + b"datadata"),
    "pli": rr(9) + rtcp(206, 1, struct.pack("!II", 9, 10)),
    "nack": rtcp(205, 1, struct.pack("!IIHH", 9, 10, 100, 0x0005)),
    "xr": rr(9) + rtcp(207, 0, struct.pack("!IBBHQ", 9, 4, 0, 2, 0x0123456789ABCDEF)),
    "bye_plain": rr(4) + bye([4, 5]),
    "padded_last": rr(4) + rtcp(203, 1, struct.pack("!I", 4), padding=8),
}
for name, data in rtp_seeds.items():
    write(os.path.join(FUZZ, "fuzz_rtp"), name + ".bin", data)
for name, data in rtcp_seeds.items():
    write(os.path.join(FUZZ, "fuzz_rtcp"), name + ".bin", data)
