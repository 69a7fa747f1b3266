"""Adopting the standard: baselines that survive moved code, `--add-noqa`, `required-version`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from rules.baseline import BASELINE_FILE
from rules.config import version_refusal
from rules.engine import Engine, SourceFile
from server.configuration import Configuration, EditorSettings
from server.documents import Document
from tests.support.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, run
from tests.support.paths import PRODUCTION_STANDARDS, REPOSITORY
from tests.support.projects import write_files

HELPERS = "def helper():\n    return 7 * 3\n\n\n"
FETCH = 'def fetch(client):\n    return client.get("https://x.example.com/v1/a")\n\n\n'
TAIL = "def last():\n    return None\n"


def _codes(project: Path, *arguments: str) -> list[str]:
    result = run("check", "--no-cache", "--format", "json", *arguments, cwd=project)
    return [finding["code"] for finding in json.loads(result.stdout)["findings"]]


def _baselined(tmp_path: Path) -> Path:
    project = write_files(
        tmp_path,
        {
            "standards.toml": PRODUCTION_STANDARDS,
            "app.py": "import os\n\n\n" + HELPERS + FETCH + TAIL,
        },
    )
    assert _codes(project)  # today's findings
    result = run("baseline", "--no-cache", cwd=project)
    assert result.returncode == EXIT_CLEAN, result.stderr
    assert (project / BASELINE_FILE).is_file()
    return project


def test_baseline_hides_todays_findings_and_shows_new_ones(tmp_path: Path) -> None:
    project = _baselined(tmp_path)
    result = run("check", "--no-cache", cwd=project)
    assert result.returncode == EXIT_CLEAN, result.stdout
    assert "baselined findings hidden" in result.stderr
    assert _codes(project, "--show-baselined")
    app = project / "app.py"
    app.write_text(app.read_text(encoding="utf-8") + "\n\ndef new():\n    return 99 * 2\n")
    assert _codes(project) == ["STD201"]


def test_baseline_survives_lines_inserted_above(tmp_path: Path) -> None:
    project = _baselined(tmp_path)
    app = project / "app.py"
    app.write_text('"""A docstring."""\n\n# more\n# lines\n' + app.read_text(encoding="utf-8"))
    assert _codes(project) == []


def test_baseline_survives_a_function_moved_elsewhere_in_the_file(tmp_path: Path) -> None:
    project = _baselined(tmp_path)
    (project / "app.py").write_text("import os\n\n\n" + TAIL + "\n\n" + FETCH + HELPERS)
    assert _codes(project) == []


def test_an_explicit_baseline_file(tmp_path: Path) -> None:
    project = write_files(tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "app.py": HELPERS})
    assert run("baseline", "--no-cache", "--baseline", "b.json", cwd=project).returncode == 0
    assert _codes(project) == ["STD201", "STD201"]
    assert _codes(project, "--baseline", "b.json") == []
    missing = run("check", "--no-cache", "--baseline", "nope.json", cwd=project)
    assert missing.returncode == EXIT_ERROR


def test_the_server_hides_baselined_findings_unless_asked(tmp_path: Path) -> None:
    project = _baselined(tmp_path)
    path = project / "app.py"
    document = Document(path.as_uri(), path.read_text(encoding="utf-8"), 1)
    configuration = Configuration()
    text = path.read_text(encoding="utf-8")
    source = SourceFile(text=text, settings=configuration.settings_for(document), path=str(path))
    findings = Engine().check(source).findings
    assert findings
    lines = text.splitlines(keepends=True)
    assert configuration.view_for(document).shown(findings, lines) == []
    configuration.set_editor_settings(EditorSettings(show_baselined=True))
    assert configuration.view_for(document).shown(findings, lines) == findings


def test_add_noqa_suppresses_every_finding(tmp_path: Path) -> None:
    text = 'import os\nMSG = """a\n42 in text"""\n\n\ndef f(x):\n    return x * 42  # noqa: E501\n'
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "app.py": text + HELPERS}
    )
    result = run("check", "--no-cache", "--add-noqa", cwd=project)
    assert result.returncode == EXIT_CLEAN, result.stderr
    fixed = (project / "app.py").read_text(encoding="utf-8")
    assert "return x * 42  # noqa: E501, STD201\n" in fixed
    assert "return 7 * 3  # noqa: STD201\n" in fixed
    remaining = _codes(project)
    assert set(remaining) <= {"STD902"}  # production asks for reasons


def test_required_version_refuses_a_version_outside_the_range(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.standards-lsp]\nrequired-version = ">=99"\n'
    project = write_files(
        tmp_path,
        {"standards.toml": PRODUCTION_STANDARDS, "pyproject.toml": pyproject, "a.py": "A = 1\n"},
    )
    result = run("check", "--no-cache", "a.py", cwd=project)
    assert result.returncode == EXIT_ERROR
    assert "required-version is '>=99'" in result.stderr
    assert "uv tool install" in result.stderr
    (project / "pyproject.toml").write_text(pyproject.replace(">=99", ">=0.1"))
    assert run("check", "--no-cache", "a.py", cwd=project).returncode in {EXIT_CLEAN, EXIT_FINDINGS}


def test_version_refusal_messages() -> None:
    assert version_refusal(None, "0.1.0") is None
    assert version_refusal(">=0.1,<0.2", "0.1.5") is None
    refusal = version_refusal(">=0.2", "0.1.0")
    assert refusal is not None and "0.1.0 is running" in refusal
    invalid = version_refusal("banana", "0.1.0")
    assert invalid is not None and "not a PEP 440" in invalid


def test_the_server_shows_only_the_settings_finding_when_it_refuses(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.standards-lsp]\nrequired-version = ">=99"\n'
    project = write_files(
        tmp_path, {"standards.toml": PRODUCTION_STANDARDS, "pyproject.toml": pyproject}
    )
    path = project / "a.py"
    path.write_text("import openai\n", encoding="utf-8")
    configuration = Configuration()
    told: list[str] = []
    configuration.on_refusal.append(told.append)
    document = Document(path.as_uri(), "import openai\n", 1)
    view = configuration.view_for(document)
    configuration.view_for(document)
    assert len(told) == 1 and ">=99" in told[0]
    assert view.refusal is not None


def test_pre_commit_hooks_run_the_command() -> None:
    hooks = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"standards-lsp-check", "standards-lsp-fix"}
    for hook in hooks:
        command, subcommand, *options = hook["entry"].split()
        assert command == "standards-lsp"
        assert run(subcommand, *options, "--help").returncode == EXIT_CLEAN
        assert hook["language"] == "python"
