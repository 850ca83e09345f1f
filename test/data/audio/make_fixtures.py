#!/usr/bin/env python3
"""Writes the audio fixtures of test/common/audio: a few small good files and hand-made broken
ones (headers that lie or carry absurd values). Run once from this folder; the outputs are
committed, so the tests do not depend on Python."""
import math
import struct


def sine(rate, hz, seconds, dbfs):
    amp = 32768.0 * 10 ** (dbfs / 20.0)
    n = int(rate * seconds)
    return [max(-32768, min(32767, round(amp * math.sin(2 * math.pi * hz * i / rate)))) for i in range(n)]


def wav(fmt_tag, channels, rate, bits, data, data_size=None, riff_size=None):
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data
    return b"RIFF" + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


def pcm16(samples):
    return struct.pack("<%dh" % len(samples), *samples)


def ulaw(sample):
    # G.711 mu-law encoder (the classic Sun reference), enough for a fixture.
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), clip) + bias
    exponent = max(0, (magnitude >> 7).bit_length() - 1)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


def main():
    write("tone_1k_8k_mono.wav", wav(1, 1, 8000, 16, pcm16(sine(8000, 1000, 0.5, -10))))
    left = sine(48000, 440, 0.5, -6)
    right = sine(48000, 1130, 0.5, -6)
    stereo = [s for pair in zip(left, right) for s in pair]
    write("two_tones_48k_stereo.wav", wav(1, 2, 48000, 16, pcm16(stereo)))
    au = bytes(ulaw(s) for s in sine(8000, 1000, 0.5, -10))
    write("tone_1k_ulaw.au", struct.pack(">IIIIII", 0x2E736E64, 24, len(au), 1, 8000, 1) + au)
    floats = [s / 32768.0 for s in sine(16000, 1000, 0.25, -10)]
    floats[100:104] = [float("nan"), float("inf"), float("-inf"), 4.0]
    write("float_with_nan_16k.wav", wav(3, 1, 16000, 32, struct.pack("<%df" % len(floats), *floats)))
    good = wav(1, 1, 16000, 16, pcm16(sine(16000, 1000, 0.1, -10)))
    write("truncated_header.wav", good[:30])
    write("zero_channels.wav", wav(1, 0, 16000, 16, pcm16([0] * 100)))
    write("rate_1hz.wav", wav(1, 1, 1, 16, pcm16([0] * 100)))
    write("rate_huge.wav", wav(1, 1, 1_000_000_000, 16, pcm16([0] * 100)))
    write("channels_1000.wav", wav(1, 1000, 16000, 16, pcm16([0] * 1000)))
    write("lying_data_size.wav", wav(1, 1, 16000, 16, pcm16(sine(16000, 1000, 0.1, -10)),
                                     data_size=0x7FFFFFF0, riff_size=0x7FFFFFF8))
    write("no_samples.wav", wav(1, 1, 16000, 16, b""))
    write("not_audio.txt", b"This is a text file named as a prompt.\n" * 10)
    write("empty.wav", b"")


if __name__ == "__main__":
    main()
