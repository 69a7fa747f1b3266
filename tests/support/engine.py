"""Engine-level helpers: settings for a tier or for chosen rules, the source text a rule flags,
and a deterministic sample of the interpreter's standard library."""

from __future__ import annotations

from pathlib import Path

from rules.config import Overrides, ProjectConfig, resolve_settings
from rules.engine import Engine, SourceFile
from rules.models import Severity, Tier
from rules.settings import FileSettings, Options
from tests.support.paths import STDLIB

# Every how-many-th stdlib file the corpus tests read: a deterministic, bounded sample.
CORPUS_STRIDE = 40
# The three constants rules at their production severities.
CONSTANTS_SETTINGS = FileSettings(
    tier=Tier.PRODUCTION,
    severities={"STD201": Severity.ERROR, "STD202": Severity.ERROR, "STD203": Severity.WARNING},
)


def settings_for(tier: Tier = Tier.PRODUCTION, path: str = "/project/module.py") -> FileSettings:
    """Settings of a project with no configuration but its tier."""
    return resolve_settings(ProjectConfig(root="/project", tier=tier), path)


def selected_settings(*codes: str) -> FileSettings:
    """Production settings of a project outside any folder with only `codes` selected."""
    project = ProjectConfig(root="/nowhere", tier=Tier.PRODUCTION)
    return resolve_settings(project, None, Overrides(select=codes))


def rule_settings(
    *codes: str, options: Options | None = None, is_test: bool = False
) -> FileSettings:
    """Settings that turn on exactly `codes`, each as an error."""
    return FileSettings(
        tier=Tier.PRODUCTION,
        severities=dict.fromkeys(codes, Severity.ERROR),
        options=options or Options(),
        is_test=is_test,
    )


def flagged(
    code: str, text: str, options: Options | None = None, is_test: bool = False
) -> list[str]:
    """The source text of every `code` finding in `text` (only `code` turned on)."""
    file_settings = rule_settings(code, options=options, is_test=is_test)
    analysis = Engine().check(SourceFile(text=text, settings=file_settings))
    assert not analysis.failures
    lines = text.splitlines()
    return [
        lines[f.range.start.line][f.range.start.character : f.range.end.character]
        for f in analysis.findings
        if f.code == code
    ]


def stdlib_sample(stride: int = CORPUS_STRIDE) -> list[Path]:
    """Every `stride`-th Python file of the running interpreter's standard library."""
    files = sorted(STDLIB.rglob("*.py"))
    return files[::stride]
