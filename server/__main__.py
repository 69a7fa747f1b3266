"""`python -m server`: the language server over stdio (the CLI's `standards-lsp serve` is the
usual way in)."""

import sys

from server.app import run_server

if __name__ == "__main__":
    sys.exit(run_server())
