"""Finding the files to check below a directory, as CI and workspace diagnostics see them.

Skips virtual environments, caches, build output and whatever `.gitignore` files ignore; never
follows a symbolic link to a directory (no loops, never outside the tree). A path that does not
exist (a mistyped one, a dangling link) or a directory that cannot be entered is handed to the
caller's `on_error` with the reason, and the walk goes on: the command line reports it and
says the run went wrong, instead of a traceback or a false "All checks passed!".
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

# The result cache of the server and the command line (`server.result_cache`).
CACHE_DIRECTORY = ".standards-lsp-cache"
SKIPPED_DIRECTORIES = frozenset(
    {
        CACHE_DIRECTORY,
        ".venv",
        "venv",
        ".git",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        ".eggs",
    }
)
GITIGNORE = ".gitignore"
# A directory holding this file is a virtual environment, whatever its name.
VENV_MARKER = "pyvenv.cfg"

type FileFilter = Callable[[Path], bool]
type WalkErrorHandler = Callable[[Path, str], None]


class _IgnoreRules:
    """The `.gitignore` patterns in force in one directory, each relative to its own folder."""

    def __init__(self, specs: tuple[tuple[Path, pathspec.PathSpec], ...] = ()) -> None:
        self.specs = specs

    def entering(self, directory: Path) -> _IgnoreRules:
        """The rules in force inside `directory` (adding its own `.gitignore`, if any)."""
        ignore_file = directory / GITIGNORE
        try:
            if not ignore_file.is_file():
                return self
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return self
        import pathspec  # deferred: not needed before the first diagnostics

        spec = pathspec.PathSpec.from_lines("gitignore", lines)
        return _IgnoreRules((*self.specs, (directory, spec)))

    def ignores(self, path: Path, is_directory: bool) -> bool:
        """Whether any `.gitignore` in force ignores `path`."""
        for base, spec in self.specs:
            relative = path.relative_to(base).as_posix()
            if is_directory:
                relative += "/"
            if spec.match_file(relative):
                return True
        return False


def _never(path: Path) -> bool:
    del path
    return False


def _unreported(path: Path, reason: str) -> None:
    del path, reason


def reason_of(error: OSError) -> str:
    """An OS error as a short reason ("Permission denied"), without the path it names."""
    return error.strerror or type(error).__name__


def iter_files(
    paths: list[Path],
    wanted: FileFilter,
    excluded: FileFilter = _never,
    on_error: WalkErrorHandler = _unreported,
) -> Iterator[Path]:
    """The files to check: given files as they are, directories walked (sorted, deterministic).

    `excluded` skips configured paths while walking; a path the user names explicitly is
    walked even if it is excluded (as ruff does), its contents then unfiltered. A given path
    that is not a directory is yielded whatever it is (a FIFO, a device): reading it is the
    reader's to refuse.
    """
    seen: set[Path] = set()
    for path in paths:
        try:
            mode = _mode_of(path)
        except OSError as error:
            on_error(path, reason_of(error))
            continue
        if mode is not None and stat.S_ISDIR(mode):
            skip = _never if excluded(path) else excluded
            candidates: Iterator[Path] = _walk(
                path, _IgnoreRules().entering(path), _Filters(wanted, skip, on_error)
            )
        elif mode is not None:
            candidates = iter([path])
        else:
            on_error(path, _missing_reason(path))
            continue
        for candidate in candidates:
            key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                yield candidate


# What `Path.exists()` reads as "not there" rather than as an error.
_ABSENT_ERRORS = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _mode_of(path: Path) -> int | None:
    """The file mode of a given path, following links (None: nothing there, or a dangling
    link); other errors are raised. One stat: `is_dir()` then `exists()` made two for each of
    the 1,740 files a check of the standard library is given."""
    try:
        return os.stat(path).st_mode
    except OSError as error:
        if error.errno in _ABSENT_ERRORS:
            return None
        raise


class _Filters:
    """What a walk keeps: files some rule wants, minus configured exclusions."""

    def __init__(
        self, wanted: FileFilter, excluded: FileFilter, on_error: WalkErrorHandler
    ) -> None:
        self.wanted = wanted
        self.excluded = excluded
        self.on_error = on_error


def _missing_reason(path: Path) -> str:
    if path.is_symlink():
        return "a broken symbolic link (its target does not exist)"
    return "no such file or directory"


def _walk(directory: Path, ignore: _IgnoreRules, filters: _Filters) -> Iterator[Path]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        filters.on_error(directory, f"cannot enter the directory: {reason_of(error)}")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if _skipped_directory(path, ignore, filters):
                continue
            yield from _walk(path, ignore.entering(path), filters)
        elif _is_file(entry) and _kept(path, ignore, filters):
            yield path


def _skipped_directory(path: Path, ignore: _IgnoreRules, filters: _Filters) -> bool:
    return (
        path.name in SKIPPED_DIRECTORIES
        or ignore.ignores(path, is_directory=True)
        or filters.excluded(path)
        or _is_virtual_environment(path)
    )


def _is_virtual_environment(path: Path) -> bool:
    try:
        return (path / VENV_MARKER).is_file()
    except OSError:
        return False  # not looked into: entering it will fail, and say so


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a file, following links; a link loop or a broken entry is not."""
    try:
        return entry.is_file(follow_symlinks=True)
    except OSError:
        return False


def _kept(path: Path, ignore: _IgnoreRules, filters: _Filters) -> bool:
    return (
        not ignore.ignores(path, is_directory=False)
        and filters.wanted(path)
        and not filters.excluded(path)
    )
