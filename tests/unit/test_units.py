"""Cutting modules into units, and recovering from syntax errors."""

from __future__ import annotations

import ast

import pytest

from rules.parsing import UnitKind
from rules.splitter import split_module
from tests.conftest import stdlib_sample

CLASS_SOURCE = '''"""Module docstring
with a line at column 0
"""
import os

@decorator
class Shape(Base):
    """Docstring."""

    SIDES = 4

    def area(self):
        return 1

    @property
    def name(self):
        text = """
not a member
"""
        return text

x = [
1,
2,
]
'''


def test_units_cover_the_text_in_order() -> None:
    units = split_module(CLASS_SOURCE)
    assert "".join(unit.text for unit in units) == CLASS_SOURCE
    assert all(unit.outcome.clean for unit in units)


def test_top_level_class_is_split_into_header_and_members() -> None:
    units = split_module(CLASS_SOURCE)
    kinds = [unit.kind for unit in units]
    assert kinds == [
        UnitKind.STATEMENT,  # docstring, spanning a column-0 line
        UnitKind.STATEMENT,  # import
        UnitKind.CLASS_HEADER,  # decorator + class line
        UnitKind.MEMBER,  # docstring
        UnitKind.MEMBER,  # SIDES
        UnitKind.MEMBER,  # area
        UnitKind.MEMBER,  # name, string with a column-0 line
        UnitKind.STATEMENT,  # the list with column-0 items
    ]
    header = units[2]
    assert header.text.startswith("@decorator\nclass Shape(Base):")
    assert all(unit.class_header == header.text for unit in units[3:7])


def test_else_and_decorators_stay_with_their_statement() -> None:
    source = "if a:\n    pass\nelse:\n    pass\n@dec\ndef f():\n    pass\n"
    units = split_module(source)
    assert [unit.start_line for unit in units] == [0, 4]


def test_broken_method_sets_aside_only_its_lines() -> None:
    source = (
        "class Big:\n"
        "    def good(self):\n"
        "        return 1\n"
        "    def broken(self:\n"
        "        return 2\n"
        "    def other(self):\n"
        "        return 3\n"
    )
    units = split_module(source)
    members = [unit for unit in units if unit.kind is UnitKind.MEMBER]
    assert [unit.outcome.clean for unit in members] == [True, False, True]
    broken = members[1]
    assert broken.outcome.error is not None
    assert broken.outcome.error.line == 0
    assert broken.outcome.tree is not None


def test_unclosed_bracket_keeps_the_rest_of_the_module() -> None:
    source = "import os\nvalue = call(\n\ndef after():\n    return 2\n"
    units = split_module(source)
    assert [unit.outcome.clean for unit in units] == [True, False, True]
    assert units[2].text.startswith("def after")


def test_empty_and_whitespace_texts() -> None:
    assert len(split_module("")) == 1
    assert split_module("\n\n# comment\n")[0].outcome.clean


def test_indented_first_line_is_an_error_not_a_crash() -> None:
    units = split_module("    x = 1\ny = 2\n")
    assert not units[0].outcome.clean


@pytest.mark.corpus
@pytest.mark.parametrize("path", stdlib_sample(), ids=lambda path: path.name)
def test_stdlib_files_split_into_clean_units(path) -> None:
    try:
        source = path.read_text(encoding="utf-8")
        ast.parse(source)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        pytest.skip("not a valid UTF-8 Python file")
    units = split_module(source)
    assert "".join(unit.text for unit in units) == source
    assert [unit.start_line for unit in units if not unit.outcome.clean] == []
