"""Archives that unpack to far more than they weigh, built in memory for the upload tests."""

import io
import struct
import zipfile
import zlib

import pytest


def archive(parts: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    buffer.seek(0)
    return buffer


def overlapping(names: int, stream: bytes) -> io.BytesIO:
    """`names` directory entries that all point at the one stored stream at offset 0 — the
    shape of a bomb that multiplies one large stream without repeating it."""
    first = b"[Content_Types].xml"
    crc = zlib.crc32(stream)
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(stream), len(stream), len(first), 0
    )
    body = local + first + stream
    directory = b""
    for number in range(names):
        name = first if number == 0 else f"xl/part{number}.xml".encode()
        directory += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                0,
                0,
                0,
                crc,
                len(stream),
                len(stream),
                len(name),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + name
        )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, names, names, len(directory), len(body), 0)
    return io.BytesIO(body + directory + end)


def forbid_unpacking(monkeypatch):
    """From now on, opening any part of an archive fails the test: the judgement is the
    directory's."""
    monkeypatch.setattr(
        zipfile.ZipExtFile, "__init__", lambda *a, **k: pytest.fail("a part was decompressed")
    )
