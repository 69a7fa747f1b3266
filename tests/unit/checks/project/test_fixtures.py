"""The fixture repositories give exactly their expected findings, and every fix clears its
finding and leaves a file that parses."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Finding
from rules.rule import FixRequest
from tests.support.projects import (
    FIXTURE_NAMES,
    PROJECT_CODES,
    copy_fixture,
    expected_findings,
    finding_record,
    project_findings,
)


def test_every_fixture_the_issue_asks_for_exists() -> None:
    assert set(FIXTURE_NAMES) == {
        "broken_standards",
        "cdk_app",
        "clean_uv",
        "livekit_agent",
        "llm_service",
        "long_script",
        "no_standards",
        "old_python",
        "pip_docker",
        "plain_service",
        "poetry_project",
        "sam_app",
        "serverless_app",
        "uv_workspace",
        "weak_ruff",
    }


# The project rules no fixture repository shows, each with the reason and where it is tested.
NOT_IN_ANY_FIXTURE = {
    "STD601": "its fix renames the file (the fix test below applies only file creations); "
    "tests/unit/checks/project/test_rules.py tests the rename",
}


def test_every_project_rule_is_shown_by_some_fixture() -> None:
    """A new project rule (any `FileRule` in the registry) fails here until a fixture shows it
    (then `python -m tests.regenerate`) or it is listed above with its reason."""
    shown = {str(record["code"]) for name in FIXTURE_NAMES for record in expected_findings(name)}
    assert shown <= PROJECT_CODES
    assert not shown & NOT_IN_ANY_FIXTURE.keys()
    assert sorted(PROJECT_CODES - shown) == sorted(NOT_IN_ANY_FIXTURE)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_gives_exactly_its_expected_findings(name: str, tmp_path: Path) -> None:
    root = copy_fixture(name, tmp_path)
    assert project_findings(root) == expected_findings(name)


# Projects the standard is content with (an llm service and a livekit agent have their reason).
CLEAN_FIXTURES = frozenset({"clean_uv", "livekit_agent", "llm_service"})


def test_the_clean_projects_are_clean_and_the_others_are_not() -> None:
    for name in FIXTURE_NAMES:
        assert (expected_findings(name) == []) == (name in CLEAN_FIXTURES), name


def _check(root: Path, relative: str, resolver: ConfigResolver) -> list[Finding]:
    path = root / relative
    text = path.read_text(encoding="utf-8") if path.exists() else None
    settings = resolver.settings_for(str(path))
    analysis = Engine().check(
        SourceFile(text=text, settings=settings, path=str(path), project_root=str(root))
    )
    return [finding for finding in analysis.findings if finding.code in PROJECT_CODES]


def _assert_parses(path: Path, text: str) -> None:
    name = path.name
    if name.endswith(".toml"):
        tomllib.loads(text)
    elif name.endswith((".yml", ".yaml")):
        yaml.safe_load(text)
    elif name == "Dockerfile":
        for line in text.splitlines():
            stripped = line.strip()
            assert (
                not stripped
                or stripped.startswith("#")
                or stripped.split()[0].isupper()
                or (line.startswith((" ", "\t")))
            ), line
    elif name.endswith(".py"):
        compile(text, name, "exec")


def _fixable(name: str) -> list[tuple[str, int]]:
    records = expected_findings(name)
    return [
        (str(record["path"]), index)
        for index, record in enumerate(records)
        if record["fix"] is not None
    ]


FIXABLE = [(name, path, index) for name in FIXTURE_NAMES for path, index in _fixable(name)]


@pytest.mark.parametrize(("name", "relative", "index"), FIXABLE)
def test_every_fix_parses_and_clears_its_finding(
    name: str, relative: str, index: int, tmp_path: Path
) -> None:
    root = copy_fixture(name, tmp_path)
    resolver = ConfigResolver()
    record = expected_findings(name)[index]
    findings = _check(root, relative, resolver)
    (finding,) = [found for found in findings if finding_record(relative, found) == record]
    path = root / relative
    text = path.read_text(encoding="utf-8")
    fix = Engine().resolve_fix(
        FixRequest(
            text=text, finding=finding, settings=resolver.settings_for(str(path)), path=str(path)
        )
    )
    assert fix is not None
    new_text = apply_edits(text, fix.edits or [])
    path.write_text(new_text, encoding="utf-8")
    for operation in fix.file_operations:
        assert operation.kind == "create"
        Path(operation.path).write_text(operation.content, encoding="utf-8")
        _assert_parses(Path(operation.path), operation.content)
    _assert_parses(path, new_text)
    resolver.invalidate()
    after = [finding_record(relative, found) for found in _check(root, relative, resolver)]
    remaining = [other for other in after if other["code"] == record["code"]]
    before = [other for other in expected_findings(name) if other["path"] == relative]
    assert len(remaining) == len([other for other in before if other["code"] == record["code"]]) - 1
