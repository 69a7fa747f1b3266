"""Renaming module-level constants: every reference, never a shadowed local, refusals."""

from __future__ import annotations

import pytest

from rules.checks.constants.rename import RenameError, prepare_rename, rename
from rules.fixes import apply_edits
from rules.models import Position

SOURCE = '''"""Module."""

__all__ = ["LIMIT", "other"]

LIMIT = 10


def f(x=LIMIT) -> int:
    return x + LIMIT


def g(LIMIT):
    return LIMIT


def h():
    global LIMIT
    LIMIT = 20


class A:
    size = LIMIT

    def m(self):
        return [LIMIT for _ in range(LIMIT)], self.LIMIT, dict(LIMIT=1)


def k():
    LIMIT = 3
    return lambda: LIMIT


print(f"{LIMIT}")
'''

EXPECTED = '''"""Module."""

__all__ = ["MAX_ITEMS", "other"]

MAX_ITEMS = 10


def f(x=MAX_ITEMS) -> int:
    return x + MAX_ITEMS


def g(LIMIT):
    return LIMIT


def h():
    global MAX_ITEMS
    MAX_ITEMS = 20


class A:
    size = MAX_ITEMS

    def m(self):
        return [MAX_ITEMS for _ in range(MAX_ITEMS)], self.LIMIT, dict(LIMIT=1)


def k():
    LIMIT = 3
    return lambda: LIMIT


print(f"{MAX_ITEMS}")
'''


def at(line: int, character: int) -> Position:
    return Position(line=line, character=character)


def test_rename_updates_every_reference_and_nothing_else() -> None:
    edits = rename(SOURCE, at(4, 2), "MAX_ITEMS")
    assert apply_edits(SOURCE, edits) == EXPECTED


def test_rename_from_a_reference_inside_a_function() -> None:
    assert apply_edits(SOURCE, rename(SOURCE, at(8, 16), "MAX_ITEMS")) == EXPECTED


def test_prepare_rename_ranges() -> None:
    where = prepare_rename(SOURCE, at(4, 0))
    assert where is not None
    assert (where.start.character, where.end.character) == (0, 5)
    assert prepare_rename(SOURCE, at(12, 12)) is None  # the parameter of g
    assert prepare_rename(SOURCE, at(7, 4)) is None  # a function name
    assert prepare_rename(SOURCE, at(29, 4)) is None  # k's local LIMIT
    assert prepare_rename("x = 1\nprint(x)\n", at(1, 6)) is None  # not UPPER_CASE
    assert prepare_rename("def f(:\n", at(0, 0)) is None


@pytest.mark.parametrize(
    ("new_name", "message"),
    [
        ("other", "already used"),
        ("f", "already used"),
        ("x", "already used"),
        ("len", "builtin"),
        ("1ABC", "not a valid"),
        ("class", "not a valid"),
    ],
)
def test_rename_refuses_bad_names(new_name: str, message: str) -> None:
    with pytest.raises(RenameError, match=message):
        rename(SOURCE, at(4, 0), new_name)


def test_rename_refuses_without_constant() -> None:
    with pytest.raises(RenameError):
        rename(SOURCE, at(7, 4), "NEW")


def test_same_name_is_no_edit() -> None:
    assert rename(SOURCE, at(4, 0), "LIMIT") == []


def test_class_body_reading_before_its_own_binding_is_refused() -> None:
    source = "LIMIT = 1\n\n\nclass A:\n    x = LIMIT\n    LIMIT = 2\n"
    with pytest.raises(RenameError, match="read before"):
        rename(source, at(0, 0), "MAX")


def test_class_body_binding_shadows_in_the_class_only() -> None:
    source = "LIMIT = 1\n\n\nclass A:\n    LIMIT = 2\n    y = LIMIT\n\n    def m(self):\n        return LIMIT\n"
    result = apply_edits(source, rename(source, at(0, 0), "MAX"))
    assert (
        result
        == "MAX = 1\n\n\nclass A:\n    LIMIT = 2\n    y = LIMIT\n\n    def m(self):\n        return MAX\n"
    )


def test_unicode_columns() -> None:
    source = "LIMIT = 1\ns = 'é' + str(LIMIT)\n"
    result = apply_edits(source, rename(source, at(1, 16), "MAX"))
    assert result == "MAX = 1\ns = 'é' + str(MAX)\n"
