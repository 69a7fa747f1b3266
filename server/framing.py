"""Cutting the client's byte stream into messages, and finding the next one after a broken frame.

A message is headers, a blank line and a body of `Content-Length` bytes. pygls reads a line at a
time: one header line longer than asyncio's line limit (64 KiB) ended the server, and one wrong
`Content-Length` (or a body cut short) left every later message misread, since a body ends with
no line break and the next header was then read as the tail of a junk line.

This decoder reads bytes, not lines, and resynchronises on the next `Content-Length` header:

- a header block without a `Content-Length` is dropped; one that grows past `MAX_HEADER_BYTES`
  without ending is dropped but for its tail (a header may be arriving across the cut);
- a body in which a header line appears (`Content-Length: N` and a line break) is a frame cut
  short: JSON cannot hold a raw line break inside a string, nor the bare word outside one, so
  the frame ends where that header starts and the next message is read from there, at once,
  without waiting for the bytes the wrong length promised.

It knows no I/O: `feed` bytes in, take `Frame`s and `BrokenFrame`s out (`server.stdio` drives it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import NamedTuple

HEADER_END = b"\r\n\r\n"
# `Content-Length` anywhere in a header block (junk left by a broken frame may precede it).
CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\d+)", re.IGNORECASE)
# A whole header line, which no JSON body can contain: the sign of a frame cut short.
HEADER_LINE = re.compile(rb"content-length[ \t]*:[ \t]*\d{1,20}\r\n", re.IGNORECASE)
# A header block that has not ended after this many bytes is junk (a real one is ~60 bytes).
MAX_HEADER_BYTES = 64 * 1024
# What is kept of dropped junk: enough for a header line that is only half arrived.
JUNK_TAIL_BYTES = 64
# Bytes searched again when more arrive: a header line may straddle two reads.
RESCAN_OVERLAP = 64


class Frame(NamedTuple):
    """A complete message body."""

    body: bytes


class BrokenFrame(NamedTuple):
    """Bytes that were no message (logged; a request whose id can be read is answered)."""

    reason: str
    data: bytes


type Event = Frame | BrokenFrame


class FrameDecoder:
    """Turns bytes as they arrive into frames, resynchronising after broken ones."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._length: int | None = None  # of the body being read; None while in headers
        self._scanned = 0  # how much of the body being read was searched for a header line

    def feed(self, data: bytes) -> None:
        """Bytes read from the client."""
        self._buffer += data

    def events(self) -> Iterator[Event]:
        """Every frame (or broken frame) the bytes fed so far complete."""
        while True:
            event = self._headers() if self._length is None else self._body(self._length)
            if event is None:
                return
            if isinstance(event, Frame | BrokenFrame):
                yield event

    def finish(self) -> BrokenFrame | None:
        """The input ended: what was left of an unfinished message, if anything."""
        left = bytes(self._buffer)
        self._buffer.clear()
        if self._length is not None:
            self._length = None
            return BrokenFrame("the input ended inside a message body", left)
        if left.strip():
            return BrokenFrame("the input ended inside a header block", left)
        return None

    def _headers(self) -> Event | bool | None:
        """Read one header block: True when one was consumed, None when more bytes are needed."""
        buffer = self._buffer
        end = buffer.find(HEADER_END)
        if end < 0:
            if len(buffer) <= MAX_HEADER_BYTES:
                return None
            junk = bytes(buffer[:-JUNK_TAIL_BYTES])
            del buffer[:-JUNK_TAIL_BYTES]
            return BrokenFrame("a header block too long to be one", junk)
        block = bytes(buffer[:end])
        del buffer[: end + len(HEADER_END)]
        lengths = CONTENT_LENGTH.findall(block)
        if not lengths:
            return BrokenFrame("a header block without Content-Length", block)
        self._length = int(lengths[-1])
        self._scanned = 0
        return True

    def _body(self, length: int) -> Event | None:
        """Read the body of `length` bytes, or find that it was cut short by the next header."""
        buffer = self._buffer
        cut = HEADER_LINE.search(buffer, max(0, self._scanned - RESCAN_OVERLAP))
        if cut is not None and cut.start() < length:
            self._length = None
            data = bytes(buffer[: cut.start()])
            del buffer[: cut.start()]
            return BrokenFrame("a message shorter than its Content-Length", data)
        if len(buffer) < length:
            self._scanned = len(buffer)
            return None
        self._length = None
        body = bytes(buffer[:length])
        del buffer[:length]
        return Frame(body)


# A request's id near the start of a broken body, before any nested object opens (so it is the
# message's own id, not one inside its params).
LEADING_ID = re.compile(rb'^\s*\{[^{]*?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')


def recover_id(data: bytes) -> int | str | None:
    """The id of the request a broken body began, when it can be read (else None: the error
    is then sent with a null id, as JSON-RPC says)."""
    match = LEADING_ID.match(data)
    if match is None:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:  # undecodable bytes inside the string
        return None
    return value if isinstance(value, int | str) else None
