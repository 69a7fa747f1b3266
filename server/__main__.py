"""`python -m server`: the language server over stdio (the CLI's `standards-lsp serve` is the
usual way in)."""

import sys

from server.cli.serve import without_collection_until_serving

without_collection_until_serving()

from server.app import run_server  # noqa: E402 - after collection is turned off

if __name__ == "__main__":
    sys.exit(run_server())
