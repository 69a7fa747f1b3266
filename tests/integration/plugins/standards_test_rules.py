"""Test-only rules, loaded into the server under test through `STANDARDS_LSP_TEST_PLUGINS`.

They give the server tests fixable findings of every shape (a cheap safe fix, a lazily built
unsafe fix, a fix that creates a file), a refactoring offered at any selection, and a rule
that raises, independently of the real rules' evolving catalogue.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterable
from pathlib import Path

from rules.models import (
    FileOperation,
    Finding,
    Fix,
    RuleDoc,
    Safety,
    Severity,
    TextEdit,
    TierSeverities,
)
from rules.registry import register
from rules.rule import FixRequest, RefactorOffer, RefactorRequest, UnitContext, UnitRule

ON = TierSeverities(production=Severity.WARNING, internal=Severity.WARNING, prototype=None)
DOC = RuleDoc(what="A test rule.", why="Tests need it.", bad=[], good=[])
SAFE_NAME = "print"
SAFE_REPLACEMENT = "log"
LAZY_NAME = "legacy"
LAZY_REPLACEMENT = "modern"
CREATE_MARKER = "needs_companion"
CRASH_MARKER = "boom"
SLOW_MARKER = "take_your_time"
# Long enough that a request made while the analysis runs is still pending a moment later.
SLOW_SECONDS = 1.5
# `# wait_for_gate PATH` on a line: the analysis of its unit waits until PATH exists.
GATE_MARKER = "# wait_for_gate "
# A gate that never opens cannot hold an analysis longer than this (a test's hang guard).
GATE_LIMIT_SECONDS = 120.0
GATE_POLL_SECONDS = 0.02


@register
class CheapSafeFix(UnitRule):
    """Every call of `print` should call `log`: a safe fix attached to the finding."""

    code = "STD990"
    name = "test-print"
    summary = "print called"
    severities = ON
    doc = DOC
    fix_title = "Call log"

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        for node in context.nodes_of(ast.Name):
            if node.id == SAFE_NAME and not context.is_set_aside(node):
                where = context.range_of(node)
                fix = Fix(
                    title="Call log instead of print",
                    safety=Safety.SAFE,
                    edits=[TextEdit(range=where, new_text=SAFE_REPLACEMENT)],
                )
                yield self.finding("print is called", where, fix)


@register
class LazyUnsafeFix(UnitRule):
    """The name `legacy` should be `modern`: an unsafe fix built on demand."""

    code = "STD991"
    name = "test-legacy"
    summary = "legacy used"
    severities = ON
    doc = DOC
    fix_title = "Rename to modern"

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        for node in context.nodes_of(ast.Name):
            if node.id == LAZY_NAME:
                fix = Fix(title="Rename legacy to modern", safety=Safety.UNSAFE)
                yield self.finding("legacy is used", context.range_of(node), fix)

    def build_fix(self, request: FixRequest) -> Fix | None:
        return Fix(
            title="Rename legacy to modern",
            safety=Safety.UNSAFE,
            edits=[TextEdit(range=request.finding.range, new_text=LAZY_REPLACEMENT)],
        )

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        if request.range.start == request.range.end:
            return []
        return [RefactorOffer(code=self.code, kind="refactor.rewrite", title="Upper-case it")]

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        lines = request.text.splitlines(keepends=True)
        start, end = request.range.start, request.range.end
        if start.line != end.line:
            return None
        selected = lines[start.line][start.character : end.character]
        return Fix(
            title=offer.title,
            safety=Safety.SAFE,
            edits=[TextEdit(range=request.range, new_text=selected.upper())],
        )


@register
class CreatesAFile(UnitRule):
    """A name `needs_companion` wants a companion file created beside the module."""

    code = "STD992"
    name = "test-companion"
    summary = "companion missing"
    severities = ON
    doc = DOC

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        for node in context.nodes_of(ast.Name):
            if node.id == CREATE_MARKER and context.path is not None:
                companion = str(Path(context.path).with_name("companion.py"))
                fix = Fix(
                    title="Create companion.py",
                    safety=Safety.SAFE,
                    edits=[],
                    file_operations=[
                        FileOperation(kind="create", path=companion, content="COMPANION = 1\n")
                    ],
                )
                yield self.finding("companion missing", context.range_of(node), fix)


@register
class Crashes(UnitRule):
    """Raises on any unit that mentions `boom`."""

    code = "STD999"
    name = "test-crash"
    summary = "crashes"
    severities = ON
    doc = DOC

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        if any(CRASH_MARKER in line for line in context.lines):
            raise RuntimeError("this rule always fails on boom")
        return []


@register
class Slow(UnitRule):
    """Takes `SLOW_SECONDS` over any unit that mentions `take_your_time`: an analysis that is
    certainly still running when a test cancels a request waiting for it."""

    code = "STD998"
    name = "test-slow"
    summary = "slow"
    severities = ON
    doc = DOC

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        if any(SLOW_MARKER in line for line in context.lines):
            time.sleep(SLOW_SECONDS)
        return []


@register
class Gated(UnitRule):
    """Holds the analysis of a unit with a `# wait_for_gate PATH` comment until the test
    creates PATH: an analysis certainly still running while the test makes its requests."""

    code = "STD997"
    name = "test-gated"
    summary = "gated"
    severities = ON
    doc = DOC

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        for line in context.lines:
            if GATE_MARKER in line:
                gate = Path(line.split(GATE_MARKER, 1)[1].strip())
                deadline = time.monotonic() + GATE_LIMIT_SECONDS
                while not gate.exists() and time.monotonic() < deadline:
                    time.sleep(GATE_POLL_SECONDS)
        return []
