"""Regenerate the expected outputs the tests compare against, from what the code gives today:

- `examples/demo/expected-findings.json`: `standards-lsp check --format json examples/demo`, run
  from the repository's root (the README's example and `tests/integration/cli/test_main.py`);
- `tests/fixtures/projects/*/expected.json`: the project rules' findings on each fixture
  repository, checked as the command line checks it (`tests/unit/checks/project/test_fixtures.py`
  and the CLI and server tests of the fixtures).

    python3 -m uv run python -m tests.regenerate           # rewrite the outputs that drifted
    python3 -m uv run python -m tests.regenerate --check   # only list them; exit 1 if any

`make regenerate` runs the first. Read the diff before committing it: a changed expected output
is a changed behaviour.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from server.result_cache import NO_CACHE_VARIABLE
from tests.support.paths import EXAMPLE, EXAMPLE_EXPECTED, FIXTURE_PROJECTS, REPOSITORY
from tests.support.projects import FIXTURE_NAMES, copy_fixture, project_findings

COMMAND = "python3 -m uv run python -m tests.regenerate"
# The indentation each file has always had (the demo's as `json.tool` writes it).
DEMO_INDENT = 4
FIXTURE_INDENT = 2
CHECK_TIMEOUT_SECONDS = 300


def _json_text(document: object, indent: int) -> str:
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def demo_output() -> str:
    """The demo's JSON report, as `check --format json examples/demo` prints it (cache off)."""
    demo = EXAMPLE.relative_to(REPOSITORY).as_posix()
    completed = subprocess.run(
        [sys.executable, "-m", "server.cli.main", "check", "--format", "json", demo],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
        timeout=CHECK_TIMEOUT_SECONDS,
        env={**os.environ, NO_CACHE_VARIABLE: "1", "NO_COLOR": "1"},
    )
    if not completed.stdout.strip():
        raise SystemExit(f"the check of the demo printed nothing:\n{completed.stderr}")
    return _json_text(json.loads(completed.stdout), DEMO_INDENT)


def fixture_output(name: str) -> str:
    """A fixture repository's `expected.json`: its project-rule findings, checked from a copy
    outside this repository (so that its own configuration applies)."""
    with tempfile.TemporaryDirectory() as scratch:
        findings = project_findings(copy_fixture(name, Path(scratch)))
    document = {"version": 1, "findings": findings, "summary": {"findings": len(findings)}}
    return _json_text(document, FIXTURE_INDENT)


def expected_outputs() -> dict[Path, str]:
    """Every expected output file and the text it should hold."""
    outputs = {EXAMPLE_EXPECTED: demo_output()}
    for name in FIXTURE_NAMES:
        outputs[FIXTURE_PROJECTS / name / "expected.json"] = fixture_output(name)
    return outputs


def drifted(outputs: dict[Path, str]) -> list[Path]:
    """The files whose text differs from what the code gives."""
    return [
        path
        for path, text in outputs.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.regenerate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="list what drifted; write nothing")
    arguments = parser.parse_args(argv)
    outputs = expected_outputs()
    stale = drifted(outputs)
    for path in stale:
        relative = path.relative_to(REPOSITORY).as_posix()
        if arguments.check:
            print(f"drifted: {relative}")
        else:
            path.write_text(outputs[path], encoding="utf-8")
            print(f"rewrote: {relative}")
    if arguments.check and stale:
        print(f"run `{COMMAND}` and review the diff", file=sys.stderr)
        return 1
    if not stale:
        print(f"all {len(outputs)} expected outputs are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
