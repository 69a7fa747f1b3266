"""`# noqa:` parsing and editing; applying edits and diffing texts into edits."""

from __future__ import annotations

import pytest

from rules.fixes import OverlappingEditsError, apply_edits, edits_between
from rules.models import Position, Range, TextEdit
from rules.noqa import noqa_edit, suppressed_codes


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("x = 1  # noqa: STD201", {"STD201"}),
        ("x = 1  # noqa:STD201,STD203", {"STD201", "STD203"}),
        ("x = 1  # NOQA: std201 std202", {"STD201", "STD202"}),
        ("x = 1  # noqa", set()),
        ("x = 1", set()),
    ],
)
def test_suppressed_codes(line: str, codes: set[str]) -> None:
    assert suppressed_codes(line) == codes


def test_noqa_edit_adds_a_comment() -> None:
    edit = noqa_edit("x = 42\n", 3, "STD201")
    assert apply_edits("a\nb\nc\nx = 42\n", [edit]) == "a\nb\nc\nx = 42  # noqa: STD201\n"


def test_noqa_edit_extends_an_existing_comment() -> None:
    text = "x = 42  # noqa: E501  # why\n"
    edit = noqa_edit(text, 0, "STD201")
    assert apply_edits(text, [edit]) == "x = 42  # noqa: E501, STD201  # why\n"


def _edit(start: tuple[int, int], end: tuple[int, int], new_text: str) -> TextEdit:
    return TextEdit(
        range=Range(
            start=Position(line=start[0], character=start[1]),
            end=Position(line=end[0], character=end[1]),
        ),
        new_text=new_text,
    )


def test_apply_edits_in_any_order_and_with_unicode() -> None:
    text = "héllo 🎉 world\nsecond\n"
    edits = [_edit((1, 0), (1, 6), "2nd"), _edit((0, 8), (0, 13), "earth")]
    assert apply_edits(text, edits) == "héllo 🎉 earth\n2nd\n"


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(OverlappingEditsError):
        apply_edits("abcdef", [_edit((0, 0), (0, 3), "x"), _edit((0, 2), (0, 4), "y")])


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\nc\n", "X = 1\na\nb\nc\n"),
        ("a\nb", "a\nb\nc\n"),
        ("a\nb\nc", "a\nc"),
        ("", "new\n"),
    ],
)
def test_edits_between_reproduce_the_rewrite(before: str, after: str) -> None:
    assert apply_edits(before, edits_between(before, after)) == after
