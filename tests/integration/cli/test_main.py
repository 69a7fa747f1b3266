"""The `standards-lsp` command as CI runs it: formats, exit codes, fixing, documentation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.docs import README_RULES_BEGIN, README_RULES_END, render_rule_table
from rules.registry import default_registry
from tests.support.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, run
from tests.support.engine import stdlib_sample
from tests.support.paths import EXAMPLE_EXPECTED, PRODUCTION_STANDARDS, REPOSITORY
from tests.support.projects import write_files

# A module that lists its own classes: a new module-level import would be among them.
LISTS_ITS_CLASSES = """import inspect
import sys


class NotFound(Exception):
    status_code = 404


def error_classes():
    return inspect.getmembers(sys.modules[__name__], inspect.isclass)
"""


def test_json_output_on_the_example_is_exactly_as_documented() -> None:
    result = run("check", "--format", "json", "examples/demo")
    assert result.returncode == EXIT_FINDINGS, result.stderr
    document = json.loads(result.stdout)
    assert document == json.loads(EXAMPLE_EXPECTED.read_text(encoding="utf-8"))
    assert list(document) == ["version", "findings", "summary"]
    keys = ["path", "code", "severity", "message", "start", "end", "fix"]
    assert all(list(finding) == keys for finding in document["findings"])
    order = [
        (f["path"], f["start"]["line"], f["start"]["column"], f["code"])
        for f in document["findings"]
    ]
    assert order == sorted(order)


def test_text_output_and_exit_codes(tmp_path: Path) -> None:
    project = write_files(
        tmp_path,
        {"standards.toml": PRODUCTION_STANDARDS, "app.py": "import openai\n", "ok.py": "x = 1\n"},
    )
    result = run("check", "app.py", cwd=project)
    assert result.returncode == EXIT_FINDINGS
    assert (
        result.stdout.splitlines()[0]
        == "app.py:1:8: STD302 `openai` is blocked: Use the llm package"
    )
    assert "\033[" not in result.stdout
    clean = run("check", "ok.py", cwd=project)
    assert (clean.returncode, clean.stdout.strip()) == (EXIT_CLEAN, "All checks passed!")


def test_no_standards_toml_is_said_once(tmp_path: Path) -> None:
    project = write_files(tmp_path, {"a/one.py": "x = 1\n", "b/two.py": "y = 2\n"})
    result = run("check", ".", cwd=project)
    assert result.returncode == EXIT_CLEAN
    assert result.stderr.count("no standards.toml") == 1
    assert "python-internal" in result.stderr


def test_malformed_standards_toml_exits_2_with_position(tmp_path: Path) -> None:
    project = write_files(tmp_path, {"standards.toml": "[standards\n", "app.py": "x = 1\n"})
    result = run("check", ".", cwd=project)
    assert result.returncode == EXIT_ERROR
    assert "standards.toml:1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", "--format", "xml", cwd=tmp_path).returncode == EXIT_ERROR
    assert run("explain", "STD000", cwd=tmp_path).returncode == EXIT_ERROR
    assert run("frobnicate", cwd=tmp_path).returncode == EXIT_ERROR


def test_select_ignore_and_tier_overrides(tmp_path: Path) -> None:
    source = "import openai\nfrom fastapi import FastAPI\n"
    project = write_files(tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "app.py": source})

    def codes(*options: str) -> list[str]:
        result = run("check", "--format", "json", *options, cwd=project)
        return [finding["code"] for finding in json.loads(result.stdout)["findings"]]

    assert codes() == ["STD302", "STD301"]
    assert codes("--select", "STD301") == ["STD301"]
    assert codes("--ignore", "STD301") == ["STD302"]
    assert codes("--tier", "prototype") == ["STD301"]


def test_sarif_is_valid_enough_for_code_scanning(tmp_path: Path) -> None:
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "pkg/app.py": "import anthropic\n"}
    )
    result = run("check", "--format", "sarif", cwd=project)
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    assert {rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]} >= {"STD301", "STD302"}
    (finding,) = sarif_run["results"]
    assert finding["ruleId"] == "STD302"
    assert finding["level"] == "error"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pkg/app.py"
    assert location["region"] == {"startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 17}


def test_explain_prints_the_rule_page() -> None:
    result = run("explain", "std302")
    assert result.returncode == EXIT_CLEAN
    assert result.stdout.startswith("# STD302 blocked-import")
    assert "## Why" in result.stdout


def test_rules_lists_every_rule_for_the_tier() -> None:
    result = run("rules", "--tier", "prototype")
    assert "prototype tier" in result.stdout
    for code in default_registry().codes:
        assert code in result.stdout


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    begin = readme.index(README_RULES_BEGIN) + len(README_RULES_BEGIN)
    section = readme[begin : readme.index(README_RULES_END)]
    assert section.strip() == render_rule_table(default_registry()).strip(), (
        "README rule table is stale: run `uv run python -m rules.docs` to regenerate it"
    )


def test_rule_pages_are_generated_from_the_registry() -> None:
    from rules.docs import render_rule

    for rule in default_registry().rules:
        page = REPOSITORY / "docs" / "rules" / f"{rule.code}.md"
        assert page.read_text(encoding="utf-8") == render_rule(rule), (
            f"{page} is stale: run `uv run python -m rules.docs` (or `make docs`)"
        )


def test_fix_diff_and_fix_in_place(tmp_path: Path) -> None:
    project = write_files(
        tmp_path,
        {"standards.toml": PRODUCTION_STANDARDS, "app.py": "import openai  # noqa: STD302\n"},
    )
    result = run("fix", "--diff", ".", cwd=project)
    assert result.returncode == EXIT_CLEAN
    assert "Would fix 0 findings" in result.stderr


def test_fix_counts_one_finding_and_one_file_in_the_singular(tmp_path: Path) -> None:
    project = write_files(
        tmp_path,
        {
            "standards.toml": PRODUCTION_STANDARDS,
            "app.py": "def fee(amount):\n    return amount * 0.025\n",
        },
    )
    result = run("fix", "--unsafe", ".", cwd=project)
    assert "Fixed 1 finding in 1 file." in result.stderr


@pytest.mark.corpus
def test_check_over_a_stdlib_sample_never_crashes(tmp_path: Path) -> None:
    files = [str(path) for path in stdlib_sample()]
    result = run("check", "--format", "json", *files, cwd=tmp_path)
    assert result.returncode in {EXIT_CLEAN, EXIT_FINDINGS}, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["files"] == len(files)


def test_a_fix_the_module_cannot_take_is_not_counted_and_fix_says_why(tmp_path: Path) -> None:
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "errors.py": LISTS_ITS_CLASSES}
    )
    checked = run("check", "--select", "STD201", ".", cwd=project)
    assert "HTTPStatus.NOT_FOUND" in checked.stdout
    assert "[*]" not in checked.stdout and "fixable" not in checked.stdout, checked.stdout
    fixed = run("fix", "--select", "STD201", ".", cwd=project)
    assert (
        "errors.py:6: STD201 not fixed: the module lists its own names "
        "(line 10: `sys.modules[__name__]`)" in fixed.stderr
    ), fixed.stderr
    assert "Fixed 0 findings" in fixed.stderr and "1 finding remains." in fixed.stderr
    assert (project / "errors.py").read_text(encoding="utf-8") == LISTS_ITS_CLASSES
    listed = LISTS_ITS_CLASSES.replace("inspect.getmembers(sys.modules[__name__]", "(NotFound")
    (project / "errors.py").write_text(listed, encoding="utf-8")
    assert "[*]" in run("check", "--select", "STD201", ".", cwd=project).stdout


def test_a_rename_is_not_counted_fixable_and_fix_says_it_renames_no_file(tmp_path: Path) -> None:
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "BadName.py": "VALUE = 1\n"}
    )
    checked = run("check", "--select", "STD601", ".", cwd=project)
    assert "STD601" in checked.stdout and "fixable" not in checked.stdout, checked.stdout
    fixed = run("fix", "--unsafe", "--select", "STD601", ".", cwd=project)
    assert "STD601 not fixed: it renames or creates files" in fixed.stderr, fixed.stderr
    assert (project / "BadName.py").exists()
