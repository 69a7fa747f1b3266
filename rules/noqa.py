"""Line suppressions: `# noqa: STD201, STD203` silences those codes on that line.

A bare `# noqa` (or one listing only other tools' codes) does not silence standards rules: the
codes must be named, as the design map asks. A reason may follow the codes after `--`
(`# noqa: STD201 -- the vendor's page size`); STD902 asks for one where the tier wants it, and
STD901 reports a code that silences nothing (`rules.checks.suppressions`).
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import NamedTuple

from rules.models import Position, Range, TextEdit
from rules.source import strip_line_break

NOQA_COMMENT = re.compile(
    r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.IGNORECASE
)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")
CODES = "codes"
REASON = "reason"


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


# A reason follows the codes after `--` (or an en or em dash): `
_REASON = re.compile(r"^\s*(?:--|\N{EN DASH}|\N{EM DASH})\s*(?P<reason>.*?)\s*$")
STANDARDS_CODE = re.compile(r"STD\d{3}")


class NoqaCode(NamedTuple):
    """One code of a `# noqa:` comment and its columns on the line."""

    code: str
    start: int
    end: int


class NoqaComment(NamedTuple):
    """A `# noqa:` comment on one line: where it starts and ends, its codes, its reason."""

    line: int
    start: int
    end: int
    codes: list[NoqaCode]
    reason: str


def noqa_reason(line: str) -> str:
    """The reason a line's `# noqa:` comment gives after `--` (empty when it gives none)."""
    match = NOQA_COMMENT.search(line)
    if match is None:
        return ""
    reason = _REASON.match(strip_line_break(line)[match.end(CODES) :])
    return reason.group(REASON) if reason else ""


def noqa_candidates(lines: list[str]) -> set[int]:
    """The lines that mention `noqa` in any case (only these can hold a `# noqa:` comment)."""
    return {index for index, line in enumerate(lines) if "noqa" in line.lower()}


def comment_columns(text: str, candidates: set[int]) -> dict[int, int] | None:
    """Where each candidate line's real comment starts (None when the text does not tokenize)."""
    columns: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] - 1 in candidates:
                columns[token.start[0] - 1] = token.start[1]
    except (tokenize.TokenError, SyntaxError):
        return None
    return columns


def noqa_comments(text: str, lines: list[str]) -> list[NoqaComment]:
    """The `# noqa:` comments of a Python text that are comments (not text in a string).

    A text that does not tokenize (being typed) keeps only the lines with no quote before
    their `#`, where a `#` cannot be inside a string."""
    candidates = noqa_candidates(lines)
    if not candidates:
        return []
    return comments_at(lines, candidates, comment_columns(text, candidates))


def comments_at(
    lines: list[str], candidates: set[int], columns: dict[int, int] | None
) -> list[NoqaComment]:
    """The `# noqa:` comments of the candidate lines, given where each line's real comment
    starts (`comment_columns` of the whole text; None: it does not tokenize)."""
    comments = []
    for index in sorted(candidates):
        line = strip_line_break(lines[index])
        if columns is not None:
            if index not in columns:
                continue
            match = NOQA_COMMENT.search(line, columns[index])
        else:
            match = NOQA_COMMENT.search(line)
            if match is not None and any(quote in line[: match.start()] for quote in "'\""):
                continue
        if match is None:
            continue
        offset = match.start(CODES)
        codes = [
            NoqaCode(found.group().upper(), offset + found.start(), offset + found.end())
            for found in _CODE.finditer(match.group(CODES))
        ]
        reason = _REASON.match(line[match.end(CODES) :])
        comments.append(
            NoqaComment(
                line=index,
                start=match.start(),
                end=len(line.rstrip()),
                codes=codes,
                reason=reason.group(REASON) if reason else "",
            )
        )
    return comments


def removal_edit(comment: NoqaComment, lines: list[str], code: NoqaCode) -> TextEdit:
    """The edit that takes `code` out of its comment (the whole comment when it is the only one)."""
    line = strip_line_break(lines[comment.line])
    if len(comment.codes) == 1:
        start, end = len(line[: comment.start].rstrip()), comment.end
    else:
        index = comment.codes.index(code)
        if index > 0:
            start, end = comment.codes[index - 1].end, code.end
        else:
            start, end = code.start, comment.codes[1].start
    return TextEdit(
        range=Range(
            start=Position(line=comment.line, character=start),
            end=Position(line=comment.line, character=end),
        ),
        new_text="",
    )
