"""What the server imports before its first answer: the registry finds every rule without
importing the families' fix machinery, and the first diagnostics need neither libcst nor the
readers of other file kinds. Each check runs in a fresh interpreter (imports are per process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

EVERY_RULE = """
import importlib, pkgutil
from rules import checks
from rules.registry import _REGISTERED, default_registry
found = default_registry().codes
for module in pkgutil.walk_packages(checks.__path__, prefix="rules.checks."):
    importlib.import_module(module.name)
assert found == sorted(_REGISTERED), (found, sorted(_REGISTERED))
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_the_registry_finds_every_rule_that_any_module_registers() -> None:
    done = _run(EVERY_RULE)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("module", ["libcst"])
def test_building_the_registry_does_not_import(module: str) -> None:
    code = f"import sys\nfrom rules.engine import Engine\nEngine()\nassert {module!r} not in sys.modules"
    done = _run(code)
    assert done.returncode == 0, done.stderr
