"""The files of a project that the rules look at, found by walking its directory tree.

Used for workspace-wide checks (the server's `workspace/diagnostic`): every `.py` file and every
file some `FileRule` applies to, below one root and never outside it. The walk does not follow
symbolic links (so a link loop cannot make it spin, and a link cannot lead it out of the root),
skips virtual environments, caches and VCS folders, and honours the root's `.gitignore`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pathspec

from rules.engine import is_python
from rules.registry import Registry, default_registry
from rules.rule import FileRule

SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
    }
)
# A directory holding this file is a virtual environment, whatever its name.
VENV_MARKER = "pyvenv.cfg"
GITIGNORE = ".gitignore"
# No workspace scan looks at more files than this (a guard against pointing it at `/`).
MAX_FILES = 20_000


def is_checked_file(relative_path: str, registry: Registry | None = None) -> bool:
    """Whether the rules look at a file: `.py`, or some FileRule's `applies_to` accepts it."""
    registry = registry or default_registry()
    if is_python(relative_path):
        return True
    return any(
        isinstance(rule, FileRule) and rule.applies_to(relative_path)
        for rule in registry.file_rules
    )


def _ignore_spec(root: Path) -> pathspec.PathSpec | None:
    try:
        lines = (root / GITIGNORE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.PathSpec.from_lines("gitignore", lines)


def _skipped(directory: Path, name: str) -> bool:
    if name in SKIPPED_DIRECTORIES:
        return True
    try:
        return (directory / name / VENV_MARKER).is_file()
    except OSError:
        return True


def iter_checked_files(root: Path, registry: Registry | None = None) -> Iterator[Path]:
    """Every checked file below `root`, in a stable order (symbolic links not followed)."""
    registry = registry or default_registry()
    ignored = _ignore_spec(root)
    count = 0
    for current, directories, files in os.walk(root, followlinks=False):
        here = Path(current)
        relative_dir = here.relative_to(root).as_posix()
        prefix = "" if relative_dir == "." else f"{relative_dir}/"
        directories[:] = sorted(
            name
            for name in directories
            if not _skipped(here, name)
            and not (here / name).is_symlink()
            and not (ignored is not None and ignored.match_file(f"{prefix}{name}/"))
        )
        for name in sorted(files):
            relative = f"{prefix}{name}"
            path = here / name
            if path.is_symlink() or (ignored is not None and ignored.match_file(relative)):
                continue
            if is_checked_file(relative, registry):
                count += 1
                if count > MAX_FILES:
                    return
                yield path
