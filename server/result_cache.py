"""A persistent cache of the findings of Python file checks, like ruff's `.ruff_cache`.

A cold check of a large file costs CPython about a second; a file whose text, settings and
engine were seen before costs a hash and a read. Entries are content-addressed: the key is a
digest of everything a Python file's findings depend on (`CheckKey` and the text), so an entry
is never stale, only unused; nothing is ever invalidated, old entries are pruned by age.

Entries live in `<project root>/.standards-lsp-cache/` (the root is the directory of the nearest
`standards.toml`; a file outside any project, or an unsaved buffer, is not cached), one JSON file
per key, written atomically. A broken entry or an unwritable directory never breaks a check: it
is logged at debug level and the file is checked as if there were no cache.

The server and the command line both use it; `rules/` stays pure (no disk I/O), so the cache
lives here.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import re
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter

import rules
from rules.config import ProjectConfig
from rules.engine import Analysis, SourceFile, is_python
from rules.models import Finding
from rules.registry import Registry
from rules.walk import CACHE_DIRECTORY

logger = logging.getLogger(__name__)

PACKAGE_NAME = "standards-lsp"
UNKNOWN_VERSION = "unknown"
METADATA_FILE = "METADATA"
HEADER_SEPARATOR = ":"
VERSION_FIELD = "version"
REQUIRES_FIELD = "requires-dist"
# The distribution name at the start of a requirement string ("libcst>=1.9.0" -> "libcst").
REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
NO_CACHE_VARIABLE = "STANDARDS_LSP_NO_CACHE"
# Values of `STANDARDS_LSP_NO_CACHE` that leave the cache on (anything else turns it off).
CACHE_KEPT_VALUES = frozenset({"", "0", "false", "no", "off"})
KEY_DIGEST_SIZE = 16
ENTRY_SUFFIX = ".json"
TEMPORARY_SUFFIX = ".tmp"
# Entries kept after a command-line run (the oldest, by last use, go first): about 20 MB of
# mostly tiny files, room for every file of a large repository in a few versions.
MAX_ENTRIES = 20_000
# A temporary file older than this is left over from a process that died mid-write.
STALE_TEMPORARY_SECONDS = 3600
GITIGNORE_NAME = ".gitignore"
GITIGNORE_TEXT = "# Automatically created by standards-lsp.\n*\n"
CACHEDIR_TAG_NAME = "CACHEDIR.TAG"
# The signature is fixed by the Cache Directory Tagging Specification (backup tools skip the
# directory when they see it).
CACHEDIR_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by standards-lsp.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
# mkstemp makes files private; entries are as shareable as the checkout they describe.
ENTRY_MODE = 0o644
TEXT_ENCODING = "utf-8"
# An editor may send text with lone surrogates; they must hash, not raise.
TEXT_ERRORS = "surrogatepass"

_FINDINGS = TypeAdapter(list[Finding])


class CheckKey(BaseModel):
    """What the findings of a Python file depend on besides its text.

    The path is kept as the engine was given it: STD601 puts it in its rename fix, and `.pyi`
    stubs get no model fix. The project root decides which of the path's folders STD601 reads
    as generated. Everything configuration decides is in the settings' fingerprint.
    """

    model_config = ConfigDict(frozen=True)

    engine: str
    settings: str
    path: str
    project_root: str | None


class CacheOptions(BaseModel):
    """How the command line uses the cache (handed to worker processes too)."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    directory: Path | None = None  # `--cache-dir`: one directory for every project


def disabled_by_environment() -> bool:
    """Whether `STANDARDS_LSP_NO_CACHE` turns the cache off."""
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in CACHE_KEPT_VALUES


def project_cache_directory(project: ProjectConfig) -> Path | None:
    """Where a project's entries go: beside its `standards.toml` (None without one)."""
    if project.standards is None:
        return None
    return Path(project.root) / CACHE_DIRECTORY


