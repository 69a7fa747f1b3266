"""`standards-lsp serve`, started without the other commands' modules.

The `standards-lsp` command hands `serve` straight to `main` here (`standards_lsp.main`), so the
language server's start-up imports neither the batch runner nor the report writers, the
baselines or the fixer that `check` and `fix` need; `python -m server.cli.serve` is the same.
`server.cli.main` keeps the `serve` subcommand for `python -m server.cli.main serve`.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

COMMAND = "serve"
EXIT_CLEAN = 0
EXIT_ERROR = 2
HELP = "run the language server (stdio by default)"


def add_arguments(serve: argparse.ArgumentParser) -> None:
    """The options of `serve`, as `server.cli.main`'s subcommand has them."""
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (for debugging)")
    serve.add_argument("--stdio", action="store_true", help="use stdio (the default)")


def without_collection_until_serving() -> None:
    """Turn automatic collection off for the server's imports: they build hundreds of thousands
    of long-lived objects (lsprotocol's classes, the rules, the models), and the collections
    they set off scanned them again and again, ~100 ms of a start-up to the first diagnostics.
    `run_server` freezes what they built and turns collection back on before it reads a message
    (`IdleCollector.take_over`)."""
    gc.disable()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve editors; returns the exit code."""
    parser = argparse.ArgumentParser(prog=f"standards-lsp {COMMAND}", description=HELP)
    add_arguments(parser)
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0) and EXIT_ERROR
    without_collection_until_serving()
    from server.app import run_server

    run_server(tcp=arguments.tcp)
    return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
