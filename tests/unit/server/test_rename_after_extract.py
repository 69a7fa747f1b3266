"""Where an extraction's new constant lands once its edits are applied (`defined_name_position`)."""

from __future__ import annotations

from rules.models import Position, Range, TextEdit
from server.code_actions import defined_name_position


def _edit(line: int, character: int, end_line: int, end_character: int, text: str) -> TextEdit:
    return TextEdit(
        range=Range(
            start=Position(line=line, character=character),
            end=Position(line=end_line, character=end_character),
        ),
        new_text=text,
    )


def test_an_insertion_above_the_use() -> None:
    text = "import os\n\n\ndef f(x):\n    return x * 0.5\n"
    edits = [_edit(1, 0, 1, 0, "\nHALF = 0.5\n"), _edit(4, 15, 4, 18, "HALF")]
    assert defined_name_position(text, edits) == Position(line=2, character=0)


def test_earlier_edits_shift_the_name() -> None:
    text = "a = 1\nb = 2\n"
    edits = [_edit(0, 0, 0, 0, "# one\n# two\n"), _edit(1, 0, 1, 0, "C: int = 3\n")]
    assert defined_name_position(text, edits) == Position(line=3, character=0)


def test_an_insertion_after_a_line_end() -> None:
    text = "import os\ndef f():\n    return 2\n"
    edits = [_edit(0, 9, 0, 9, "\n\nTWO = 2")]
    assert defined_name_position(text, edits) == Position(line=2, character=0)


def test_no_definition_when_a_constant_is_reused() -> None:
    text = "TWO = 2\n\n\ndef f():\n    return 2\n"
    edits = [_edit(4, 11, 4, 12, "TWO")]
    assert defined_name_position(text, edits) is None


def test_a_comparison_is_no_definition() -> None:
    text = "x = 1\n"
    assert defined_name_position(text, [_edit(0, 5, 0, 5, "\nx == 2")]) is None
