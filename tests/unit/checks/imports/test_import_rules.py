"""STD301 and STD302: the llm package itself is exempt from both; Poetry's dependency tables
are read like PEP 621's."""

from __future__ import annotations

import pytest

from rules.checks.imports.std301_fastapi import DirectFastApi
from rules.checks.imports.std302_blocked_import import BlockedImport
from rules.config import Overrides, ProjectConfig, resolve_settings
from rules.engine import Engine, SourceFile
from rules.models import Position, Range, Tier
from rules.registry import Registry

POETRY_PYPROJECT = (
    '[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = "^3.12"\n'
    'fastapi = "^0.110"\n\n[tool.poetry.group.dev.dependencies]\n"openai" = "*"\n'
)


def _check(rule, text: str, path: str, project_name: str | None = None) -> list:
    project = ProjectConfig(root="/nowhere", tier=Tier.PRODUCTION, project_name=project_name)
    settings = resolve_settings(project, None, Overrides(select=(rule.code,)))
    return (
        Engine(Registry([rule])).check(SourceFile(text=text, settings=settings, path=path)).findings
    )


def test_std301_reads_poetry_dependency_tables_at_the_key() -> None:
    findings = _check(DirectFastApi(), POETRY_PYPROJECT, "/nowhere/pyproject.toml")
    assert [finding.range for finding in findings] == [
        Range(start=Position(line=5, character=0), end=Position(line=5, character=7))
    ]


def test_std302_reads_poetry_groups_with_quoted_keys() -> None:
    findings = _check(BlockedImport(), POETRY_PYPROJECT, "/nowhere/pyproject.toml")
    assert [finding.range for finding in findings] == [
        Range(start=Position(line=8, character=0), end=Position(line=8, character=8))
    ]


@pytest.mark.parametrize("rule", [DirectFastApi(), BlockedImport()])
@pytest.mark.parametrize("name", ["llm", "progression-labs-llm", "Progression_Labs.LLM"])
def test_the_llm_package_itself_is_exempt(rule, name: str) -> None:
    source = "import fastapi\nimport openai\nfrom langfuse import observe\n"
    assert _check(rule, source, "/nowhere/llm/client.py", project_name=name) == []
    assert _check(rule, source, "/nowhere/svc/client.py", project_name="svc") != []
