"""The `standards-lsp` command run as a user runs it, with the interpreter of this test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server.result_cache import ENTRY_SUFFIX, NO_CACHE_VARIABLE
from tests.support.paths import REPOSITORY

COMMAND_TIMEOUT = 600
# The result cache's folder beside standards.toml, by its documented name.
CACHE_DIRECTORY = ".standards-lsp-cache"
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def run(*arguments: str, cwd: Path = REPOSITORY) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, with the interpreter of this test run.

    Runs in the checkout itself keep the result cache off: no test may depend on (or leave)
    entries another run wrote there; runs in a test's own directory start with an empty one."""
    environment = {**os.environ, "NO_COLOR": "1"}
    if cwd == REPOSITORY:
        environment[NO_CACHE_VARIABLE] = "1"
    return subprocess.run(
        [sys.executable, "-m", "server.cli.main", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
        env=environment,
    )


def cache_entries(directory: Path) -> list[Path]:
    """The result cache's entries in `directory`, sorted."""
    return sorted(directory.glob(f"*{ENTRY_SUFFIX}"))
