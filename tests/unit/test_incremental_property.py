"""Incremental equals fresh, always: a property test of the split's re-cutting and recovery.

Hypothesis builds small modules of class bodies (members indented at varied depths, blank
lines between) and top-level statements, then edits them line by line the way typing does:
indentation changes, blank lines opened and closed, a word typed at the start of a line, a
class header added or lost. After every edit the check that reuses the previous one's cache
must find exactly what a fresh check of the same text finds; a failure shrinks to the
shortest module and edits that show it (issue 13's item 2 was one: ` n` typed on the blank
line of a class whose members are indented eight spaces kept two stale findings and no syntax
error).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.engine import Analysis, Engine, SourceFile, UnitCache
from rules.models import Finding
from tests.support.engine import settings_for

ENGINE = Engine()
SETTINGS = settings_for()
PATH = "/project/m.py"
INDENTS = ["", "    ", "        ", "\t"]
STATEMENTS = ["x = 'typing.'", "y = 'typing.'", "return 4711", "pass", "def f(self):", "n"]
# What typing at the start of a line does: indent, dedent, open or close a line, type a word.
LINE_EDITS = [" n", "    ", "", "\n", "class B:\n", "    def g(self):\n", "x = 'typing.'\n", "#"]
MAX_BODY_LINES = 4
MAX_BLOCKS = 3
MAX_LINE_INDEX = 16  # taken modulo the module's line count
MAX_EDITS = 6
EXAMPLES = 300

BODY_INDENTS = INDENTS[1:]
BODY_LINE = st.one_of(
    st.just(""),
    st.builds("".join, st.tuples(st.sampled_from(BODY_INDENTS), st.sampled_from(STATEMENTS))),
)
CLASS_BLOCK = st.builds(
    lambda body: ["class A:", *body], st.lists(BODY_LINE, min_size=1, max_size=MAX_BODY_LINES)
)
TOP_LEVEL = st.builds(lambda statement: [statement], st.sampled_from(STATEMENTS))
MODULES = st.lists(st.one_of(CLASS_BLOCK, TOP_LEVEL), min_size=1, max_size=MAX_BLOCKS)
EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=MAX_LINE_INDEX), st.sampled_from([*LINE_EDITS, None])
    ),
    min_size=1,
    max_size=MAX_EDITS,
)


def _edited(text: str, line: int, insertion: str | None) -> str:
    """`insertion` typed at the start of `line` (None: the line's first character deleted)."""
    lines = text.splitlines(keepends=True) or [""]
    index = line % len(lines)
    if insertion is None:
        lines[index] = lines[index][1:]
    else:
        lines[index] = insertion + lines[index]
    return "".join(lines)


def _seen(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.code, f.message, f.range.start, f.range.end) for f in findings]


def _check(text: str, cache: UnitCache | None = None) -> Analysis:
    return ENGINE.check(SourceFile(text=text, settings=SETTINGS, path=PATH), cache=cache)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=MODULES, edits=EDITS)
def test_an_incremental_check_finds_what_a_fresh_check_finds(
    blocks: list[list[str]], edits: list[tuple[int, str | None]]
) -> None:
    text = "".join(f"{line}\n" for block in blocks for line in block)
    analysis = _check(text)
    for line, insertion in edits:
        text = _edited(text, line, insertion)
        analysis = _check(text, analysis.cache)
        assert _seen(analysis.findings) == _seen(_check(text).findings), text


def test_the_class_body_blank_line_edit_of_issue_13() -> None:
    before = "class A:\n\n        x = 'typing.'\n        y = 'typing.'\n"
    after = _edited(before, 1, " n")
    incremental = _check(after, _check(before).cache)
    assert _seen(incremental.findings) == _seen(_check(after).findings)
