"""A file's bytes as text and back, so that a fix changes only the bytes of its edits.

A Python file is decoded as the interpreter decodes it (PEP 263: a `coding` cookie, a UTF-8
byte order mark, else UTF-8) and encoded back the same way, the mark included; line endings
are never translated (the text keeps `\\r\\n` and `\\r`, and fixes write the file's own ending).
`fix` used to write UTF-8 under a `latin-1` cookie and drop the mark.
"""

from __future__ import annotations

import io
import tokenize

from pydantic import BaseModel, ConfigDict

UTF8 = "utf-8"
# What `tokenize.detect_encoding` names a UTF-8 file that starts with a byte order mark.
UTF8_WITH_MARK = "utf-8-sig"


class SourceEncoding(BaseModel):
    """How a file's text is stored: the codec, which for `utf-8-sig` includes the mark."""

    model_config = ConfigDict(frozen=True)

    codec: str = UTF8


_UTF8_ENCODING = SourceEncoding()


class UnencodableTextError(ValueError):
    """The text holds characters the file's encoding cannot store."""


# Where PEP 263 looks for a `coding` cookie: the first two lines.
COOKIE_LINES = 2
COOKIE_WORD = b"coding"
UTF8_MARK = b"\xef\xbb\xbf"


def decode_python(data: bytes) -> tuple[str, SourceEncoding]:
    """A Python file's text and encoding; raises SyntaxError (a bad cookie), LookupError (an
    unknown codec) or UnicodeDecodeError (bytes that are not in the codec)."""
    if not data.startswith(UTF8_MARK) and COOKIE_WORD not in _first_lines(data):
        # no mark, no cookie: UTF-8, as `tokenize.detect_encoding` would say, without its
        # Python-level reading of the first lines (a batch run decodes every file); bytes that
        # are not UTF-8 go the long way, for its error
        try:
            return data.decode(UTF8), _UTF8_ENCODING
        except UnicodeDecodeError:
            pass
    codec, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(codec), SourceEncoding(codec=codec)


def _first_lines(data: bytes) -> bytes:
    """The bytes `tokenize.detect_encoding` reads a cookie from: up to the end of the second
    line as `readline` splits them (at `\n` only: a file ending its lines in `\r` alone is one
    line)."""
    end = 0
    for _ in range(COOKIE_LINES):
        found = data.find(b"\n", end)
        if found < 0:
            return data
        end = found + 1
    return data[:end]


def decode_utf8(data: bytes) -> tuple[str, SourceEncoding]:
    """Another text file's text (kept with its mark, if any: written back as it was)."""
    return data.decode(UTF8), SourceEncoding(codec=UTF8)


def encode(text: str, encoding: SourceEncoding) -> bytes:
    """`text` in `encoding`; raises `UnencodableTextError` saying which character does not fit."""
    try:
        return text.encode(encoding.codec)
    except UnicodeEncodeError as error:
        character = error.object[error.start : error.end]
        line = error.object.count("\n", 0, error.start) + 1
        raise UnencodableTextError(
            f"the fixed text holds {character!r} (line {line}), which {encoding.codec} cannot store"
        ) from error
