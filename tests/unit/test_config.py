"""Configuration: discovery, both forms of standards.toml, tiers, selection, per-file ignores."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.checks.imports.std301_fastapi import DirectFastApi
from rules.checks.imports.std302_blocked_import import BlockedImport
from rules.config import (
    ConfigResolver,
    Overrides,
    is_test_path,
    parse_standards_toml,
    parse_tool_settings,
)
from rules.models import Severity, Tier
from rules.registry import Registry

REGISTRY_FORM = """
[metadata]
tier = "internal"

[extends]
registry = "github:org/standards"
rulesets = ["base-internal", "python-internal"]

[code.linting.ruff.lint]
select = ["E", "F"]
"""

# These tests are about selection, not about the catalogue: a registry that only grows with
# new STD3xx rules must not change them.
IMPORT_RULES_ONLY = Registry([DirectFastApi(), BlockedImport()])


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ('[standards]\nruleset = "python-production"\n', Tier.PRODUCTION),
        ('[standards]\nruleset = "python-prototype"\n', Tier.PROTOTYPE),
        (REGISTRY_FORM, Tier.INTERNAL),
        ('[extends]\nrulesets = ["base-production", "python-production"]\n', Tier.PRODUCTION),
        ('[metadata]\ntier = "prototype"\n', Tier.PROTOTYPE),
    ],
)
def test_both_forms_give_the_tier(text: str, tier: Tier) -> None:
    parsed = parse_standards_toml(text, "standards.toml")
    assert parsed.tier is tier
    assert parsed.problems == ()


def test_malformed_toml_is_a_fatal_problem_at_its_position() -> None:
    parsed = parse_standards_toml('[standards]\nruleset = "python-production\n', "standards.toml")
    (problem,) = parsed.problems
    assert problem.fatal
    assert problem.range.start.line == 1
    assert problem.message.startswith("invalid TOML")


def test_unknown_ruleset_points_at_the_key() -> None:
    parsed = parse_standards_toml('[standards]\nruleset = "python-strict"\n', "standards.toml")
    (problem,) = parsed.problems
    assert parsed.tier is None
    assert "python-strict" in problem.message
    assert (problem.range.start.line, problem.range.start.character) == (1, 0)


def test_tier_and_rulesets_disagreeing_is_reported() -> None:
    text = '[metadata]\ntier = "production"\n\n[extends]\nrulesets = ["python-internal"]\n'
    parsed = parse_standards_toml(text, "standards.toml")
    assert parsed.tier is Tier.PRODUCTION
    assert any("disagrees" in problem.message for problem in parsed.problems)


def test_unknown_section_is_reported() -> None:
    parsed = parse_standards_toml('[standards]\nruleset = "python-internal"\n[bogus]\n', "s.toml")
    assert [problem.range.start.line for problem in parsed.problems] == [2]


def test_nearest_standards_toml_decides(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "standards.toml": '[standards]\nruleset = "python-production"\n',
            "sub/standards.toml": '[standards]\nruleset = "python-prototype"\n',
            "sub/pkg/mod.py": "",
            "other/mod.py": "",
        },
    )
    resolver = ConfigResolver()
    assert resolver.settings_for(str(tmp_path / "sub/pkg/mod.py")).tier is Tier.PROTOTYPE
    assert resolver.settings_for(str(tmp_path / "other/mod.py")).tier is Tier.PRODUCTION


def test_a_file_s_project_is_the_same_known_as_a_file_or_looked_up(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "standards.toml": '[standards]\nruleset = "python-production"\n',
            "sub/standards.toml": '[standards]\nruleset = "python-prototype"\n',
            "sub/mod.py": "",
        },
    )
    looked_up = ConfigResolver().project_for(tmp_path / "sub/mod.py")
    known = ConfigResolver().project_for_file(tmp_path / "sub/mod.py")
    assert known.root == looked_up.root == str(tmp_path / "sub")
    assert known.tier is looked_up.tier is Tier.PROTOTYPE


@pytest.mark.parametrize(
    "spelling",
    ["sub/./mod.py", "sub//mod.py", "./sub/mod.py", "{root}/sub/mod.py", "{root}//sub/./mod.py"],
)
def test_a_file_s_project_does_not_depend_on_how_its_path_is_spelt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    _write(tmp_path, {"sub/standards.toml": '[standards]\nruleset = "python-prototype"\n'})
    monkeypatch.chdir(tmp_path)
    known = ConfigResolver().project_for_file(spelling.format(root=tmp_path))
    assert known.root == str(tmp_path / "sub")
    assert known.tier is Tier.PROTOTYPE


def test_no_standards_toml_means_internal(tmp_path: Path) -> None:
    _write(tmp_path, {"mod.py": ""})
    project = ConfigResolver().project_for(tmp_path / "mod.py")
    assert project.standards is None
    assert project.tier is Tier.INTERNAL


def test_tier_severities_follow_the_rule_table(tmp_path: Path) -> None:
    _write(tmp_path, {"standards.toml": '[standards]\nruleset = "python-prototype"\n', "m.py": ""})
    settings = ConfigResolver().settings_for(str(tmp_path / "m.py"))
    assert settings.severities["STD301"] is Severity.WARNING
    assert "STD302" not in settings.severities


def test_select_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "standards.toml": '[standards]\nruleset = "python-production"\n',
            "pyproject.toml": (
                '[project]\nname = "demo"\n\n[tool.standards-lsp]\nselect = ["STD3"]\n'
                'ignore = ["STD301"]\nper-file-ignores = { "scripts/*.py" = ["STD302"] }\n'
            ),
            "scripts/run.py": "",
            "pkg/mod.py": "",
        },
    )
    resolver = ConfigResolver(registry=IMPORT_RULES_ONLY)
    assert set(resolver.settings_for(str(tmp_path / "pkg/mod.py")).severities) == {"STD302"}
    assert resolver.settings_for(str(tmp_path / "scripts/run.py")).severities == {}
    assert resolver.settings_for(str(tmp_path / "pkg/mod.py")).project_name == "demo"


def test_overrides_beat_files(tmp_path: Path) -> None:
    _write(tmp_path, {"standards.toml": '[standards]\nruleset = "python-production"\n', "m.py": ""})
    resolver = ConfigResolver(
        Overrides(tier=Tier.PROTOTYPE, ignore=("STD301",)), registry=IMPORT_RULES_ONLY
    )
    settings = resolver.settings_for(str(tmp_path / "m.py"))
    assert settings.tier is Tier.PROTOTYPE
    assert settings.severities == {}


def test_invalid_tool_settings_are_problems_with_positions() -> None:
    text = '[tool.standards-lsp]\nselect = "STD2"\nmagic = 3\nallowed-magic-values = ["x", 2]\n'
    parsed = parse_tool_settings(text, "pyproject.toml")
    assert parsed is not None
    lines = sorted(problem.range.start.line for problem in parsed.problems)
    assert lines == [1, 2]
    assert parsed.tool.options.allowed_magic_values == ("x", 2)


def test_invalidate_rereads_changed_files(tmp_path: Path) -> None:
    _write(tmp_path, {"standards.toml": '[standards]\nruleset = "python-production"\n', "m.py": ""})
    resolver = ConfigResolver()
    assert resolver.settings_for(str(tmp_path / "m.py")).tier is Tier.PRODUCTION
    _write(tmp_path, {"standards.toml": '[standards]\nruleset = "python-internal"\n'})
    resolver.invalidate()
    assert resolver.settings_for(str(tmp_path / "m.py")).tier is Tier.INTERNAL


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/p/tests/unit/test_x.py", True),
        ("/p/pkg/test_x.py", True),
        ("/p/pkg/x_test.py", True),
        ("/p/conftest.py", True),
        ("/p/pkg/contest.py", False),
        ("C:\\p\\testing\\x.py", True),
        ("tests.py", False),
        ("/p/tests_helpers/x.py", False),
        (None, False),
    ],
)
def test_test_paths(path: str | None, expected: bool) -> None:
    assert is_test_path(path) is expected


def test_tool_table_above_the_project_root_does_not_apply(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": '[tool.standards-lsp]\nignore = ["STD301"]\n',
            "inner/standards.toml": '[standards]\nruleset = "python-production"\n',
            "inner/m.py": "",
        },
    )
    settings = ConfigResolver().settings_for(str(tmp_path / "inner/m.py"))
    assert "STD301" in settings.severities


def test_directories_of_one_tree_each_get_their_nearest_files(tmp_path: Path) -> None:
    """The look-ups are remembered per folder: a directory resolved after its siblings and its
    children still gets its own nearest files (a pyproject without the tool table is passed
    over for the one above it, which also names the project only where it is the nearest)."""
    _write(
        tmp_path,
        {
            "standards.toml": '[standards]\nruleset = "python-production"\n',
            "pyproject.toml": '[project]\nname = "outer"\n[tool.standards-lsp]\nignore = ["STD301"]\n',
            "a/pyproject.toml": '[project]\nname = "inner"\n',
            "a/deep/er/m.py": "",
            "a/m.py": "",
            "b/standards.toml": '[standards]\nruleset = "python-prototype"\n',
            "b/m.py": "",
            "c/m.py": "",
        },
    )
    resolver = ConfigResolver(registry=IMPORT_RULES_ONLY)
    deep = resolver.settings_for(str(tmp_path / "a/deep/er/m.py"))
    shallow = resolver.settings_for(str(tmp_path / "a/m.py"))
    for settings in (deep, shallow):
        assert settings.tier is Tier.PRODUCTION
        assert "STD301" not in settings.severities
        assert settings.project_name == "inner"
    assert resolver.project_for(tmp_path / "a/m.py").root == str(tmp_path)
    assert resolver.settings_for(str(tmp_path / "b/m.py")).tier is Tier.PROTOTYPE
    assert "STD301" in resolver.settings_for(str(tmp_path / "b/m.py")).severities
    assert resolver.settings_for(str(tmp_path / "c/m.py")).project_name == "outer"


def test_excluded_paths_are_not_walked_unless_named(tmp_path: Path) -> None:
    from rules.walk import iter_files

    _write(
        tmp_path,
        {
            "pyproject.toml": '[tool.standards-lsp]\nexclude = ["examples/"]\n',
            "pkg/a.py": "",
            "examples/demo/b.py": "",
            ".gitignore": "generated/\n",
            "generated/c.py": "",
            ".venv/lib/d.py": "",
        },
    )
    resolver = ConfigResolver()

    def names(root: Path) -> list[str]:
        found = iter_files([root], lambda path: path.suffix == ".py", resolver.is_excluded)
        return [path.relative_to(tmp_path).as_posix() for path in found]

    assert names(tmp_path) == ["pkg/a.py"]
    assert names(tmp_path / "examples") == ["examples/demo/b.py"]
