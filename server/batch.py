"""Checking and fixing files on disk, for the command line: the same engine as the editor."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rules.config import ConfigProblem, ConfigResolver, Overrides
from rules.engine import Analysis, Engine, RuleFailure, SourceFile, collector_paused, is_python
from rules.fixer import FixOptions, FixOutcome, ProjectTexts, fix_with
from rules.models import Finding, Position, Range, Severity
from rules.notebooks import NotebookError, cell_findings, from_module, is_notebook, to_module
from rules.source_bytes import SourceEncoding, decode_python, decode_utf8
from rules.walk import iter_files, reason_of
from server.plugins import load_test_plugins
from server.result_cache import CacheOptions, ResultCache, project_cache_directory

DECODE_ERROR_CODE = "syntax-error"
POSIX_SEPARATOR = "/"
CURRENT_DIRECTORY = "."
# Findings that say the run itself went wrong for a file (exit code 2, never "All checks passed!").
READ_ERROR_CODE = "read-error"
RULE_FAILURE_CODE = "rule-failure"
RUN_ERROR_CODES = frozenset({READ_ERROR_CODE, RULE_FAILURE_CODE})
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64
MIN_PARALLEL_WORKERS = 2
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
    path_errors: list[str] = []  # given paths missing, directories that cannot be entered

    @property
    def findings(self) -> list[tuple[FileReport, Finding]]:
        """Every finding with its file, sorted by path, line, column and code."""
        # the files by path, then each file's findings: the order one sort of all the pairs
        # gives, with the path compared once per file rather than once per finding
        return [
            (report, finding)
            for report in sorted(self.files, key=_display_path_of)
            for finding in sorted(report.findings, key=_position_key)
        ]

    @property
    def went_wrong(self) -> bool:
        """Whether some path, file or rule could not be checked (the run cannot pass)."""
        return bool(self.path_errors) or any(
            finding.code in RUN_ERROR_CODES for report in self.files for finding in report.findings
        )

    @property
    def fatal_problems(self) -> list[ConfigProblem]:
        """Configuration problems that make checking meaningless."""
        return [problem for problem in self.problems if problem.fatal]


def _display_path_of(report: FileReport) -> str:
    return report.display_path


def _position_key(finding: Finding) -> tuple[int, int, str]:
    start = finding.range.start
    return (start.line, start.character, finding.code)


def available_cores() -> int:
    """The cores this process may run on (its affinity, as `os.process_cpu_count` of Python
    3.13 counts them): a cold run uses every one."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # no affinity on this platform (macOS, Windows)
        return os.cpu_count() or 1


def display_path(path: Path, base: Path) -> str:
    """`path` relative to `base` with `/` separators (absolute when outside it)."""
    if os.sep != POSIX_SEPARATOR:  # drives and cases: pathlib knows them
        try:
            return path.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            return path.absolute().as_posix()
    # what pathlib answers, by string (a run shows every file's path: pathlib's relative_to
    # cost a warm check of the standard library a fifth of its time)
    shown = str(path.absolute())
    prefix = str(base.absolute())
    if shown == prefix:
        return CURRENT_DIRECTORY
    prefix = prefix.rstrip(POSIX_SEPARATOR) + POSIX_SEPARATOR
    return shown.removeprefix(prefix) if shown.startswith(prefix) else shown


class SourceRead(BaseModel):
    """What reading one file gave: its text (None for a file that is not text), the encoding
    to write it back in, and a finding when a file could not be read or decoded."""

    model_config = ConfigDict(frozen=True)

    text: str | None
    encoding: SourceEncoding = SourceEncoding()
    problem: Finding | None = None


def read_source(path: Path) -> tuple[str | None, Finding | None]:
    """A file's text (None for a file that is not text) and a finding if a Python file can't be decoded."""
    read = read_source_file(path)
    return read.text, read.problem


def read_source_file(path: Path) -> SourceRead:
    """A file as text, decoded as it is stored; a FIFO, a device or a directory is refused
    without being read (reading a FIFO would wait for a writer forever)."""
    try:
        data = _regular_file_bytes(path)
    except OSError as error:
        return SourceRead(
            text=None, problem=_unreadable(f"cannot read the file: {reason_of(error)}")
        )
    if data is None:
        return SourceRead(text=None, problem=_unreadable("not a regular file: not read"))
    if is_python(str(path)):
        try:
            text, encoding = decode_python(data)
        except (SyntaxError, LookupError, UnicodeDecodeError) as error:
            return SourceRead(text=None, problem=_undecodable(f"cannot decode the file: {error}"))
        return SourceRead(text=text, encoding=encoding)
    return _other_text(data)


