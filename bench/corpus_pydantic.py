"""STD101/STD102 over the running interpreter's standard library.

For every finding with a fix: resolve it, apply it to the file, and check that the result parses,
the finding is gone and a second application changes nothing. Prints counts, the failures, and
(with --show N) N findings chosen at random (seeded) for inspection by hand.

    uv run python bench/corpus_pydantic.py [--limit N] [--show N] [--seed S]
"""

from __future__ import annotations

import argparse
import ast
import random
import sys
import sysconfig
import tokenize
from pathlib import Path

from pydantic import BaseModel, Field

from rules.checks.models.conversion import Workspace, conversion_fix, target_of
from rules.config import is_test_path
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Finding, Severity, Tier
from rules.rule import FixRequest
from rules.settings import FileSettings

CODES = ("STD101", "STD102")
SKIPPED_PARTS = frozenset({"site-packages", "dist-packages"})
DEFAULT_SEED = 101
LINE_OFFSET = 6


class FindingReport(BaseModel):
    """What happened to one finding."""

    path: str
    line: int
    code: str
    message: str
    fixed: bool = False
    problem: str | None = None
    snippet: str = ""


class FileReport(BaseModel):
    path: str
    findings: list[FindingReport] = Field(default_factory=list)
    error: str | None = None
    skipped: str | None = None


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def python_files(root: Path) -> list[Path]:
    """Every `.py` file under `root`, sorted (for the stdlib: no third-party packages)."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not SKIPPED_PARTS.intersection(path.relative_to(root).parts)
    )


def settings_for(relative: str) -> FileSettings:
    return FileSettings(
        tier=Tier.PRODUCTION,
        severities=dict.fromkeys(CODES, Severity.ERROR),
        is_test=is_test_path(relative),
    )


def _same(finding: Finding, other: Finding) -> bool:
    return finding.code == other.code and finding.data == other.data


def check_finding(
    engine: Engine, text: str, finding: Finding, settings: FileSettings
) -> str | None:
    """None when the fix behaves (parses, clears the finding, is idempotent), else the problem."""
    fix = engine.resolve_fix(FixRequest(text=text, finding=finding, settings=settings))
    if fix is None or not fix.edits:
        return "the fix could not be built"
    fixed = apply_edits(text, fix.edits)
    try:
        ast.parse(fixed)
    except SyntaxError as error:
        return f"the fixed text does not parse: {error}"
    again = engine.check(SourceFile(text=fixed, settings=settings))
    if any(_same(finding, other) for other in again.findings):
        return "the finding is still there after the fix"
    target = target_of({**finding.data, "line": finding.range.start.line})
    again_fix = conversion_fix(Workspace(text=fixed), target) if target is not None else None
    if again_fix is not None and again_fix.edits:
        return "a second application changes the text again"
    return None


def check_file(engine: Engine, path: Path, root: Path) -> FileReport:
    relative = path.relative_to(root).as_posix()
    report = FileReport(path=relative)
    try:
        with tokenize.open(path) as source:  # honours a coding cookie
            text = source.read()
    except (SyntaxError, UnicodeDecodeError, OSError) as error:
        report.skipped = f"unreadable: {error}"
        return report
    settings = settings_for(relative)
    analysis = engine.check(SourceFile(text=text, settings=settings, path=relative))
    if analysis.failures:
        report.error = "; ".join(failure.error for failure in analysis.failures)
    lines = text.splitlines()
    for finding in analysis.findings:
        if finding.code not in CODES:
            continue
        line = finding.range.start.line
        entry = FindingReport(
            path=relative,
            line=line + 1,
            code=finding.code,
            message=finding.message,
            snippet="\n".join(lines[max(line - 1, 0) : line + LINE_OFFSET]),
        )
        if finding.fix is not None:
            entry.problem = check_finding(engine, text, finding, settings)
            entry.fixed = entry.problem is None
        report.findings.append(entry)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="check only the first N files")
    parser.add_argument("--show", type=int, default=0, help="print N random findings")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--root", type=Path, default=None, help="another tree (default: stdlib)")
    arguments = parser.parse_args()
    root = arguments.root.resolve() if arguments.root else stdlib_root()
    files = python_files(root)
    if arguments.limit:
        files = files[: arguments.limit]
    engine = Engine()
    reports = [check_file(engine, path, root) for path in files]
    findings = [finding for report in reports for finding in report.findings]
    problems = [finding for finding in findings if finding.problem]
    for code in CODES:
        of_code = [finding for finding in findings if finding.code == code]
        fixed = sum(finding.fixed for finding in of_code)
        print(f"{code}: {len(of_code)} findings, {fixed} fixes applied cleanly")
    skipped = sum(1 for report in reports if report.skipped)
    failures = sum(1 for report in reports if report.error)
    print(f"files: {len(files)} ({skipped} unreadable, skipped), rule failures: {failures}")
    for report in reports:
        if report.error:
            print(f"ERROR {report.path}: {report.error[:200]}")
        if report.skipped:
            print(f"SKIPPED {report.path}: {report.skipped[:200]}")
    for finding in problems:
        print(f"PROBLEM {finding.path}:{finding.line} {finding.code}: {finding.problem}")
    sampler = random.Random(arguments.seed)  # noqa: S311 - a sample, not a secret
    shown = sampler.sample(findings, min(arguments.show, len(findings)))
    for finding in shown:
        print(f"\n--- {finding.path}:{finding.line} {finding.code} {finding.message}")
        print(finding.snippet)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
