"""Helpers for the project-shape tests: check an example or a fixture the way the CLI would."""

from __future__ import annotations

import shutil
from pathlib import Path

from rules.config import ConfigResolver, Overrides, ProjectConfig, resolve_settings
from rules.engine import Engine, SourceFile, is_python
from rules.fixes import apply_edits
from rules.models import Finding, RuleExample, Tier
from rules.registry import Registry, default_registry
from rules.rule import FixRequest, Rule
from rules.walk import iter_files


def write_example(example: RuleExample, directory: Path) -> Path:
    """Materialise an example and its project files in `directory`; the example's path."""
    target = directory / example.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example.source, encoding="utf-8")
    for relative, text in example.files.items():
        other = target.parent / relative
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text(text, encoding="utf-8")
    return target


def check_example(
    rule: Rule, example: RuleExample, directory: Path, text: str | None = None
) -> list[Finding]:
    """The findings of only `rule`, at the production tier, on a materialised example."""
    target = write_example(example, directory)
    registry = Registry([rule])
    project = ProjectConfig(root=str(directory), tier=Tier.PRODUCTION)
    settings = resolve_settings(project, str(target), Overrides(select=(rule.code,)), registry)
    source = SourceFile(
        text=example.source if text is None else text,
        settings=settings,
        path=str(target),
        project_root=str(directory),
    )
    return Engine(registry).check(source).findings


def fixed_text(rule: Rule, example: RuleExample, directory: Path, unsafe: bool) -> str:
    """The example after applying `rule`'s fixes until none is left (bounded)."""
    text = example.source
    target = write_example(example, directory)
    engine = Engine(Registry([rule]))
    for _ in range(10):
        findings = check_example(rule, example, directory, text)
        fixable = [finding for finding in findings if finding.fix is not None]
        if unsafe is False:
            fixable = [
                finding
                for finding in fixable
                if finding.fix is not None and finding.fix.safety == "safe"
            ]
        if not fixable:
            return text
        finding = fixable[0]
        project = ProjectConfig(root=str(directory), tier=Tier.PRODUCTION)
        settings = resolve_settings(project, str(target), Overrides(select=(rule.code,)))
        fix = engine.resolve_fix(
            FixRequest(text=text, finding=finding, settings=settings, path=str(target))
        )
        assert fix is not None and fix.edits is not None
        text = apply_edits(text, fix.edits)
    raise AssertionError("fixes did not converge")


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
        "STD401",
        "STD402",
        "STD403",
        "STD404",
        "STD405",
        "STD406",
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
    """The findings of the project-shape rules for every checked file under `root`, as the CLI
    would report them from `root` (real configuration resolution)."""
    resolver = ConfigResolver()
    engine = Engine()
    records = []
    for path in checked_files(root):
        settings = resolver.settings_for(str(path))
        data = path.read_bytes()
        text = data.decode("utf-8") if is_text_bytes(data) else None
        project = resolver.project_for(str(path))
        analysis = engine.check(
            SourceFile(text=text, settings=settings, path=str(path), project_root=project.root)
        )
        assert not analysis.failures, analysis.failures
        relative = path.relative_to(root).as_posix()
        records.extend(
            finding_record(relative, finding)
            for finding in analysis.findings
            if finding.code in codes
        )
    return sort_records(records)


def is_text_bytes(data: bytes) -> bool:
    from rules.checks._project import is_text

    return is_text(data)