def _other_text(data: bytes) -> SourceRead:
    """A file other than Python: UTF-8 text, or None (binary, or not UTF-8: no rule reads it)."""
    if b"\x00" in data:
        return SourceRead(text=None)
    try:
        text, encoding = decode_utf8(data)
    except UnicodeDecodeError:
        return SourceRead(text=None)
    return SourceRead(text=text, encoding=encoding)


def _regular_file_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file (None for anything else), opened without blocking so that
    a FIFO is looked at, not waited on."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return stream.read()


def rule_failure_finding(failure: RuleFailure) -> Finding:
    """A rule that raised on a file, as a finding of that file (its other findings stand)."""
    return _file_error(
        RULE_FAILURE_CODE, f"rule {failure.code} failed, its findings are missing: {failure.error}"
    )


def _undecodable(message: str) -> Finding:
    return _file_error(DECODE_ERROR_CODE, message)


def _unreadable(message: str) -> Finding:
    return _file_error(READ_ERROR_CODE, message)


def _file_error(code: str, message: str) -> Finding:
    """A finding about the file as a whole, at its start."""
    origin = Position(line=0, character=0)
    return Finding(
        code=code, message=message, severity=Severity.ERROR, range=Range(start=origin, end=origin)
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
        return project_cache_directory(self.resolver.project_for_file(path))

    def wanted(self, path: Path) -> bool:
        """Whether some rule looks at this file (every Python file; others by rule patterns)."""
        if is_python(str(path)) or is_notebook(str(path)):
            return True
        return any(rule.applies_to(str(path)) for rule in self.engine.registry.file_rules)

    def files(self, paths: list[Path], errors: list[str] | None = None) -> Iterator[Path]:
        """The files a run over `paths` checks; a path that is missing or a directory that
        cannot be entered is added to `errors` as a line to show."""

        def report(path: Path, reason: str) -> None:
            if errors is not None:
                errors.append(f"{display_path(path, self.base)}: {reason}")

        return iter_files(paths, self.wanted, self.resolver.is_excluded, on_error=report)

    def source(self, path: Path, text: str | None) -> SourceFile:
        """The engine's view of one file, by its absolute path as the editor names it: the
        path is part of a result cache key, so `check` fills the cache the server reads."""
        project = self.resolver.project_for_file(path)
        return SourceFile(
            text=text,
            settings=self.resolver.settings_for(str(path)),
            path=str(path.absolute()),
            project_root=project.root,
        )

    def check(self, paths: list[Path], progress: ProgressCallback | None = None) -> BatchReport:
        """Check every file below `paths` (in worker processes when there are many)."""
        path_errors: list[str] = []
        files = list(self.files(paths, path_errors))
        problems: dict[tuple[str, str], ConfigProblem] = {}
        unconfigured: set[str] = set()
        cache_directories: set[Path] = set()
        for path in files:
            project = self.resolver.project_for_file(path)
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
            path_errors=path_errors,
        )

    def _reports(self, files: list[Path]) -> Iterator[FileReport]:
        """Every file's report, in order: the cached ones read here, the others checked (in
        worker processes when there are many; handing a cached report back from a worker
        would cost more than reading it)."""
        # the cached findings hold no cycles, and building ~15,000 of them (the standard
        # library's) set off full collections that cost a warm run a quarter of its time
        with collector_paused():
            cached = [self._cached_report(path) for path in files]
        misses = [path for path, report in zip(files, cached, strict=True) if report is None]
        checked = self._checked_reports(misses)
        for report in cached:
            yield report if report is not None else next(checked)

    def _checked_reports(self, files: list[Path]) -> Iterator[FileReport]:
        workers = available_cores()
        if len(files) < PARALLEL_THRESHOLD or workers < MIN_PARALLEL_WORKERS:
            yield from map(self.check_file, files)
            return
        # imported here: a warm run, every file cached, starts no process (multiprocessing's
        # imports were 3% of it)
        from concurrent.futures import ProcessPoolExecutor

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
        # only checks without rule failures are stored; the findings were validated as they
        # were read, the report is not validated again
        return FileReport.model_construct(
            path=path, display_path=display_path(path, self.base), findings=cached
        )

    def knows(self, path: Path) -> bool:
        """Whether the result cache holds the file's findings (its text as it is now)."""
        return self._cached_report(path) is not None

    def check_file(self, path: Path, interrupt: Callable[[], bool] | None = None) -> FileReport:
        """The findings of one file (`interrupt`: as `Engine.check`'s, for a Python file)."""
        text, unreadable = read_source(path)
        shown = display_path(path, self.base)
        if unreadable is not None:
            return FileReport(path=path, display_path=shown, findings=[unreadable])
        if is_notebook(str(path)):
            return self._check_notebook(path, text or "", shown)
        source = self.source(path, text)
        directory = self.cache_directory(path)
        if directory is not None and self.results is not None:
            cached = self.results.load(directory, source)
            if cached is not None:  # only checks without rule failures are stored
                return FileReport(path=path, display_path=shown, findings=cached)
        analysis: Analysis = self.engine.check(source, interrupt=interrupt)
        if directory is not None and self.results is not None:
            self.results.store(directory, source, analysis)
        return FileReport(
            path=path,
            display_path=shown,
            findings=[*analysis.findings, *map(rule_failure_finding, analysis.failures)],
            failures=analysis.failures,
        )

    def _check_notebook(self, path: Path, text: str, shown: str) -> FileReport:
        """A notebook's findings, each placed in its cell (not cached: the cache keys Python
        texts)."""
        try:
            module = to_module(text)
        except NotebookError as error:
            finding = _unreadable(f"cannot read the notebook: {error}")
            return FileReport(path=path, display_path=shown, findings=[finding])
        analysis = self.engine.check(self.source(path, module.text))
        findings = cell_findings(module, analysis.findings)
        return FileReport(
            path=path, display_path=shown, findings=findings, failures=analysis.failures
        )

    def _prune(self, directories: set[Path]) -> None:
        """Bound the cache directories this run used (the oldest entries go)."""
        if self.results is not None:
            for directory in sorted(directories):
                self.results.prune(directory)

    def fix_file(
        self,
        path: Path,
        unsafe: bool,
        project: ProjectTexts | None = None,
        errors: list[str] | None = None,
    ) -> tuple[str, FixOutcome] | None:
        """The file's text and its fixed text (None for a file that cannot be read as text;
        why a file could not be read or decoded is added to `errors`). With `project`, the file is read from it (an earlier fix of the run may have changed
        it) and whole-project fixes write the other files they edit there.

        Always a full check, never the result cache: fixing needs the findings' edits, and a
        cached finding's lazily built fix has none."""
        key = str(path.absolute())
        if project is not None and key in project.changed:
            text: str | None = project.changed[key]
        else:
            read = read_source_file(path)
            if read.problem is not None and errors is not None:
                errors.append(f"{display_path(path, self.base)}: {read.problem.message}")
            if read.text is None or read.problem is not None:
                return None
            text = read.text
            if project is not None:
                project.encodings[key] = read.encoding
        assert text is not None  # noqa: S101 - both branches give a text
        options = FixOptions(unsafe=unsafe, project=project)
        if is_notebook(str(path)):
            return text, self._fixed_notebook(path, text, options)
        outcome = fix_with(self.engine, self.source(path, text), options)
        return text, outcome

    def _fixed_notebook(self, path: Path, text: str, options: FixOptions) -> FixOutcome:
        """The notebook with its code cells fixed as one module; outputs, metadata and the
        JSON layout kept (unchanged when it cannot be read or the cells cannot be put back)."""
        try:
            module = to_module(text)
            outcome = fix_with(self.engine, self.source(path, module.text), options)
            written = from_module(text, module, outcome.text) if outcome.changed else text
        except NotebookError:
            return FixOutcome(text=text, applied=[])
        return outcome.model_copy(update={"text": written})


_WORKER: dict[str, Batch] = {}


def _start_worker(overrides: Overrides, cache: CacheOptions) -> None:
    """Each worker process checks with its own resolver and engine (nothing shared to lock; the
    cache's entries are written atomically, so workers never see each other's halves)."""
    _WORKER["batch"] = Batch(ConfigResolver(overrides), cache=cache)


def _check_in_worker(path: Path) -> FileReport:
    return _WORKER["batch"].check_file(path)


def check_into_cache(overrides: Overrides, path: Path) -> None:
    """In a child process: check one file into the result cache, as the server's workspace
    index would on its analysis thread (the same settings, registry and cache key)."""
    load_test_plugins()
    Batch(ConfigResolver(overrides), cache=CacheOptions(enabled=True)).check_file(path)
