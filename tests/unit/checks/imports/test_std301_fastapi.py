"""STD301 (FastAPI used directly): one rule of both kinds, the import and the dependency."""

from __future__ import annotations

from rules.checks.imports.std301_fastapi import DirectFastApi
from rules.engine import Engine, SourceFile
from rules.models import Position, Range
from rules.registry import Registry
from tests.support.engine import selected_settings


def test_std301_reports_the_import_and_the_dependency_through_one_engine() -> None:
    engine = Engine(Registry([DirectFastApi()]))
    settings = selected_settings("STD301")
    python = engine.check(
        SourceFile(text="import fastapi\n", settings=settings, path="/nowhere/app.py")
    )
    toml = engine.check(
        SourceFile(
            text='[project]\nname = "a"\ndependencies = [\n  "FastAPI[all]>=0.1",\n]\n',
            settings=settings,
            path="/nowhere/pyproject.toml",
        )
    )
    assert [finding.code for finding in python.findings] == ["STD301"]
    assert [finding.range for finding in toml.findings] == [
        Range(start=Position(line=3, character=2), end=Position(line=3, character=21))
    ]
