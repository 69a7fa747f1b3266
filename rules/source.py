"""Text geometry: lines, and the conversion of CPython's UTF-8 byte columns to code points."""

from __future__ import annotations

import re

# The line terminators of both LSP and CPython's tokenizer; str.splitlines knows more (form
# feed, U+2028, ...) that neither of them treats as a line break.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What str.splitlines breaks on besides those three; absent (the usual case), it is exact and fast.
EXOTIC_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its terminator; the last one may have none.

    An empty text has one empty line, so every text has a line 0 to point at.
    """
    if EXOTIC_LINE_BREAKS.search(text) is None:
        return text.splitlines(keepends=True) or [""]
    lines: list[str] = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def strip_line_break(line: str) -> str:
    """A line without its terminator."""
    return line.rstrip("\r\n")


def byte_to_char_column(line: str, byte_column: int) -> int:
    """The code-point column of a UTF-8 byte offset into `line` (what `ast` reports)."""
    if line.isascii():
        return byte_column
    return len(line.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))


def char_to_byte_column(line: str, char_column: int) -> int:
    """The UTF-8 byte offset of a code-point column of `line`."""
    if line.isascii():
        return char_column
    return len(line[:char_column].encode("utf-8"))


def offset_of(lines: list[str], line: int, character: int) -> int:
    """The index into the joined text of a (line, code-point column) position, clamped."""
    if line >= len(lines):
        return sum(len(text) for text in lines)
    before = sum(len(text) for text in lines[:line])
    return before + min(character, len(strip_line_break(lines[line])))
