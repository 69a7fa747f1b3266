"""Helpers for the project-shape tests: check a fixture repository the way the CLI does."""

from __future__ import annotations

import shutil
from pathlib import Path

from rules.config import ConfigResolver
from rules.engine import is_python
from rules.models import Finding
from rules.registry import default_registry
from rules.walk import iter_files
from server.batch import Batch


def copy_fixture(name: str, destination: Path) -> Path:
    """A copy of a fixture repository outside this repository (so its configuration is its own)."""
    source = Path(__file__).parent.parent / "fixtures" / "projects" / name
    target = destination / name
    shutil.copytree(source, target, symlinks=True)
    return target


def checked_files(root: Path) -> list[Path]:
    """Every file of `root` the CLI checks: `.py` files and those some FileRule applies to."""
    registry = default_registry()

    def wanted(path: Path) -> bool:
        return is_python(str(path)) or any(
            rule.applies_to(str(path)) for rule in registry.file_rules
        )

    return list(iter_files([root], wanted))


PROJECT_CODES = frozenset(
    {
        "STD301",
        "STD302",
        "STD303",
        "STD304",
        "STD305",
        "STD306",
        "STD401",
        "STD402",
        "STD403",
        "STD404",
        "STD405",
        "STD406",
        "STD407",
        "STD501",
        "STD502",
        "STD503",
        "STD601",
    }
)


def finding_record(relative: str, finding: Finding) -> dict[str, object]:
    """One finding in the design map's JSON format (1-based lines and columns)."""
    start, end = finding.range.start, finding.range.end
    return {
        "path": relative,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "start": {"line": start.line + 1, "column": start.character + 1},
        "end": {"line": end.line + 1, "column": end.character + 1},
        "fix": None
        if finding.fix is None
        else {"title": finding.fix.title, "safety": finding.fix.safety.value},
    }


def sort_records(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """Sorted as the CLI sorts: path, line, column, code."""

    def key(record: dict[str, object]) -> tuple[str, int, int, str]:
        start = record["start"]
        assert isinstance(start, dict)
        return (str(record["path"]), start["line"], start["column"], str(record["code"]))

    return sorted(records, key=key)


def project_findings(root: Path, codes: frozenset[str] = PROJECT_CODES) -> list[dict[str, object]]:
    """The findings of the project-shape rules for every checked file under `root`, exactly as
    the command line computes them (`server.batch.Batch`: same walk, same configuration)."""
    batch = Batch(ConfigResolver())
    records = []
    for path in batch.files([root]):
        report = batch.check_file(path)
        assert not report.failures, report.failures
        relative = path.relative_to(root).as_posix()
        records.extend(
            finding_record(relative, finding)
            for finding in report.findings
            if finding.code in codes
        )
    return sort_records(records)


def record_key(record: dict[str, object]) -> tuple[str, int, int]:
    """A record's code and 1-based start (what a diagnostic can be compared on)."""
    start = record["start"]
    assert isinstance(start, dict)
    return (str(record["code"]), int(start["line"]), int(start["column"]))
