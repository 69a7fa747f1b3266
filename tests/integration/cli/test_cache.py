"""The command line and the result cache: the same output with and without it, read and written
in worker processes too, off with `--no-cache` or the environment, elsewhere with `--cache-dir`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.models import Finding, Position, Range
from server.batch import PARALLEL_THRESHOLD
from server.result_cache import CACHEDIR_TAG_NAME, GITIGNORE_NAME, NO_CACHE_VARIABLE
from tests.support.cli import CACHE_DIRECTORY, EXIT_FINDINGS, cache_entries, run
from tests.support.paths import PRODUCTION_STANDARDS
from tests.support.projects import write_files

APP = "import openai\n\n\ndef total(price):\n    return price * 1.19\n"
FIXABLE = 'import subprocess\n\nsubprocess.run(["pip", "install", "httpx"], check=True)\n'
TAMPERED_MESSAGE = "this finding comes from the cache"


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is on even where the environment of the test run turns it off."""
    monkeypatch.delenv(NO_CACHE_VARIABLE, raising=False)


def _project(root: Path, files: dict[str, str]) -> Path:
    return write_files(root, {"standards.toml": PRODUCTION_STANDARDS, **files})


def test_a_second_run_reads_the_cache_and_prints_the_same(tmp_path: Path) -> None:
    project = _project(tmp_path, {"app.py": APP, "pkg/ok.py": "X = 1\n"})
    first = run("check", ".", cwd=project)
    assert first.returncode == EXIT_FINDINGS, first.stderr
    entries = cache_entries(project / CACHE_DIRECTORY)
    assert len(entries) == len(["app.py", "pkg/ok.py"])
    assert (project / CACHE_DIRECTORY / GITIGNORE_NAME).is_file()
    assert (project / CACHE_DIRECTORY / CACHEDIR_TAG_NAME).is_file()
    for output_format in ("text", "json", "sarif"):
        uncached = run("check", "--no-cache", "--format", output_format, ".", cwd=project)
        cached = run("check", "--format", output_format, ".", cwd=project)
        assert (cached.returncode, cached.stdout) == (uncached.returncode, uncached.stdout)
    # the entries are what the second run printed: a planted finding shows
    planted = Finding(
        code="STD201",
        message=TAMPERED_MESSAGE,
        range=Range(start=Position(line=0, character=0), end=Position(line=0, character=1)),
    )
    for entry in entries:
        entry.write_text(f"[{planted.model_dump_json()}]", encoding="utf-8")
    assert TAMPERED_MESSAGE in run("check", ".", cwd=project).stdout


def test_a_broken_entry_is_checked_anew(tmp_path: Path) -> None:
    project = _project(tmp_path, {"app.py": APP})
    expected = run("check", ".", cwd=project).stdout
    (entry,) = cache_entries(project / CACHE_DIRECTORY)
    entry.write_text('[{"code": "STD2', encoding="utf-8")
    assert run("check", ".", cwd=project).stdout == expected


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, {"app.py": APP})
    assert run("check", "--no-cache", ".", cwd=project).returncode == EXIT_FINDINGS
    assert not (project / CACHE_DIRECTORY).exists()


def test_the_environment_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path, {"app.py": APP})
    monkeypatch.setenv(NO_CACHE_VARIABLE, "1")
    assert run("check", ".", cwd=project).returncode == EXIT_FINDINGS
    assert not (project / CACHE_DIRECTORY).exists()


def test_cache_dir_puts_the_entries_elsewhere(tmp_path: Path) -> None:
    project = _project(tmp_path / "project", {"app.py": APP})
    elsewhere = tmp_path / "elsewhere"
    first = run("check", "--cache-dir", str(elsewhere), ".", cwd=project)
    second = run("check", "--cache-dir", str(elsewhere), ".", cwd=project)
    assert first.stdout == second.stdout
    assert not (project / CACHE_DIRECTORY).exists()
    assert len(cache_entries(elsewhere)) == 1
    assert (elsewhere / CACHEDIR_TAG_NAME).is_file()


def test_a_project_without_standards_toml_gets_no_cache(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    run("check", ".", cwd=tmp_path)
    assert not (tmp_path / CACHE_DIRECTORY).exists()


def test_worker_processes_read_and_write_the_cache(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 1
    files = {f"module_{index}.py": f"def f():\n    return {index + 2}\n" for index in range(count)}
    project = _project(tmp_path, files)
    first = run("check", "--format", "json", ".", cwd=project)
    assert len(cache_entries(project / CACHE_DIRECTORY)) == count
    second = run("check", "--format", "json", ".", cwd=project)
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert json.loads(first.stdout)["summary"]["files"] == count + 1  # and standards.toml


def test_a_run_with_some_files_cached_reports_in_order(tmp_path: Path) -> None:
    """Cached files are read by the command itself, the others checked by workers: the report
    keeps the order of a run without the cache."""
    count = PARALLEL_THRESHOLD * 2
    files = {
        f"module_{index:03}.py": f"def f():\n    return {index + 2}\n" for index in range(count)
    }
    project = _project(tmp_path, files)
    run("check", ".", cwd=project)
    for index in range(0, count, 2):  # every other file changes: half the run is cached
        (project / f"module_{index:03}.py").write_text(f"def f():\n    return {index + 3}\n")
    mixed = run("check", "--format", "json", ".", cwd=project)
    uncached = run("check", "--no-cache", "--format", "json", ".", cwd=project)
    assert json.loads(mixed.stdout) == json.loads(uncached.stdout)


def test_the_walk_skips_the_cache_directory(tmp_path: Path) -> None:
    project = _project(tmp_path, {"app.py": "X = 1\n", f"{CACHE_DIRECTORY}/Stray-Name.py": APP})
    result = run("check", "--format", "json", ".", cwd=project)
    paths = {finding["path"] for finding in json.loads(result.stdout)["findings"]}
    assert not any(path.startswith(CACHE_DIRECTORY) for path in paths), paths


def test_fix_works_with_a_warm_cache(tmp_path: Path) -> None:
    project = _project(tmp_path, {"tools.py": FIXABLE})
    before = run("check", "--format", "json", ".", cwd=project)
    assert "STD402" in before.stdout
    run("fix", "--unsafe", ".", cwd=project)
    fixed = (project / "tools.py").read_text(encoding="utf-8")
    assert '"uv", "add", "httpx"' in fixed
    after = run("check", "--format", "json", ".", cwd=project)
    assert "STD402" not in after.stdout
    assert after.stdout == run("check", "--no-cache", "--format", "json", ".", cwd=project).stdout
