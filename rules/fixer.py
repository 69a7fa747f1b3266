"""Applying many fixes to one text: one at a time, re-checking between, until none is left.

One fix at a time is what keeps lazily built fixes right: each is built from the text it will
change. The engine's cache makes each re-check cost only the units the last fix touched.

A whole-project fix also edits other files: they are read from (and written to) `ProjectTexts`,
the run's view of the files it changed, so that a later fix is built from the text an earlier
one left; every edited file must still parse, or none of the fix is kept.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from rules.engine import SYNTAX_ERROR_CODE, Engine, SourceFile, UnitCache
from rules.fixes import OverlappingEditsError, apply_edits
from rules.models import Finding, Fix, Safety, TextEdit
from rules.rule import FixRequest, Rule
from rules.source_bytes import SourceEncoding, decode_python, encode

# A fix that keeps producing new findings of its own kind must not loop forever.
MAX_FIXES_PER_FILE = 500
PYTHON_SUFFIXES = frozenset({".py", ".pyi"})
TOML_SUFFIX = ".toml"

type FindingFilter = Callable[[Finding], bool]


class AppliedFix(BaseModel):
    """One fix that was applied: which rule, where, its title and the other files it edited."""

    code: str
    line: int = Field(description="0-based line of the finding in the text it was found in")
    title: str
    other_files: list[str] = Field(default_factory=list)


class RefusedFix(BaseModel):
    """A fix that was asked for and not made, and why."""

    code: str
    line: int
    reason: str
    verb: str = Rule.refusal_verb

    @property
    def announcement(self) -> str:
        """`STD201 not fixed: why`, as `fix` prints it after the file and line."""
        return f"{self.code} {self.verb}: {self.reason}"


# Why a fix was not kept, when the rule gave no reason of its own.
NOTHING_BUILT = "no fix could be built from the file as it is now"
NOTHING_CHANGED = "the fix changes nothing"
BREAKS_SYNTAX = "the fix would leave the file with a syntax error (a bug: please report it)"
RENAMES_FILES = (
    "it renames or creates files, which `fix` does not do: use the editor's code action, or "
    "rename by hand"
)


class ProjectTexts:
    """The texts of the files a run has changed, by absolute path (the disk for the others),
    and the encoding each was read in, to be written back in."""

    def __init__(self) -> None:
        self.changed: dict[str, str] = {}
        self.original: dict[str, str] = {}
        self.encodings: dict[str, SourceEncoding] = {}

    def read(self, path: str) -> str | None:
        if path in self.changed:
            return self.changed[path]
        try:
            # bytes, not `read_text`: its universal newlines would turn `\r\n` into `\n`
            text, encoding = decode_python(Path(path).read_bytes())
        except (OSError, SyntaxError, LookupError, UnicodeDecodeError):
            return None
        self.encodings[path] = encoding
        return text

    def encoded(self, path: str) -> bytes:
        """The changed text of `path` in the file's own encoding (`UnencodableTextError` when
        the encoding cannot store it)."""
        return encode(self.changed[path], self.encodings.get(path, SourceEncoding()))

    def write(self, path: str, before: str, text: str) -> None:
        self.original.setdefault(path, before)
        self.changed[path] = text


class FixOutcome(BaseModel):
    """The text after fixing, and what was applied (or refused)."""

    text: str
    applied: list[AppliedFix]
    refused: list[RefusedFix] = Field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether any fix was applied."""
        return bool(self.applied)


def _finding_key(finding: Finding) -> tuple[str, str, int, int]:
    return (finding.code, finding.message, finding.range.start.line, finding.range.start.character)


def fixable(finding: Finding, unsafe: bool) -> bool:
    """Whether `finding` has a fix of an allowed safety."""
    return finding.fix is not None and (unsafe or finding.fix.safety is Safety.SAFE)


@dataclass(frozen=True)
class FixOptions:
    """Which fixes a run applies, and where a whole-project fix's other files are."""

    unsafe: bool = False
    wanted: FindingFilter | None = None
    project: ProjectTexts | None = None


def fix_text(
    engine: Engine, source: SourceFile, unsafe: bool = False, wanted: FindingFilter | None = None
) -> FixOutcome:
    """Apply every allowed fix to `source.text`, re-checking between fixes (fixes that edit
    other files are left out: see `fix_with`)."""
    return fix_with(engine, source, FixOptions(unsafe=unsafe, wanted=wanted))


