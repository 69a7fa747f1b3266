"""standards-lsp, installed: the one import name the distribution adds.

The repository keeps the engine (`rules/`) and the server and command line (`server/`) at its
top level. The wheel carries them as `standards_lsp.rules` and `standards_lsp.server`, their
imports rewritten when the wheel is built (`hatch_build.py`), so installing standards-lsp into an
application with its own `server` or `rules` package changes nothing of the application's.
"""

from __future__ import annotations


def main() -> int:
    """The `standards-lsp` command; its exit status."""
    from server.cli.main import main as run_command

    return run_command()
