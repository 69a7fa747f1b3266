"""Whatever text a project file holds, the project rules report or skip: they never raise."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.config import Overrides, ProjectConfig, resolve_settings
from rules.engine import Engine, SourceFile
from rules.models import Tier
from tests.support.projects import PROJECT_CODES

NAMES = [
    "pyproject.toml",
    "standards.toml",
    ".python-version",
    "Dockerfile",
    ".github/workflows/ci.yml",
    "scripts/setup.sh",
    "Makefile",
    "setup.cfg",
    "requirements.txt",
]
# Fragments that steer random text towards what the rules look for.
PIECES = st.sampled_from(
    [
        "[project]\n",
        "[tool.poetry]\n",
        "[tool.mypy]\n",
        "[dependency-groups]\n",
        "dev = [\n",
        'dependencies = ["fastapi", "openai>=1"]\n',
        'requires-python = ">=3.9"\n',
        "]\n",
        "[standards]\n",
        'ruleset = "python-internal"\n',
        "[metadata]\ntier = 3\n",
        "RUN pip install \\\n",
        "  - run: |\n      pip install -r requirements.txt\n",
        "\tpoetry install\n",
        "3.9\n",
        '"',
        "\r\n",
        "\\",
        "\N{GRINNING FACE}",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=12).map("".join)
ENGINE = Engine()


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_project_rules_never_raise(
    name: str, text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root: Path = tmp_path_factory.getbasetemp() / "robust"
    path = root / name
    project = ProjectConfig(root=str(root), tier=Tier.PRODUCTION)
    file_settings = resolve_settings(project, str(path), Overrides(select=tuple(PROJECT_CODES)))
    analysis = ENGINE.check(
        SourceFile(text=text, settings=file_settings, path=str(path), project_root=str(root))
    )
    assert analysis.failures == []
    for finding in analysis.findings:
        assert finding.range.start.line <= finding.range.end.line
