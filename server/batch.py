"""Checking and fixing files on disk, for the command line: the same engine as the editor."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rules.config import ConfigProblem, ConfigResolver, Overrides
from rules.engine import Analysis, Engine, RuleFailure, SourceFile, is_python
from rules.fixer import FixOptions, FixOutcome, ProjectTexts, fix_with
from rules.models import Finding, Position, Range, Severity
from rules.walk import iter_files
from server.result_cache import CacheOptions, ResultCache, project_cache_directory

DECODE_ERROR_CODE = "syntax-error"
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
MIN_PARALLEL_WORKERS = 2
MAX_WORKERS = 8
WORKER_CHUNK = 8

type ProgressCallback = Callable[[int], None]


class FileReport(BaseModel):
    """The findings of one file, with its path as the user should read it."""

    model_config = ConfigDict(frozen=True)

    path: Path
    display_path: str
    findings: list[Finding]
    failures: list[RuleFailure] = []


class BatchReport(BaseModel):
    """A whole run: every file's findings, the configuration problems met, how much was read."""

    files: list[FileReport]
    problems: list[ConfigProblem]
    unconfigured_roots: list[str]
    file_count: int

    @property
    def findings(self) -> list[tuple[FileReport, Finding]]:
        """Every finding with its file, sorted by path, line, column and code."""
        pairs = [(report, finding) for report in self.files for finding in report.findings]
        return sorted(pairs, key=_sort_key)

    @property
    def fatal_problems(self) -> list[ConfigProblem]:
        """Configuration problems that make checking meaningless."""
        return [problem for problem in self.problems if problem.fatal]


def _sort_key(pair: tuple[FileReport, Finding]) -> tuple[str, int, int, str]:
    report, finding = pair
    start = finding.range.start
    return (report.display_path, start.line, start.character, finding.code)