def _headers(distribution: str) -> list[tuple[str, str]] | None:
    """The header fields of a distribution's metadata, in order (None when it is not
    installed). Read line by line: `importlib.metadata.version` and `requires` parse the whole
    metadata with the email parser, which cost a start-up 20 ms for eight distributions."""
    try:
        found = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    fields: list[tuple[str, str]] = []
    for line in (found.read_text(METADATA_FILE) or "").splitlines():
        if not line:  # the headers end at the first empty line
            break
        name, separator, value = line.partition(HEADER_SEPARATOR)
        if separator and not line[0].isspace():  # an indented line continues the one before
            fields.append((name.strip().lower(), value.strip()))
    return fields


def _version_of(distribution: str) -> str:
    fields = _headers(distribution)
    if fields is None:
        return UNKNOWN_VERSION
    return next((value for name, value in fields if name == VERSION_FIELD), UNKNOWN_VERSION)


def _runtime_versions() -> str:
    """The interpreter's version (its `ast` decides what parses and how syntax errors read), this
    package's and those of its dependencies (libcst, pydantic, pyyaml... shape findings too)."""
    fields = _headers(PACKAGE_NAME) or []
    requirements = [value for name, value in fields if name == REQUIRES_FIELD]
    names = sorted(
        {match.group() for req in requirements if (match := REQUIREMENT_NAME.match(req))}
    )
    versions = [f"{name}=={_version_of(name)}" for name in (PACKAGE_NAME, *names)]
    return "\n".join([sys.version, *versions])


