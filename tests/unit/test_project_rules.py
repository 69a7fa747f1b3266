"""The project-shape rules one by one: documentation examples, dual-kind registration, exact
file selection, command parsing, version specifiers, conform's schema and STD501's actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.checks.imports.std301_fastapi import DirectFastApi
from rules.checks.imports.std302_blocked_import import BlockedImport
from rules.checks.project.shell import Fragment, find_commands
from rules.checks.project.std402_non_uv_commands import NonUvDependencyCommand
from rules.checks.project.std405_python_version import admits_older
from rules.checks.project.std501_missing_standards_toml import MissingStandardsToml
from rules.config import Overrides, ProjectConfig, parse_standards_toml, resolve_settings
from rules.engine import Engine, SourceFile
from rules.models import Position, Range, Tier
from rules.registry import Registry, default_registry
from rules.rule import FileRule, RefactorRequest, Rule, UnitRule
from tests.unit.project_support import PROJECT_CODES

REGISTRY = default_registry()
PROJECT_RULES = [rule for rule in REGISTRY.rules if rule.code in PROJECT_CODES]


def test_every_project_code_is_registered_once() -> None:
    assert sorted(rule.code for rule in PROJECT_RULES) == sorted(PROJECT_CODES)


@pytest.mark.parametrize("rule_class", [DirectFastApi, BlockedImport, NonUvDependencyCommand])
def test_a_rule_of_both_kinds_gets_both_passes(rule_class: type[Rule]) -> None:
    rule = REGISTRY.get(rule_class.code)
    assert rule in REGISTRY.unit_rules and rule in REGISTRY.file_rules


def _settings(code: str):
    project = ProjectConfig(root="/nowhere", tier=Tier.PRODUCTION)
    return resolve_settings(project, None, Overrides(select=(code,)))


def test_std301_reports_the_import_and_the_dependency_through_one_engine() -> None:
    engine = Engine(Registry([DirectFastApi()]))
    settings = _settings("STD301")
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


# Which project-shape rules look at a file, by its path relative to the project root.
SELECTION = {
    "pyproject.toml": {
        "STD301",
        "STD302",
        "STD303",
        "STD401",
        "STD403",
        "STD404",
        "STD405",
        "STD406",
        "STD501",
        "STD503",
    },
    "standards.toml": {"STD502"},
    ".python-version": {"STD405"},
    "requirements.txt": {"STD401"},
    "requirements-dev.txt": {"STD401"},
    "Pipfile": {"STD401"},
    "Pipfile.lock": {"STD401"},
    "poetry.lock": {"STD401"},
    "environment.yml": {"STD401"},
    "mypy.ini": {"STD303"},
    ".flake8": {"STD303"},
    "setup.cfg": {"STD303"},
    "Dockerfile": {"STD402"},
    "docker/Dockerfile.prod": {"STD402"},
    ".github/workflows/ci.yml": {"STD402"},
    "scripts/setup.sh": {"STD402"},
    "Makefile": {"STD402"},
    "pkg/module.py": {"STD601"},
    "uv.lock": set(),
    "README.md": set(),
    "docs/ci.yml": set(),
    "requirements.in": set(),
    "pyproject.toml.bak": set(),
}


@pytest.mark.parametrize(("path", "codes"), SELECTION.items())
def test_file_rules_apply_to_exactly_their_files(path: str, codes: set[str]) -> None:
    selected = {
        rule.code for rule in PROJECT_RULES if isinstance(rule, FileRule) and rule.applies_to(path)
    }
    assert selected == codes


def _commands(text: str, in_image: bool = False) -> list[tuple[str, str | None]]:
    fragments = [
        Fragment(line=index, column=0, text=line) for index, line in enumerate(text.splitlines())
    ]
    return [(found.command, found.replacement) for found in find_commands(fragments, in_image)]


@pytest.mark.parametrize(
    ("text", "in_image", "expected"),
    [
        ("pip install uv", True, []),
        ("pip install --upgrade 'uv>=0.4'", True, []),
        ("uv pip install httpx", True, []),
        ("pipx install ruff", False, []),
        ("pip list", False, []),
        ("pip install httpx", True, [("pip install httpx", "uv pip install --system httpx")]),
        ("pip3 install httpx", False, [("pip3 install httpx", "uv add httpx")]),
        (
            "pip install -r requirements.txt",
            False,
            [("pip install -r requirements.txt", "uv sync")],
        ),
        ("sudo pip install .", False, [("pip install .", "uv sync")]),
        ("pip install --index-url X y", False, [("pip install --index-url X y", None)]),
        ("pip install poetry", False, [("pip install poetry", None)]),
        ("pip uninstall -y httpx", False, [("pip uninstall -y httpx", None)]),
        ("pip uninstall httpx", False, [("pip uninstall httpx", "uv remove httpx")]),
        ("cd app && poetry install --no-root", False, [("poetry install --no-root", "uv sync")]),
        (
            "poetry add --group dev pytest",
            False,
            [("poetry add --group dev pytest", "uv add --group dev pytest")],
        ),
        ("poetry run pytest -x", False, [("poetry run pytest -x", "uv run pytest -x")]),
        ("pipenv install", False, [("pipenv install", "uv sync")]),
        ("pipenv install requests", False, [("pipenv install requests", "uv add requests")]),
        ("conda install numpy", False, [("conda install numpy", None)]),
        ("pip-compile requirements.in", False, [("pip-compile requirements.in", "uv lock")]),
        ("python3 -m pytest tests", False, [("python3 -m pytest tests", "uv run pytest tests")]),
        ("python -m pytest", True, []),
        ("$(PYTHON) -m pip install -e .", False, [("$(PYTHON) -m pip install -e .", "uv sync")]),
        ("echo 'pip install x' # pip install y", False, []),
        ("if true; then pip install x; fi", False, [("pip install x", "uv add x")]),
        (
            "pip install \\\n  -r requirements.txt",
            False,
            [("pip install    -r requirements.txt", "uv sync")],
        ),
    ],
)
def test_dependency_commands_and_their_uv_equivalents(
    text: str, in_image: bool, expected: list[tuple[str, str | None]]
) -> None:
    assert _commands(text, in_image) == expected


SUBPROCESS_CASES = [
    ('subprocess.run(["pip", "install", "x"])\n', '["uv", "add", "x"]'),
    (
        'subprocess.check_call([sys.executable, "-m", "pip", "install", "-r", "r.txt"])\n',
        '["uv", "sync"]',
    ),
    ('os.system("pip install x")\n', '"uv add x"'),
    ('subprocess.run(("python", "-m", "pytest"))\n', '("uv", "run", "pytest",)'),
]


@pytest.mark.parametrize(("source", "replacement"), SUBPROCESS_CASES)
def test_subprocess_calls_are_flagged_with_a_literal_fix(source: str, replacement: str) -> None:
    engine = Engine(Registry([NonUvDependencyCommand()]))
    analysis = engine.check(
        SourceFile(text=f"import os\n{source}", settings=_settings("STD402"), path="/x/run.py")
    )
    (finding,) = analysis.findings
    assert finding.range.start.line == 1
    assert finding.fix is not None and finding.fix.edits is not None
    assert finding.fix.edits[0].new_text == replacement


def test_subprocess_with_computed_arguments_is_left_alone() -> None:
    engine = Engine(Registry([NonUvDependencyCommand()]))
    text = 'import subprocess\nsubprocess.run(["pip", "install", name])\nsubprocess.run(cmd)\n'
    analysis = engine.check(SourceFile(text=text, settings=_settings("STD402"), path="/x/a.py"))
    assert analysis.findings == []


@pytest.mark.parametrize(
    ("specifier", "older"),
    [
        (">=3.12", False),
        (">=3.12,<4", False),
        ("~=3.12", False),
        ("==3.12.*", False),
        (">=3.13", False),
        (">=3.9", True),
        (">3.11", True),
        ("<4", True),
        ("^3.12", True),
        (">=3.8, <3.13", True),
        ("", True),
    ],
)
def test_requires_python_lower_bound(specifier: str, older: bool) -> None:
    assert admits_older(specifier) is older


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ('[standards]\nruleset = "python-production"\n', []),
        (
            '[metadata]\ntier = "internal"\nstatus = "retired"\n',
            ["metadata.status must be one of: active, pre-release, deprecated"],
        ),
        ('[extends]\nrulesets = ["python-internal"]\n', []),
        (
            '[extends]\nrulesets = "python-internal"\n',
            ["[extends] rulesets must be a list of names"],
        ),
        (
            '[metadata]\ntier = "internal"\n[code.linting.ruff]\nenabled = "yes"\n',
            ["code.linting.ruff.enabled must be a boolean"],
        ),
        (
            '[metadata]\ntier = "internal"\n[[code.naming.rules]]\nextensions = ["py"]\n'
            'file_case = "snake_case"\nfolder_case = "snake_case"\nstyle = 1\n',
            ["'style' is not a key conform accepts in [code.naming.rules]"],
        ),
        (
            '[metadata]\ntier = "internal"\n[process.ci.jobs]\n"ci.yml" = ["test"]\n'
            '[mcp.standards]\nsource = "github:acme/standards"\n[monorepo]\nexclude = ["x/**"]\n',
            [],
        ),
        (
            '[metadata]\ntier = "internal"\n[tool.standards-lsp]\nselect = ["STD2"]\n',
            ["'tool' is not a key conform accepts in the top level"],
        ),
    ],
)
def test_conform_schema_problems(text: str, messages: list[str]) -> None:
    problems = parse_standards_toml(text, "standards.toml").problems
    assert [problem.message for problem in problems] == messages


def test_schema_problem_points_at_the_key() -> None:
    text = '[metadata]\ntier = "internal"\n\n[code.linting.ruff.lint]\nselect = ["E"]\nfoo = 1\n'
    (problem,) = parse_standards_toml(text, "standards.toml").problems
    assert problem.range.start == Position(line=5, character=0)


def test_std501_offers_one_action_per_ruleset(tmp_path: Path) -> None:
    rule = MissingStandardsToml()
    pyproject = tmp_path / "pyproject.toml"
    text = '[project]\nname = "a"\n'
    pyproject.write_text(text, encoding="utf-8")
    settings = _settings("STD501")
    (finding,) = (
        Engine(Registry([rule]))
        .check(SourceFile(text=text, settings=settings, path=str(pyproject)))
        .findings
    )
    request = RefactorRequest(
        text=text, range=finding.range, settings=settings, path=str(pyproject)
    )
    offers = rule.offer_refactorings(request)
    fixes = [finding.fix, *(rule.build_refactoring(request, offer) for offer in offers)]
    contents = sorted(fix.file_operations[0].content for fix in fixes if fix is not None)
    assert contents == [
        '[standards]\nruleset = "python-internal"\n',
        '[standards]\nruleset = "python-production"\n',
        '[standards]\nruleset = "python-prototype"\n',
    ]
    assert {fix.file_operations[0].path for fix in fixes if fix is not None} == {
        str(tmp_path / "standards.toml")
    }


def test_std601_rename_operation() -> None:
    engine = Engine()
    settings = _settings("STD601")
    (finding,) = engine.check(
        SourceFile(text="", settings=settings, path="/p/src/pkg/HttpClient.py")
    ).findings
    assert finding.fix is not None
    (operation,) = finding.fix.file_operations
    assert (operation.kind, operation.path, operation.new_path) == (
        "rename",
        "/p/src/pkg/HttpClient.py",
        "/p/src/pkg/http_client.py",
    )


def test_unit_rules_of_both_kinds_still_only_see_python(tmp_path: Path) -> None:
    assert isinstance(REGISTRY.get("STD402"), UnitRule)
    engine = Engine(Registry([NonUvDependencyCommand()]))
    text = "pip install x\n"  # not Python: must not be parsed as such
    analysis = engine.check(SourceFile(text=text, settings=_settings("STD402"), path="a.sh"))
    assert [finding.code for finding in analysis.findings] == ["STD402"]
