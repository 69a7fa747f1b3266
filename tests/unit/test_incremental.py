"""Incremental work: a re-split and a re-check after an edit equal a fresh split and check,
and they reuse what the edit left standing."""

from __future__ import annotations

import ast
import random

import pytest

from rules import engine
from rules.engine import (
    OUTCOME_TEXT_FACTOR,
    Engine,
    SourceFile,
    UnitCache,
)
from rules.parsing import Unit, UnitKind, parse_unit
from rules.source import split_lines
from rules.splitter import SplitMemo, split_module
from tests.support.engine import settings_for
from tests.support.paths import STDLIB

ENGINE = Engine()
EDITS_OF_A_BROKEN_MODULE = 60
PATH = "/project/m.py"
# Small pieces of Python an editor sees typed or deleted: brackets, quotes, blocks, breaks.
SNIPPETS = [
    "(",
    ")",
    '"""',
    "'''",
    "\n",
    "    ",
    "def f(",
    ":",
    "class A:\n",
    "@decorator\n",
    "[",
    "x = 1\n",
    "#",
    "\\\n",
    "'",
    "if x:\n",
    "\n\n",
    "else:\n",
    "}",
]
EDITS_PER_MODULE = 12
RANDOM_MODULES = ["textwrap", "argparse", "json/encoder"]
MAX_DELETION = 60
DELETION_SHARE = 0.3


def _signature(units: list[Unit]) -> list[tuple[object, ...]]:
    return [
        (
            unit.kind,
            unit.start_line,
            unit.text,
            unit.outcome.error,
            unit.outcome.set_aside,
            unit.class_header,
        )
        for unit in units
    ]


def _random_edit(text: str, rng: random.Random) -> str:
    position = rng.randrange(len(text) + 1)
    if rng.random() < DELETION_SHARE:
        return text[:position] + text[position + rng.randrange(1, MAX_DELETION) :]
    return text[:position] + rng.choice(SNIPPETS) + text[position:]


@pytest.mark.parametrize("module", RANDOM_MODULES)
def test_incremental_split_equals_fresh_split_after_random_edits(module: str) -> None:
    rng = random.Random(module)  # noqa: S311 - reproducible test edits, not secrets
    text = (STDLIB / f"{module}.py").read_text(encoding="utf-8")
    memo: SplitMemo | None = None
    for _ in range(EDITS_PER_MODULE):
        text = _random_edit(text, rng)
        memo = SplitMemo(memo)
        assert _signature(split_module(text, memo=memo)) == _signature(split_module(text))


def test_an_edit_keeps_the_spans_before_it_and_moves_the_ones_after() -> None:
    lines = [f"def f{index}():\n    return {index}\n\n\n" for index in range(50)]
    text = "".join(lines)
    first = SplitMemo()
    split_module(text, memo=first)
    edited = text.replace("return 25", "x = 1\n    return 25")
    second = SplitMemo(first)
    units = split_module(edited, memo=second)
    assert _signature(units) == _signature(split_module(edited))
    assert first.layout is not None
    assert second.layout is not None
    before, after = first.layout.spans, second.layout.spans
    assert all(old is new for old, new in zip(before[:24], after[:24], strict=True))
    assert after[30].start == before[30].start + 1  # moved down by the inserted line
    assert after[30].units[0].text == before[30].units[0].text


def test_the_memo_keeps_no_syntax_trees() -> None:
    memo = SplitMemo()
    split_module("import os\n\n\nclass A:\n    def f(self):\n        return 1\n", memo=memo)
    assert memo.units()
    assert all(unit.outcome.tree is None for unit in memo.units())


