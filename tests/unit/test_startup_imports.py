"""What the server imports before its first answer: the registry finds every rule without
importing the families' fix machinery, and the first diagnostics need neither libcst nor the
readers of other file kinds; `standards-lsp serve` (`server.cli.serve`) none of the other
commands' modules. Each check runs in a fresh interpreter (imports are per process)."""

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


def _assert_runs(code: str) -> None:
    """Run `code` in a fresh interpreter; its assertions must hold there."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_registry_finds_every_rule_that_any_module_registers() -> None:
    _assert_runs(EVERY_RULE)


SERVER_START = """
import sys
from server.cli.serve import main
from server.app import create_server
create_server().engine.registry
"""


@pytest.mark.parametrize(
    "module",
    ["libcst", "pathspec", "packaging", "yaml", "rules.fixer", "server.batch", "server.cli.report"],
)
def test_starting_the_server_does_not_import(module: str) -> None:
    _assert_runs(f"{SERVER_START}assert {module!r} not in sys.modules, {module!r}")


def test_the_command_hands_serve_to_the_server_alone() -> None:
    code = (
        "import sys\n"
        "from unittest import mock\n"
        "import standards_lsp\n"
        "with mock.patch('server.app.run_server') as run, mock.patch.object(sys, 'argv', "
        "['standards-lsp', 'serve', '--tcp', 'localhost:0']):\n"
        "    assert standards_lsp.main() == 0\n"
        "run.assert_called_once_with(tcp='localhost:0')\n"
        "assert 'server.cli.main' not in sys.modules\n"
    )
    _assert_runs(code)


WARM_UP = """
import asyncio, sys
from server import warm_up
warm_up.IDLE_SECONDS = 0.01
busy = [True]
async def main():
    starter = warm_up.WarmUp(lambda: busy[0])
    starter(None)
    await asyncio.sleep(0.1)
    assert 'libcst' not in sys.modules, 'a step ran while the server was busy'
    busy[0] = False
    starter(None)
    await asyncio.wait_for(starter.finished.wait(), 60)
asyncio.run(main())
for module in ('libcst', 'rules.fixer', 'rules.checks.constants.extract',
               'rules.checks.models.rewriter'):
    assert module in sys.modules, module
"""


def test_what_the_first_code_action_needs_is_loaded_once_the_server_is_idle() -> None:
    _assert_runs(WARM_UP)


COLLECTION_AROUND_IMPORTS = """
import gc, sys
from unittest import mock
from server.cli import serve
seen = []
def start_io(self):
    seen.append(gc.isenabled())
with mock.patch('server.language_server.StandardsServer.start_io', start_io):
    assert serve.main([]) == 0
assert 'server.app' in sys.modules
assert seen == [True], seen
assert gc.get_freeze_count() > 0
"""


def test_collection_is_off_for_the_imports_and_on_before_the_server_reads_a_message() -> None:
    """The entry point turns automatic collection off for the server's imports (their
    collections were ~100 ms of a start-up); `run_server` freezes what they built and turns it
    back on before serving."""
    _assert_runs(COLLECTION_AROUND_IMPORTS)


def test_the_entry_point_imports_the_server_with_collection_off() -> None:
    code = (
        "import gc\n"
        "from unittest import mock\n"
        "seen = []\n"
        "with mock.patch('server.app.run_server', lambda tcp: seen.append(gc.isenabled())):\n"
        "    from server.cli import serve\n"
        "    assert serve.main([]) == 0\n"
        "assert seen == [False], seen\n"
    )
    _assert_runs(code)
