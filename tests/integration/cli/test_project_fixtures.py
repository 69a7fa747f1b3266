"""The fixture repositories through the command line: `standards-lsp check --format json` gives
the same findings as the engine (`expected.json`), with the documented exit codes.

One CLI run covers every fixture (copied side by side outside this repository, so each is
configured by its own files), which keeps the test to one interpreter start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.projects import FIXTURE_NAMES, PROJECT_CODES, copy_fixture, expected_findings

CLI = str(Path(sys.executable).parent / "standards-lsp")
CLEAN, CONFIGURATION_ERROR = 0, 2
CLI_TIMEOUT = 120


class CliRun:
    def __init__(self, findings: list[dict[str, object]], returncode: int) -> None:
        self.findings = findings
        self.returncode = returncode


def _run(root: Path, *paths: str) -> CliRun:
    completed = subprocess.run(
        [CLI, "check", "--format", "json", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=CLI_TIMEOUT,
    )
    report = json.loads(completed.stdout)
    return CliRun(report["findings"], completed.returncode)


@pytest.fixture(scope="module")
def all_fixtures(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    root = tmp_path_factory.mktemp("fixtures")
    for name in FIXTURE_NAMES:
        copy_fixture(name, root)
    return _run(root, *FIXTURE_NAMES)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_cli_reports_the_expected_findings(name: str, all_fixtures: CliRun) -> None:
    prefix = f"{name}/"
    found = [
        {**record, "path": str(record["path"]).removeprefix(prefix)}
        for record in all_fixtures.findings
        if str(record["path"]).startswith(prefix) and record["code"] in PROJECT_CODES
    ]
    assert found == expected_findings(name)


def test_cli_exit_codes(all_fixtures: CliRun, tmp_path: Path) -> None:
    assert all_fixtures.returncode == CONFIGURATION_ERROR  # broken_standards is among them
    clean = copy_fixture("clean_uv", tmp_path)
    assert _run(clean, ".").returncode == CLEAN