def test_no_syntax_tree_outlives_a_check() -> None:
    text = (
        "import os\n\n\nclass A:\n    def f(self):\n        return 1\n\n"
        "    def g(self):\n        return 2\n\n\nx = [1, 2]\n"
    )
    settings = settings_for()
    analysis = ENGINE.check(SourceFile(text=text, settings=settings, path=PATH))
    assert analysis.cache is not None
    entries = list(analysis.cache.units.values())
    assert len(entries) == len(split_module(text))
    assert all(entry.unit.outcome.tree is None for entry in entries)
    # a recheck that re-splits the class finds the entry of the member it hands on unchanged
    edited = text.replace("return 2", "return 2  # two")
    again = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), analysis.cache)
    assert again.cache is not None
    method_f = next(entry for entry in entries if "def f" in entry.unit.text)
    assert again.cache.units[id(method_f.unit)] is method_f


def test_a_check_asked_to_free_its_trees_later_holds_them_until_told() -> None:
    text = "import os\n\n\nclass A:\n    def f(self):\n        return 1\n"
    source = SourceFile(text=text, settings=settings_for(), path=PATH)
    plain = ENGINE.check(source).cache
    assert plain is not None
    assert plain.spent == []
    analysis = ENGINE.check(source, UnitCache(free_trees_later=True))
    cache = analysis.cache
    assert cache is not None
    held = [unit for units in cache.spent for unit in units]
    assert len(held) == len(split_module(text))
    assert all(unit.outcome.tree is not None for unit in held)
    cache.free_trees()
    assert cache.spent == []
    again = ENGINE.check(source, cache)
    assert again.cache is not None
    assert again.cache.free_trees_later  # carried from check to check
    assert again.cache.spent == []  # nothing parsed anew: every span reused


def test_a_method_mid_edit_does_not_swallow_the_rest_of_its_class() -> None:
    text = (
        "class A:\n"
        "    def f(self):\n"
        "        return call(\n"
        "\n"
        "    def g(self):\n"
        "        return 2\n"
        "\n"
        "\n"
        "def h():\n"
        "    return 3\n"
    )
    units = split_module(text)
    broken = [unit for unit in units if not unit.outcome.clean]
    assert [unit.start_line for unit in broken] == [1]
    assert [unit.start_line for unit in units] == [0, 1, 4, 8]


def test_a_continuation_line_at_column_0_still_belongs_to_its_class() -> None:
    text = "class A:\n    x = f(\na, b)\n    y = 2\n"
    units = split_module(text)
    assert all(unit.outcome.clean for unit in units)


def test_a_check_with_the_editors_lines_equals_one_from_the_text() -> None:
    text = (STDLIB / "textwrap.py").read_text(encoding="utf-8")
    source = SourceFile(text=text, settings=settings_for(), path=PATH)
    with_lines = ENGINE.check(source, lines=split_lines(text))
    assert with_lines.findings == ENGINE.check(source).findings


def test_a_recheck_reuses_the_results_of_spans_the_edit_left_standing() -> None:
    text = "".join(f"def f{index}():\n    return {index} * 1000\n\n\n" for index in range(30))
    settings = settings_for()
    first = ENGINE.check(SourceFile(text=text, settings=settings, path=PATH))
    edited = text.replace("return 20 * 1000", "return 20 * 2000")
    assert first.cache is not None
    kept_before = dict(first.cache.spans)
    second = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), first.cache)
    assert (
        second.findings
        == ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH)).findings
    )
    assert second.cache is not None
    reused = [
        result for key, result in second.cache.spans.items() if kept_before.get(key) is result
    ]
    assert len(reused) >= len(kept_before) - 2  # all but the edited span (and its neighbour)


def test_carried_caches_stay_bounded_over_many_edits() -> None:
    text = "".join(f"def f{index}():\n    return {index} * 1000\n\n\n" for index in range(20))
    settings = settings_for()
    cache: UnitCache | None = None
    for edit in range(300):
        edited = text.replace("return 7 * 1000", f"return 7 * {edit + 2000}")
        analysis = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), cache)
        cache = analysis.cache
    assert cache is not None
    bound = 4 * analysis.unit_count + 512
    assert len(cache.outcomes) < bound
    assert len(cache.results) < bound
    assert len(cache.placed) < bound