def fix_with(engine: Engine, source: SourceFile, options: FixOptions) -> FixOutcome:
    """Apply every fix `options` allow to `source.text`, re-checking between fixes. A fix that
    edits other files is kept only with `options.project` (where those edits go) and when all
    of them apply."""
    unsafe, wanted, project = options.unsafe, options.wanted, options.project
    text = source.text or ""
    cache = UnitCache()
    applied: list[AppliedFix] = []
    refused: list[RefusedFix] = []
    tried: set[tuple[str, str, int, int]] = set()
    while len(applied) < MAX_FIXES_PER_FILE:
        analysis = engine.check(source.model_copy(update={"text": text}), cache=cache)
        cache = analysis.cache or cache
        broken_before = any(f.code == SYNTAX_ERROR_CODE for f in analysis.findings)
        candidate = _next_candidate(analysis.findings, tried, unsafe, wanted)
        if candidate is None:
            break
        tried.add(_finding_key(candidate))
        fix = _complete_fix(engine, source.model_copy(update={"text": text}), candidate, project)
        new_text = _applied(text, fix)
        if fix is None or fix.refused or fix.file_operations or new_text is None:
            refused.append(_refusal(engine, candidate, _why_not_built(fix)))
            continue
        if new_text == text:
            refused.append(_refusal(engine, candidate, NOTHING_CHANGED))
            continue
        if not broken_before and _breaks_syntax(engine, source, new_text):
            refused.append(_refusal(engine, candidate, BREAKS_SYNTAX))
            continue
        others = _other_texts(fix, project, source.path)
        if isinstance(others, str):
            refused.append(_refusal(engine, candidate, others))
            continue
        for path, (before, after) in others.items():
            assert project is not None  # noqa: S101 - _other_texts gives None without one
            project.write(path, before, after)
        applied.append(
            AppliedFix(
                code=candidate.code,
                line=candidate.range.start.line,
                title=fix.title,
                other_files=sorted(others),
            )
        )
        text = new_text
    return FixOutcome(text=text, applied=applied, refused=refused)


def _why_not_built(fix: Fix | None) -> str:
    if fix is not None and fix.refused:
        return fix.refused
    if fix is not None and fix.file_operations:
        return RENAMES_FILES
    return NOTHING_BUILT


def _refusal(engine: Engine, finding: Finding, reason: str) -> RefusedFix:
    return RefusedFix(
        code=finding.code,
        line=finding.range.start.line,
        reason=reason,
        verb=engine.registry.refusal_verb(finding.code),
    )


def _other_texts(
    fix: Fix, project: ProjectTexts | None, own_path: str | None
) -> dict[str, tuple[str, str]] | str:
    """Each other file's text before and after the fix, or why the fix cannot be applied
    whole: no project to write to, a file unreadable, overlapping edits, or a file that would
    not parse any more."""
    if not fix.other_files:
        return {}
    if project is None:
        return "it edits other files, and this run writes only the file itself"
    texts: dict[str, tuple[str, str]] = {}
    for other in fix.other_files:
        if other.path == own_path:
            return "its edits of the file itself overlap"
        changed = _other_text(fix, other.path, other.edits, project)
        if isinstance(changed, str):
            return changed
        texts[other.path] = changed
    return texts


def _other_text(
    fix: Fix, path: str, edits: list[TextEdit], project: ProjectTexts
) -> tuple[str, str] | str:
    """One other file's text before and after the fix's edits of it, or why not."""
    name = Path(path).name
    before = project.read(path)
    if before is None:
        return f"{name} cannot be read"
    after = _applied(before, fix.model_copy(update={"edits": edits}))
    if after is None:
        return f"its edits of {name} overlap"
    if not _parses(path, after):
        return f"{name} would not parse after it"
    return before, after


def _parses(path: str, text: str) -> bool:
    """Whether a file still parses as what its name says it is: Python or TOML (the files a
    whole-project fix edits; others, such as `setup.cfg`, have no strict syntax to break)."""
    suffix = Path(path).suffix
    try:
        if suffix in PYTHON_SUFFIXES:
            ast.parse(text)
        elif suffix == TOML_SUFFIX:
            tomllib.loads(text)
    except (SyntaxError, ValueError):
        return False
    return True


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


def _complete_fix(
    engine: Engine, source: SourceFile, finding: Finding, project: ProjectTexts | None
) -> Fix | None:
    if finding.fix is not None and finding.fix.edits is not None:
        return finding.fix
    request = FixRequest(
        text=source.text or "",
        finding=finding,
        settings=source.settings,
        path=source.path,
        project_root=source.project_root,
        open_texts=dict(project.changed) if project is not None else {},
    )
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
