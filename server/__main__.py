"""`python -m server`: the language server over stdio (the CLI's `standards-lsp serve` is the
usual way in)."""

from server.app import run_server

if __name__ == "__main__":
    run_server()