def test_split_lines_cuts_only_where_lsp_does() -> None:
    assert split_lines("a\x0cb\nc") == ["a\x0cb\n", "c"]
    assert split_lines("a\u2028b\r\nc\rd") == ["a\u2028b\r\n", "c\r", "d"]
    assert split_lines("") == [""]
    assert split_lines("x\n") == ["x\n"]


def test_an_edit_in_one_method_hands_on_the_other_members_as_they_were() -> None:
    methods = "".join(f"    def m{index}(self):\n        return {index}\n\n" for index in range(40))
    text = f"import os\n\n\nclass Big:\n{methods}"
    first = SplitMemo()
    split_module(text, memo=first)
    second = SplitMemo(first)  # after a first edit the split hands out the memo's units
    before = split_module(text.replace("return 30", "return 30 + 1"), memo=second)
    edited = text.replace("return 20", "return 20 + 1")
    after = split_module(edited, memo=SplitMemo(second))
    assert _signature(after) == _signature(split_module(edited))
    changed = [index for index, unit in enumerate(after) if unit is not before[index]]
    header = 1
    assert changed == [header, header + 1 + 20, header + 1 + 30]  # m20 edited, m30 restored


def test_a_class_moved_by_an_edit_above_keeps_its_member_results() -> None:
    methods = "".join(
        f"    def m{index}(self):\n        return {index} * 1000\n\n" for index in range(10)
    )
    text = f"import os\n\n\nclass Big:\n{methods}"
    settings = settings_for()
    first = ENGINE.check(SourceFile(text=text, settings=settings, path=PATH))
    edited = "import sys\n" + text
    second = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), first.cache)
    fresh = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH))
    assert second.findings == fresh.findings


# Valid modules whose methods hold strings with lines at column 0 and code-like lines
# (an early version of the "contained error" shortcut broke them).
STRING_HEAVY_MODULES = ["pydoc", "test/test_tokenize", "test/test_urllib", "test/test_dis"]


@pytest.mark.parametrize("module", STRING_HEAVY_MODULES)
def test_valid_modules_with_column_0_strings_in_methods_split_clean(module: str) -> None:
    text = (STDLIB / f"{module}.py").read_text(encoding="utf-8")
    ast.parse(text)
    assert [unit.start_line for unit in split_module(text) if not unit.outcome.clean] == []


def test_carried_parse_outcomes_stay_bounded_in_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken statement's merges parse long texts, new with each edit: the outcomes carried
    from check to check stay within a few times the module's text, not only within a number
    of entries (bounded by entries alone they held 60 times this module's text)."""
    monkeypatch.setattr(engine, "OUTCOME_TEXT_SLACK", 0)  # a small module: no slack to hide in
    body = "".join(f"def f{index}():\n    return {index} * 1000\n\n\n" for index in range(60))
    # a string never closed: each edit below makes the rest of the module a new text to parse
    text = 'x = """\n' + body
    settings = settings_for()
    cache: UnitCache | None = None
    for edit in range(EDITS_OF_A_BROKEN_MODULE):
        edited = text.replace("return 59 * 1000", f"return 59 * {edit + 2000}")
        analysis = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), cache)
        assert (
            analysis.findings
            == ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH)).findings
        )
        cache = analysis.cache
    assert cache is not None
    held = sum(len(key) for key, _kind in cache.outcomes)
    assert held <= OUTCOME_TEXT_FACTOR * len(text) + len(edited) - len(text)


def test_a_lost_unit_lists_no_set_aside_lines() -> None:
    """A unit beyond repair keeps its error, not a set of every one of its lines (it is read
    only beside a tree; the carried outcomes of lost texts held megabytes of them)."""
    outcome = parse_unit("".join(f"x{index} = )\n" for index in range(200)), UnitKind.STATEMENT)
    assert outcome.lost
    assert outcome.tree is None
    assert outcome.error is not None
    assert outcome.set_aside == frozenset()
