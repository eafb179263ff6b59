#!/usr/bin/env python3
"""Writes sample-data/photo-before.png: a small drawn "photo" of a pocket garden site before
the works (sky, a blank wall, bare ground, two trees), deterministic, standard library only.
Run from the repository: python3 sample-data/make_photo.py"""
import struct
import zlib

W, H = 120, 80


def pixel(x, y):
    # Two trees: round crowns on trunks.
    for cx, cy, r in ((28, 34, 13), (92, 30, 15)):
        if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
            shade = 20 if (x + y) % 7 == 0 else 0
            return (46 + shade, 125 + shade, 50)
        if abs(x - cx) <= 2 and cy + r <= y <= 62:
            return (110, 78, 48)
    if y < 40:
        return (150 + y, 195 + y // 2, 235)  # sky
    if y < 56:
        return (196, 188, 176) if (x // 12 + y // 6) % 2 else (186, 178, 166)  # wall
    return (150 + (x * 7 + y * 3) % 20, 128, 92)  # bare ground


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


rows = b"".join(b"\0" + bytes(c for x in range(W) for c in pixel(x, y)) for y in range(H))
png = (
    b"\x89PNG\r\n\x1a\n"
    + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows, 9))
    + chunk(b"IEND", b"")
)
with open("sample-data/photo-before.png", "wb") as f:
    f.write(png)
print(f"sample-data/photo-before.png: {len(png)} bytes")
