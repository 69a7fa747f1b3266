"""Helpers shared by the STD101/STD102 tests: check a text, resolve and apply the lazy fixes."""

from __future__ import annotations

from pathlib import Path

from rules.config import is_test_path
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Finding, Fix
from rules.rule import FixRequest
from rules.settings import FileSettings
from tests.support.engine import rule_settings

CODES = ("STD101", "STD102")
MAX_ROUNDS = 12
ENGINE = Engine()


def settings(*codes: str, is_test: bool = False) -> FileSettings:
    """STD101 and STD102 (or `codes`) turned on as errors."""
    return rule_settings(*(codes or CODES), is_test=is_test)


def findings(text: str, *codes: str, path: str = "module.py") -> list[Finding]:
    file_settings = settings(*codes, is_test=is_test_path(path))
    analysis = ENGINE.check(SourceFile(text=text, settings=file_settings, path=path))
    assert not analysis.failures, analysis.failures
    return [finding for finding in analysis.findings if finding.code in (codes or CODES)]


def resolve(text: str, finding: Finding, path: str = "module.py") -> Fix | None:
    request = FixRequest(text=text, finding=finding, settings=settings(finding.code), path=path)
    return ENGINE.resolve_fix(request)


def fix_first(text: str, *codes: str, path: str = "module.py") -> tuple[str, Fix]:
    """The text after the first fixable finding's fix, and that fix."""
    fixable = [finding for finding in findings(text, *codes, path=path) if finding.fix]
    assert fixable, "no fixable finding"
    fix = resolve(text, fixable[0], path)
    assert fix is not None and fix.edits
    return apply_edits(text, fix.edits), fix


def fix_all(text: str, *codes: str, path: str = "module.py") -> str:
    """The text with every fixable finding of `codes` fixed, one at a time."""
    for _ in range(MAX_ROUNDS):
        if not any(finding.fix for finding in findings(text, *codes, path=path)):
            return text
        text, _fix = fix_first(text, *codes, path=path)
    raise AssertionError("fixes did not converge")


def project_fixes(root: Path, path: Path, text: str) -> list[tuple[Finding, Fix | None]]:
    """Each finding of the module at `path` (holding `text`) in the project at `root`, with
    its resolved fix."""
    root_name, path_name = str(root), str(path)
    source = SourceFile(text=text, settings=settings(), path=path_name, project_root=root_name)
    return [
        (
            finding,
            ENGINE.resolve_fix(
                FixRequest(
                    text=text,
                    finding=finding,
                    settings=settings(),
                    path=path_name,
                    project_root=root_name,
                )
            ),
        )
        for finding in ENGINE.check(source).findings
    ]
