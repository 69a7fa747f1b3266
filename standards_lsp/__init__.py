"""standards-lsp, installed: the one import name the distribution adds.

The repository keeps the engine (`rules/`) and the server and command line (`server/`) at its
top level. The wheel carries them as `standards_lsp.rules` and `standards_lsp.server`, their
imports rewritten when the wheel is built (`hatch_build.py`), so installing standards-lsp into an
application with its own `server` or `rules` package changes nothing of the application's.
"""

from __future__ import annotations

import sys

SERVE = "serve"


def main() -> int:
    """The `standards-lsp` command; its exit status. `serve` goes straight to the language
    server (`server.cli.serve`): an editor waits for its start-up."""
    if sys.argv[1:2] == [SERVE]:
        from server.cli.serve import main as serve

        return serve(sys.argv[2:])
    from server.cli.main import main as run_command

    return run_command()
