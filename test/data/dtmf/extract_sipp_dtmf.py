#!/usr/bin/env python3
"""Extracts the RTP telephone-event packets of sipp's dtmf_2833_*.pcap captures into
sipp_dtmf_2833.txt, the fixture test/common/dtmf/rfc4733_receiver_test.cpp reads.

Run once: python3 extract_sipp_dtmf.py [/usr/share/sip-tester]. Each output line is
  <capture> <arrival_us> <seq> <timestamp> <marker> <payload hex>
where <capture> is the file's digit name (0-9, star, pound) and arrival_us is relative to the
capture's first packet."""
import struct
import sys
from pathlib import Path

NAMES = [str(d) for d in range(10)] + ["star", "pound"]


def packets(path):
    data = path.read_bytes()
    if len(data) < 24:
        raise ValueError(f"{path}: shorter than a pcap global header")
    magic = struct.unpack_from("<I", data)[0]
    endian = "<" if magic == 0xA1B2C3D4 else ">"
    if struct.unpack_from(endian + "I", data)[0] != 0xA1B2C3D4:
        raise ValueError(f"{path}: not a microsecond pcap")
    if struct.unpack_from(endian + "I", data, 20)[0] != 1:
        raise ValueError(f"{path}: link type is not Ethernet")
    off, first = 24, None
    while off + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack_from(endian + "IIII", data, off)
        off += 16
        frame = data[off:off + incl]
        off += incl
        if len(frame) < incl or len(frame) < 14 + 20:
            raise ValueError(f"{path}: truncated record")
        if struct.unpack_from(">H", frame, 12)[0] != 0x0800:
            continue
        ihl = (frame[14] & 0x0F) * 4
        if frame[14 + 9] != 17:
            continue
        udp = 14 + ihl
        rtp = frame[udp + 8:]
        if len(rtp) < 12 or rtp[0] >> 6 != 2:
            raise ValueError(f"{path}: not RTP")
        cc = rtp[0] & 0x0F
        marker = rtp[1] >> 7
        seq, ts = struct.unpack_from(">HI", rtp, 2)
        payload = rtp[12 + 4 * cc:]
        t = sec * 1_000_000 + usec
        first = t if first is None else first
        yield t - first, seq, ts, marker, payload


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/sip-tester")
    out = [
        "# RTP telephone-event packets from sipp's dtmf_2833_<digit>.pcap (extract_sipp_dtmf.py)",
        "# capture arrival_us seq timestamp marker payload_hex",
    ]
    for name in NAMES:
        for t, seq, ts, marker, payload in packets(src / f"dtmf_2833_{name}.pcap"):
            out.append(f"{name} {t} {seq} {ts} {marker} {payload.hex()}")
    Path(__file__).with_name("sipp_dtmf_2833.txt").write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
