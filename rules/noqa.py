"""Line suppressions: `# noqa: STD201, STD203` silences those codes on that line.

A bare `# noqa` (or one listing only other tools' codes) does not silence standards rules: the
codes must be named, as the design map asks.
"""

from __future__ import annotations

import re

from rules.models import Position, Range, TextEdit
from rules.source import strip_line_break

NOQA_COMMENT = re.compile(
    r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE
)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
CODES = "codes"


def suppressed_codes(line: str) -> frozenset[str]:
    """The codes a line's `# noqa:` comment names, upper-cased (empty when there is none)."""
    if "noqa" not in line and "NOQA" not in line:
        return frozenset()
    match = NOQA_COMMENT.search(line)
    if match is None:
        return frozenset()
    return frozenset(code.upper() for code in _CODE.findall(match.group(CODES)))


def is_suppressed(code: str, line: str) -> bool:
    """Whether `line` carries a `# noqa:` naming `code`."""
    return code in suppressed_codes(line)


def noqa_edit(line_text: str, line: int, code: str) -> TextEdit:
    """The edit that adds `code` to the line's `# noqa:` comment, creating it if needed."""
    text = strip_line_break(line_text)
    match = NOQA_COMMENT.search(text)
    if match is not None:
        existing = _CODE.findall(match.group(CODES))
        codes = ", ".join([*existing, code])
        start, end = match.span(CODES)
        return TextEdit(
            range=Range(
                start=Position(line=line, character=start), end=Position(line=line, character=end)
            ),
            new_text=codes,
        )
    body = text.rstrip()
    separator = "  " if body else ""
    end = Position(line=line, character=len(text))
    return TextEdit(
        range=Range(start=Position(line=line, character=len(body)), end=end),
        new_text=f"{separator}# noqa: {code}",
    )
