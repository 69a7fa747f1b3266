"""STD403: another package manager's table in pyproject.toml ([tool.poetry], [tool.pdm], ...)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import PYPROJECT, first_header, parse_toml, table
from rules.registry import register
from rules.rule import FileContext, FileRule

# `[tool.X]` tables of the managers uv replaces.
OTHER_MANAGERS = ("poetry", "pdm", "rye", "pixi", "pipenv", "conda")
STD403 = "STD403"


@register
class OtherManagerTable(FileRule):
    code = STD403
    name = "other-manager-table"
    summary = "pyproject.toml configures another package manager ([tool.poetry], [tool.pdm], ...)"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (PYPROJECT,)
    doc = RuleDoc(
        what=(
            "Flags `[tool.poetry]`, `[tool.pdm]`, `[tool.rye]`, `[tool.pixi]`, `[tool.pipenv]` "
            "and `[tool.conda]` tables (and their sub-tables) in `pyproject.toml`, at the first "
            "header of each."
        ),
        why=(
            "uv is the only permitted package manager. Another manager's table declares "
            "dependencies and settings uv ignores, so the project installs differently depending "
            "on who runs it. Move dependencies to `[project]` / `[dependency-groups]` (`uv add`) "
            "and delete the table."
        ),
        bad=[
            RuleExample(
                source=(
                    '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n'
                    '[tool.poetry.dependencies]\npython = "^3.12"\n'
                ),
                path=PYPROJECT,
                expected_codes=[STD403],
            ),
        ],
        good=[
            RuleExample(
                source=(
                    '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n\n'
                    "[tool.uv]\npackage = true\n"
                ),
                path=PYPROJECT,
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            return
        tools = table(parse_toml(context.text), "tool") or {}
        for manager in OTHER_MANAGERS:
            if manager not in tools:
                continue
            header = first_header(context.text, f"tool.{manager}")
            if header is None:
                continue  # written as a dotted key or inline table: no header to point at
            yield self.finding(
                f"[tool.{manager}] configures {manager}: uv is the only package manager "
                "(declare dependencies in [project] with `uv add`)",
                header.range,
            )
