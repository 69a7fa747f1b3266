"""Open documents: their text as lines, incremental edits, and position encodings.

The server keeps its own document store instead of pygls' workspace documents: pygls re-splits
the whole text on every access of `lines`, which costs a 20,000-line file milliseconds per
keystroke; here an edit splices only the lines it touches.

Positions inside the server are the engine's: 0-based line, 0-based code-point column. The client
speaks UTF-16 (the default), UTF-8 or UTF-32 code units; `PositionCodec` converts both ways on
one line at a time. Edits that point past a line or past the document are clamped, never raised.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote, urlparse

from rules.models import Position, Range
from rules.source import split_lines, strip_line_break

FILE_SCHEME = "file"
UTF16_UNIT_BYTES = 2
BMP_LIMIT = 0xFFFF
CARRIAGE_RETURN = "\r"
WINDOWS_DRIVE = re.compile(r"^/[A-Za-z]:")


class Encoding(StrEnum):
    """The position encodings of LSP 3.17."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"


def _utf16_length(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // UTF16_UNIT_BYTES


class PositionCodec:
    """Converts columns between code points and the client's code units, one line at a time."""

    def __init__(self, encoding: Encoding = Encoding.UTF16) -> None:
        self.encoding = encoding

    def to_client_column(self, line: str, column: int) -> int:
        """The client column of code-point `column` of `line` (a line without its break)."""
        if self.encoding is Encoding.UTF32 or line.isascii():
            return column
        prefix = line[:column]
        if self.encoding is Encoding.UTF8:
            return len(prefix.encode("utf-8"))
        return _utf16_length(prefix)

    def from_client_column(self, line: str, column: int) -> int:
        """The code-point column of client `column` on `line`, clamped to the line's end."""
        if self.encoding is Encoding.UTF32 or line.isascii():
            return max(0, min(column, len(line)))
        if self.encoding is Encoding.UTF8:
            encoded = line.encode("utf-8")[: max(column, 0)]
            return len(encoded.decode("utf-8", errors="ignore"))
        units = 0
        for index, char in enumerate(line):
            if units >= column:
                return index
            units += 1 if ord(char) <= BMP_LIMIT else UTF16_UNIT_BYTES
        return len(line)


def uri_to_path(uri: str) -> str | None:
    """The file-system path of a `file:` URI (None for `untitled:` and other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme != FILE_SCHEME:
        return None
    path = unquote(parsed.path)
    if WINDOWS_DRIVE.match(path):  # "/C:/..." on Windows
        path = path[1:]
    return str(Path(path))


def lsp_lines(text: str) -> list[str]:
    """The lines of `text` as LSP counts them: a text ending in a line break has an empty last
    line (the engine's `split_lines` does not list it; positions on real lines agree)."""
    lines = split_lines(text)
    if lines[-1].endswith(("\n", CARRIAGE_RETURN)):
        lines.append("")
    return lines


def engine_lines(lines: list[str]) -> list[str]:
    """LSP lines as the engine splits the same text (`rules.source.split_lines`): without the
    empty line LSP counts after a final line break."""
    if len(lines) > 1 and lines[-1] == "":
        return lines[:-1]
    return lines


class Document:
    """One open document: URI, version, language and text (kept as lines)."""

    def __init__(self, uri: str, text: str, version: int, language_id: str = "") -> None:
        self.uri = uri
        self.path = uri_to_path(uri)
        self.version = version
        self.language_id = language_id
        self.lines = lsp_lines(text)
        self._text: str | None = text

    @property
    def text(self) -> str:
        """The whole text (joined once per version)."""
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    def line_text(self, line: int) -> str:
        """Line `line` without its break ('' past the end)."""
        if 0 <= line < len(self.lines):
            return strip_line_break(self.lines[line])
        return ""

    def replace_all(self, text: str, version: int) -> None:
        """A full-text change."""
        self.lines = lsp_lines(text)
        self._text = text
        self.version = version

    def apply_edit(self, edit_range: Range, new_text: str) -> None:
        """Replace `edit_range` (code points, clamped to the document) by `new_text`."""
        start_line, start_column = self._clamped(edit_range.start)
        end_line, end_column = self._clamped(edit_range.end)
        end_line, end_column = max((end_line, end_column), (start_line, start_column))
        first = start_line
        before = self.lines[start_line][:start_column]
        if first > 0 and self.lines[first - 1].endswith(CARRIAGE_RETURN):
            # a lone CR before an inserted LF would become one CRLF break: re-split both lines
            first -= 1
            before = self.lines[first] + before
        piece = before + new_text + self.lines[end_line][end_column:]
        at_end = end_line == len(self.lines) - 1
        self.lines[first : end_line + 1] = lsp_lines(piece) if at_end else split_lines(piece)
        self._text = None

    def _clamped(self, position: Position) -> tuple[int, int]:
        last = len(self.lines) - 1
        if position.line > last:
            return last, len(self.lines[last])
        line = max(position.line, 0)
        return line, max(0, min(position.character, len(strip_line_break(self.lines[line]))))


class DocumentStore:
    """The open documents by URI."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}

    def open(self, document: Document) -> None:
        """Start tracking a document (a reopen replaces it)."""
        self._documents[document.uri] = document

    def close(self, uri: str) -> Document | None:
        """Stop tracking a document."""
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        """The open document at `uri`, if any."""
        return self._documents.get(uri)

    def all(self) -> list[Document]:
        """Every open document."""
        return list(self._documents.values())
