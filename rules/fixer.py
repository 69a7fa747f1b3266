"""Applying many fixes to one text: one at a time, re-checking between, until none is left.

One fix at a time is what keeps lazily built fixes right: each is built from the text it will
change. The engine's cache makes each re-check cost only the units the last fix touched.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from rules.engine import SYNTAX_ERROR_CODE, Engine, SourceFile, UnitCache
from rules.fixes import OverlappingEditsError, apply_edits
from rules.models import Finding, Fix, Safety
from rules.rule import FixRequest

# A fix that keeps producing new findings of its own kind must not loop forever.
MAX_FIXES_PER_FILE = 500

type FindingFilter = Callable[[Finding], bool]


class AppliedFix(BaseModel):
    """One fix that was applied: which rule, where, and its title."""

    code: str
    line: int = Field(description="0-based line of the finding in the text it was found in")
    title: str


class FixOutcome(BaseModel):
    """The text after fixing, and what was applied."""

    text: str
    applied: list[AppliedFix]

    @property
    def changed(self) -> bool:
        """Whether any fix was applied."""
        return bool(self.applied)


def _finding_key(finding: Finding) -> tuple[str, str, int, int]:
    return (finding.code, finding.message, finding.range.start.line, finding.range.start.character)


def fixable(finding: Finding, unsafe: bool) -> bool:
    """Whether `finding` has a fix of an allowed safety."""
    return finding.fix is not None and (unsafe or finding.fix.safety is Safety.SAFE)


def fix_text(
    engine: Engine, source: SourceFile, unsafe: bool = False, wanted: FindingFilter | None = None
) -> FixOutcome:
    """Apply every allowed fix to `source.text`, re-checking between fixes."""
    text = source.text or ""
    cache = UnitCache()
    applied: list[AppliedFix] = []
    tried: set[tuple[str, str, int, int]] = set()
    while len(applied) < MAX_FIXES_PER_FILE:
        analysis = engine.check(source.model_copy(update={"text": text}), cache=cache)
        cache = analysis.cache or cache
        broken_before = any(f.code == SYNTAX_ERROR_CODE for f in analysis.findings)
        candidate = _next_candidate(analysis.findings, tried, unsafe, wanted)
        if candidate is None:
            break
        tried.add(_finding_key(candidate))
        fix = _complete_fix(engine, source, text, candidate)
        new_text = _applied(text, fix)
        if new_text is None or new_text == text:
            continue
        if not broken_before and _breaks_syntax(engine, source, new_text):
            continue
        applied.append(
            AppliedFix(
                code=candidate.code, line=candidate.range.start.line, title=fix.title if fix else ""
            )
        )
        text = new_text
    return FixOutcome(text=text, applied=applied)


def _next_candidate(
    findings: list[Finding],
    tried: set[tuple[str, str, int, int]],
    unsafe: bool,
    wanted: FindingFilter | None,
) -> Finding | None:
    for finding in findings:
        if not fixable(finding, unsafe) or _finding_key(finding) in tried:
            continue
        if wanted is None or wanted(finding):
            return finding
    return None


def _complete_fix(engine: Engine, source: SourceFile, text: str, finding: Finding) -> Fix | None:
    if finding.fix is not None and finding.fix.edits is not None:
        return finding.fix
    request = FixRequest(text=text, finding=finding, settings=source.settings, path=source.path)
    return engine.resolve_fix(request)


def _applied(text: str, fix: Fix | None) -> str | None:
    if fix is None or not fix.edits:
        return None
    try:
        return apply_edits(text, fix.edits)
    except OverlappingEditsError:
        return None


def _breaks_syntax(engine: Engine, source: SourceFile, text: str) -> bool:
    """Whether a fix turned a text that parsed into one that does not (never keep such a fix)."""
    settings = source.settings.model_copy(update={"severities": {}})
    analysis = engine.check(source.model_copy(update={"text": text, "settings": settings}))
    return any(finding.code == SYNTAX_ERROR_CODE for finding in analysis.findings)