def _engine_modules(registry: Registry) -> list[tuple[str, Path]]:
    """Every module of the `rules` package and the module of every registered rule (plugins
    register rules from elsewhere), each once, with a stable label."""
    package = Path(os.path.abspath(rules.__file__)).parent
    modules = {path: path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    for rule in registry.rules:
        module_name = type(rule).__module__
        module_file = getattr(sys.modules.get(module_name), "__file__", None)
        if module_file is not None:  # from the same import path: the same absolute name
            modules.setdefault(Path(os.path.abspath(module_file)), module_name)
    return sorted(((label, path) for path, label in modules.items()), key=lambda pair: pair[0])


@cache
def engine_fingerprint(registry: Registry) -> str | None:
    """A digest of the versions the findings depend on and the source of every module they come
    from, computed once per process (None when a source cannot be read: no cache then, rather
    than results that might be stale)."""
    digest = hashlib.blake2b(_runtime_versions().encode(), digest_size=KEY_DIGEST_SIZE)
    for label, path in _engine_modules(registry):
        try:
            source = path.read_bytes()
        except OSError as error:
            logger.debug("no result cache: cannot read the source of %s: %s", label, error)
            return None
        digest.update(label.encode())
        digest.update(hashlib.blake2b(source, digest_size=KEY_DIGEST_SIZE).digest())
    return digest.hexdigest()


def _atomic_write(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file, so no reader sees half of it."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=path.name, suffix=TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
            os.fchmod(stream.fileno(), ENTRY_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prepare_directory(directory: Path) -> None:
    """Create the cache directory, marked as a cache for git and for backup tools."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    _atomic_write(directory / GITIGNORE_NAME, GITIGNORE_TEXT.encode(TEXT_ENCODING))
    _atomic_write(directory / CACHEDIR_TAG_NAME, CACHEDIR_TAG_TEXT.encode(TEXT_ENCODING))


def _entry_content(findings: list[Finding]) -> bytes:
    """An entry's JSON: the findings without the fields that hold their defaults (a finding's
    fix without edits, its empty data...), which validation fills in again. A third smaller,
    and a quarter quicker to read back: a warm check of the standard library validates 15,000
    findings."""
    return _FINDINGS.dump_json(findings, exclude_defaults=True)


class ResultCache:
    """Reads and writes the findings of Python file checks, keyed by content."""

    def __init__(self, registry: Registry, max_entries: int = MAX_ENTRIES) -> None:
        self.registry = registry
        self.max_entries = max_entries

    def warm_up(self) -> None:
        """Compute the engine fingerprint now (reading every rule's source takes tens of
        milliseconds), so the first look-up costs only its own hash and read."""
        engine_fingerprint(self.registry)

    def key(self, source: SourceFile) -> str | None:
        """The entry name of a check of `source` (None: such a check is not cached)."""
        if source.text is None or source.path is None or not is_python(source.path):
            return None
        engine = engine_fingerprint(self.registry)
        if engine is None:
            return None
        check_key = CheckKey(
            engine=engine,
            settings=source.settings.fingerprint,
            path=source.path,
            project_root=source.project_root,
        )
        digest = hashlib.blake2b(check_key.model_dump_json().encode(), digest_size=KEY_DIGEST_SIZE)
        digest.update(b"\0")
        digest.update(source.text.encode(TEXT_ENCODING, TEXT_ERRORS))
        return digest.hexdigest()

    def load(self, directory: Path, source: SourceFile) -> list[Finding] | None:
        """The cached findings of `source` (None on a miss or an unusable entry)."""
        key = self.key(source)
        if key is None:
            return None
        entry = directory / f"{key}{ENTRY_SUFFIX}"
        try:
            findings = _FINDINGS.validator.validate_json(entry.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:  # unreadable, truncated or not ours: check anew
            logger.debug("ignoring the cache entry %s: %s", entry, error)
            return None
        try:
            os.utime(entry)  # pruning removes the entries used least recently
        except OSError as error:
            logger.debug("cannot touch the cache entry %s: %s", entry, error)
        return findings

    def prepare(self, directory: Path) -> None:
        """Create the cache directory now if it is missing (a read-only place stays without)."""
        try:
            _prepare_directory(directory)
        except OSError as error:
            logger.debug("cannot create the result cache %s: %s", directory, error)

    def store(self, directory: Path, source: SourceFile, analysis: Analysis) -> bool:
        """Remember the findings of a check that went right; True when an entry was written.

        A check where a rule raised is not stored: its findings lack that rule's, and the
        failure must be reported again next time."""
        key = self.key(source)
        if key is None or analysis.failures:
            return False
        try:
            _prepare_directory(directory)
            _atomic_write(directory / f"{key}{ENTRY_SUFFIX}", _entry_content(analysis.findings))
        except OSError as error:  # read-only checkout, full disk: checking still works
            logger.debug("cannot write to the result cache %s: %s", directory, error)
            return False
        return True

    def prune(self, directory: Path) -> int:
        """Keep the `max_entries` entries used last; returns how many were removed. Only the
        temporary files are looked at while the directory holds no more entries than that (a
        warm run would otherwise read the age of every entry for nothing)."""
        entries = sorted(_entries_by_age(directory, self.max_entries))
        removed = 0
        for _modified, path in entries[: max(len(entries) - self.max_entries, 0)]:
            try:
                path.unlink(missing_ok=True)
                removed += 1
            except OSError as error:
                logger.debug("cannot remove the cache entry %s: %s", path, error)
        return removed


def _entries_by_age(directory: Path, kept: int) -> list[tuple[float, Path]]:
    """The entries of a cache directory with their last use (none when there are no more than
    `kept`: nothing to prune); removes temporary files that a process which died mid-write left
    behind."""
    entries: list[tuple[float, Path]] = []
    stale_before = time.time() - STALE_TEMPORARY_SECONDS
    try:
        with os.scandir(directory) as scan:
            items = list(scan)
    except OSError as error:
        logger.debug("cannot prune the result cache %s: %s", directory, error)
        return entries
    prunable = sum(item.name.endswith(ENTRY_SUFFIX) for item in items) > kept
    for item in items:
        is_entry = item.name.endswith(ENTRY_SUFFIX)
        if not item.name.endswith(TEMPORARY_SUFFIX) and not (is_entry and prunable):
            continue
        try:
            modified = item.stat().st_mtime
            if is_entry:
                entries.append((modified, Path(item.path)))
            elif modified < stale_before:
                Path(item.path).unlink(missing_ok=True)
        except OSError as error:  # removed meanwhile by another process: nothing to prune
            logger.debug("cannot look at %s: %s", item.path, error)
    return entries