def display_path(path: Path, base: Path) -> str:
    """`path` relative to `base` with `/` separators (absolute when outside it)."""
    try:
        return path.absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def read_source(path: Path) -> tuple[str | None, Finding | None]:
    """A file's text (None for a file that is not text) and a finding if a Python file can't be decoded."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, _unreadable(f"cannot read the file: {error.strerror or error}")
    if is_python(str(path)):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            return data.decode(encoding), None
        except (SyntaxError, LookupError, UnicodeDecodeError) as error:
            return None, _unreadable(f"cannot decode the file: {error}")
    if b"\x00" in data:
        return None, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return None, None


def _unreadable(message: str) -> Finding:
    origin = Position(line=0, character=0)
    return Finding(
        code=DECODE_ERROR_CODE,
        message=message,
        severity=Severity.ERROR,
        range=Range(start=origin, end=origin),
    )


# Without options, a batch leaves the result cache alone (only the command line asks for it).
NO_CACHE = CacheOptions(enabled=False)


class Batch:
    """Runs the engine over files and directories with one configuration resolver, reading and
    writing the result cache of Python files when `cache` enables it."""

    def __init__(
        self,
        resolver: ConfigResolver,
        engine: Engine | None = None,
        cache: CacheOptions = NO_CACHE,
    ) -> None:
        self.resolver = resolver
        self.engine = engine or Engine()
        self.base = Path.cwd()
        self.cache_options = cache
        self.results = ResultCache(self.engine.registry) if cache.enabled else None

    def cache_directory(self, path: Path) -> Path | None:
        """Where the cached findings of the Python file at `path` live (None: not cached)."""
        if self.results is None or not is_python(str(path)):
            return None
        if self.cache_options.directory is not None:
            return self.cache_options.directory
        return project_cache_directory(self.resolver.project_for(path))

    def wanted(self, path: Path) -> bool:
        """Whether some rule looks at this file (every Python file; others by rule patterns)."""
        if is_python(str(path)):
            return True
        return any(rule.applies_to(str(path)) for rule in self.engine.registry.file_rules)

    def files(self, paths: list[Path]) -> Iterator[Path]:
        """The files a run over `paths` checks."""
        return iter_files(paths, self.wanted, self.resolver.is_excluded)

    def source(self, path: Path, text: str | None) -> SourceFile:
        """The engine's view of one file, by its absolute path as the editor names it: the
        path is part of a result cache key, so `check` fills the cache the server reads."""
        project = self.resolver.project_for(path)
        return SourceFile(
            text=text,
            settings=self.resolver.settings_for(str(path)),
            path=str(path.absolute()),
            project_root=project.root,
        )

    def check(self, paths: list[Path], progress: ProgressCallback | None = None) -> BatchReport:
        """Check every file below `paths` (in worker processes when there are many)."""
        files = list(self.files(paths))
        problems: dict[tuple[str, str], ConfigProblem] = {}
        unconfigured: set[str] = set()
        cache_directories: set[Path] = set()
        for path in files:
            project = self.resolver.project_for(path)
            for problem in project.problems:
                problems[(problem.path, problem.message)] = problem
            if project.standards is None:
                unconfigured.add(project.root)
            directory = self.cache_directory(path)
            if directory is not None:
                cache_directories.add(directory)
        reports: list[FileReport] = []
        for report in self._reports(files):
            reports.append(report)
            if progress is not None:
                progress(len(reports))
        self._prune(cache_directories)
        return BatchReport(
            files=reports,
            problems=list(problems.values()),
            unconfigured_roots=sorted(unconfigured),
            file_count=len(files),
        )

    def _reports(self, files: list[Path]) -> Iterator[FileReport]:
        """Every file's report, in order: the cached ones read here, the others checked (in
        worker processes when there are many; handing a cached report back from a worker
        would cost more than reading it)."""
        cached = [self._cached_report(path) for path in files]
        misses = [path for path, report in zip(files, cached, strict=True) if report is None]
        checked = self._checked_reports(misses)
        for report in cached:
            yield report if report is not None else next(checked)

    def _checked_reports(self, files: list[Path]) -> Iterator[FileReport]:
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if len(files) < PARALLEL_THRESHOLD or workers < MIN_PARALLEL_WORKERS:
            yield from map(self.check_file, files)
            return
        with ProcessPoolExecutor(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(self.resolver.overrides, self.cache_options),
        ) as pool:
            yield from pool.map(_check_in_worker, files, chunksize=WORKER_CHUNK)

    def _cached_report(self, path: Path) -> FileReport | None:
        """The report of a file the result cache knows (None: it must be checked)."""
        directory = self.cache_directory(path)
        if directory is None or self.results is None:
            return None
        text, unreadable = read_source(path)
        if unreadable is not None:
            return None
        cached = self.results.load(directory, self.source(path, text))
        if cached is None:
            return None
        # only checks without rule failures are stored
        return FileReport(path=path, display_path=display_path(path, self.base), findings=cached)

    def check_file(self, path: Path) -> FileReport:
        """The findings of one file."""
        text, unreadable = read_source(path)
        shown = display_path(path, self.base)
        if unreadable is not None:
            return FileReport(path=path, display_path=shown, findings=[unreadable])
        source = self.source(path, text)
        directory = self.cache_directory(path)
        if directory is not None and self.results is not None:
            cached = self.results.load(directory, source)
            if cached is not None:  # only checks without rule failures are stored
                return FileReport(path=path, display_path=shown, findings=cached)
        analysis: Analysis = self.engine.check(source)
        if directory is not None and self.results is not None:
            self.results.store(directory, source, analysis)
        return FileReport(
            path=path, display_path=shown, findings=analysis.findings, failures=analysis.failures
        )

    def _prune(self, directories: set[Path]) -> None:
        """Bound the cache directories this run used (the oldest entries go)."""
        if self.results is not None:
            for directory in sorted(directories):
                self.results.prune(directory)

    def fix_file(
        self, path: Path, unsafe: bool, project: ProjectTexts | None = None
    ) -> tuple[str, FixOutcome] | None:
        """The file's text and its fixed text (None for a file that cannot be read as text).
        With `project`, the file is read from it (an earlier fix of the run may have changed
        it) and whole-project fixes write the other files they edit there.

        Always a full check, never the result cache: fixing needs the findings' edits, and a
        cached finding's lazily built fix has none."""
        key = str(path.absolute())
        if project is not None and key in project.changed:
            text: str | None = project.changed[key]
        else:
            text, unreadable = read_source(path)
            if text is None or unreadable is not None:
                return None
        assert text is not None  # noqa: S101 - both branches give a text
        options = FixOptions(unsafe=unsafe, project=project)
        outcome = fix_with(self.engine, self.source(path, text), options)
        return text, outcome


_WORKER: dict[str, Batch] = {}


def _start_worker(overrides: Overrides, cache: CacheOptions) -> None:
    """Each worker process checks with its own resolver and engine (nothing shared to lock; the
    cache's entries are written atomically, so workers never see each other's halves)."""
    _WORKER["batch"] = Batch(ConfigResolver(overrides), cache=cache)


def _check_in_worker(path: Path) -> FileReport:
    return _WORKER["batch"].check_file(path)
