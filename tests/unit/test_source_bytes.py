"""A Python file's bytes decode as the interpreter decodes them: the quick UTF-8 path gives what
`tokenize.detect_encoding` would, text, codec and error alike."""

from __future__ import annotations

import io
import tokenize

import pytest

from rules.source_bytes import decode_python

SAMPLES = [
    b"",
    b"x = 1\n",
    b"\xef\xbb\xbfx = 1\n",
    b"# -*- coding: latin-1 -*-\nname = '\xe9'\n",
    b"#!/usr/bin/env python\n# coding: latin-1\nname = '\xe9'\n",
    b"x = 1\n# coding: latin-1\nname = '\xe9'\n",  # a cookie on line 2 after code: ignored
    b"x = 1\ny = 2\n# coding: latin-1\n",  # on line 3: ignored
    b"# coding: utf-8\r\nx = '\xc3\xa9'\r\n",
    b"x = 1\ry = '\xc3\xa9'\r# coding: latin-1\r",  # `\r` endings: one line to readline
    b"name = '\xe9'\n",  # not UTF-8, no cookie
    b"# coding: klingon\nx = 1\n",  # an unknown codec
    b"text = 'coding is fun'\n",  # the word, no cookie
    b"x = '\xc3\xa9' * 3\n" * 100,
]


def _expected(data: bytes) -> tuple[str, str] | type[Exception]:
    try:
        codec, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(codec), codec
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        return type(error)


@pytest.mark.parametrize("data", SAMPLES)
def test_decoding_agrees_with_the_interpreter(data: bytes) -> None:
    expected = _expected(data)
    if isinstance(expected, type):
        with pytest.raises(expected):
            decode_python(data)
        return
    text, encoding = decode_python(data)
    assert (text, encoding.codec) == expected
