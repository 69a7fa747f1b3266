"""What the tests share, as a library: import helpers from here, never from a `conftest.py`
(conftest files keep only pytest fixtures).

- `tests.support.paths`: where the repository's fixtures, samples and example live.
- `tests.support.engine`: settings for a tier or for chosen rules, the text a rule flags, a
  sample of the interpreter's standard library.
- `tests.support.models`: the STD101/STD102 helpers (check, resolve and apply the lazy fixes).
- `tests.support.projects`: the fixture repositories, their expected findings and the codes of
  the project rules (derived from the registry).
- `tests.support.cli`: the command line run as a user runs it, small projects on disk.
- `tests.support.lsp`: the pytest-lsp client and the LSP helpers of the integration tests.
"""
