"""Text geometry: lines, and the conversion of CPython's UTF-8 byte columns to code points."""

from __future__ import annotations

import re

# The line terminators of both LSP and CPython's tokenizer; str.splitlines knows more (form
# feed, U+2028, ...) that neither of them treats as a line break.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its terminator; the last one may have none.

    An empty text has one empty line, so every text has a line 0 to point at.
    """
    lines = text.splitlines(keepends=True) or [""]
    if len(lines) == line_count(text):
        return lines  # no exotic breaks: str.splitlines (fast, in C) cut where LSP does
    lines = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text) or not lines:
        lines.append(text[start:])
    return lines


def line_count(text: str) -> int:
    """How many lines LSP sees in `text` (counting in C beats a regex search of the text)."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if text.endswith(("\n", "\r")) else 1)


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


# A literal on one line: a one-line string (with any prefix) or a number.
_LITERAL_TOKEN = re.compile(
    r"""[rRbBuUfF]{0,2}(?:"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(?<![\w.])\.?\d[\w.]*"""
)


def lines_between(text: str, first: int, last: int) -> str:
    """The text of lines `first` to `last` (inclusive, clamped), without splitting the rest."""
    lines = split_lines(text)
    return "".join(lines[max(first, 0) : max(last + 1, 0)])


def literal_near(line_text: str, start: int, end: int) -> bool:
    """Whether a literal token on `line_text` overlaps or touches columns `start`..`end`.

    A cheap test that lets a refactoring offer skip parsing the module when the cursor is
    nowhere near a literal (editors ask for code actions at every cursor move)."""
    return any(
        match.start() <= end and match.end() >= start
        for match in _LITERAL_TOKEN.finditer(line_text)
    )
