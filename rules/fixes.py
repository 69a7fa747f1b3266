"""Applying fixes: text edits onto text, and whole-file rewrites turned into minimal edits."""

from __future__ import annotations

import difflib

from rules.models import Position, Range, TextEdit
from rules.source import offset_of, split_lines


class OverlappingEditsError(ValueError):
    """Two edits of one fix touch the same text; applying both has no single meaning."""


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """`text` with `edits` applied (positions refer to the original text)."""
    lines = split_lines(text)
    spans = sorted(
        (
            offset_of(lines, edit.range.start.line, edit.range.start.character),
            offset_of(lines, edit.range.end.line, edit.range.end.character),
            edit.new_text,
        )
        for edit in edits
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, new_text in spans:
        if start < cursor:
            raise OverlappingEditsError(f"edits overlap at offset {start}")
        pieces.append(text[cursor:start])
        pieces.append(new_text)
        cursor = max(end, start)
    pieces.append(text[cursor:])
    return "".join(pieces)


def edits_between(before: str, after: str) -> list[TextEdit]:
    """The line-level edits that turn `before` into `after` (for rewrites done on a whole file).

    Small edits keep the editor's cursor, folds and undo history where the text did not change.
    """
    old_lines = split_lines(before)
    new_lines = split_lines(after)
    if old_lines and not old_lines[-1]:
        old_lines.pop()
    if new_lines and not new_lines[-1]:
        new_lines.pop()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    edits: list[TextEdit] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            TextEdit(
                range=Range(
                    start=Position(line=old_start, character=0),
                    end=Position(line=old_end, character=0),
                ),
                new_text="".join(new_lines[new_start:new_end]),
            )
        )
    return _anchor_past_end(edits, old_lines)


def _anchor_past_end(edits: list[TextEdit], old_lines: list[str]) -> list[TextEdit]:
    """An edit that starts past the last line when the text has no final newline is moved onto
    the end of that last line, so that every position stays inside the document."""
    if not old_lines or old_lines[-1].endswith(("\n", "\r")):
        return edits
    last = len(old_lines) - 1
    end_of_last = Position(line=last, character=len(old_lines[last]))
    anchored: list[TextEdit] = []
    for edit in edits:
        if edit.range.end.line > last:
            start = edit.range.start
            if start.line > last:
                start = end_of_last
            anchored.append(
                TextEdit(range=Range(start=start, end=end_of_last), new_text=edit.new_text)
            )
        else:
            anchored.append(edit)
    return anchored
