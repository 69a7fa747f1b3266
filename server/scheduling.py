"""Running the engine on open documents, off the event loop; the latest version wins.

Each document has at most one analysis running (on the single analysis thread: the engine is
CPU-bound Python, so more threads would only contend for the GIL) and a "dirty" flag. An edit
sets the flag; when a run ends and the flag is set again its result is stale: it is dropped
(its unit cache is kept, it is still a valid cache) and the latest text is analysed next. So a
burst of keystrokes costs at most one analysis in flight plus one of the final text.

Every result goes to the `on_result` callback (publishing, pull responses) and to whoever waits
for that document version (`result_for`: code actions, hover, pulls).

The result cache (`server.result_cache`) makes opening a file seen before cheap: the first run
after `didOpen` looks the text up before analysing it, and on a hit the cached diagnostics go
to `on_cached` (publishing) and to pulls (`diagnostics_for`) at once. The analysis of that
version still runs, as the only source of what code actions and hover need (`result_for` never
answers with cached diagnostics: a fix is only offered from the analysis of its exact text);
its result is marked `already_published` when its diagnostics are the cached ones. On a miss,
and after a `didSave`, the analysis's findings are written to the cache on the analysis thread.

A huge document (`HUGE_TEXT_CHARACTERS` and more) is checked in a child process
(`server.child`), fresh each time: its parse holds the interpreter lock for seconds, and on the
analysis thread it stopped the event loop and queued every other document's hover, code
actions and pulls behind it (18 s on a 5 MB file, measured). Only the short rendering of its
findings runs on the analysis thread. What it costs: no unit cache (each version is a fresh
check, the latest version still winning) and no refactorings (`Analysis.statement_lines` is
empty without the split).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from rules.engine import Analysis, Engine, SourceFile, UnitCache
from rules.models import Finding
from rules.registry import Registry, default_registry
from server.child import in_child
from server.collection import IdleCollector, MemoryReleaser
from server.configuration import Configuration, FindingView
from server.documents import Document, DocumentStore, engine_lines, lsp_lines
from server.notebook_documents import NotebookDocument, NotebookLayout
from server.plugins import load_test_plugins
from server.result_cache import ResultCache, disabled_by_environment
from server.results import AnalysisResult, DiagnosticsResult, ResultIds, Snapshot

logger = logging.getLogger(__name__)
ANALYSIS_THREAD_NAME = "standards-analysis"
# After a cache hit, the analysis of the opened version starts this much later: answering a pull
# (building and writing the report) needs the event loop, and an analysis that holds the GIL
# would make it wait for the interpreter's thread switches, doubling the reopen latency.
CACHED_ANSWER_GRACE_SECONDS = 0.01
# From this many characters a document is checked in a child process, fresh each time. A first
# check holds the interpreter lock ~6 s per MB (measured: 5 MB, 30 s), so a smaller threshold
# would give up the unit cache, and with it keystroke-speed re-checks, where they still pay.
HUGE_TEXT_CHARACTERS = 1_000_000
# An opened text's analysis is written to the result cache this long after its diagnostics are
# handed out (a push, or the answer to a pull a few turns of the event loop later).
STORE_DELAY_SECONDS = 0.02


class _DocumentState:
    """The scheduler's bookkeeping for one open document."""

    def __init__(self, renderer: Renderer) -> None:
        self.cache: UnitCache | None = None
        self.renderer = renderer
        self.result: AnalysisResult | None = None
        self.dirty = False
        self.task: asyncio.Task[None] | None = None
        self.waiters: list[asyncio.Future[AnalysisResult]] = []
        # pulls: answered by cached diagnostics too
        self.diagnostic_waiters: list[asyncio.Future[DiagnosticsResult]] = []
        self.closed = False
        self.look_up = False  # just opened: try the result cache before the first analysis
        self.cached: DiagnosticsResult | None = None  # from the cache, until the analysis ends
        self.store_version: int | None = None  # write the analysis of this version to the cache
        self.view: FindingView = FindingView(None)  # which findings become diagnostics

    def all_waiters(self) -> list[asyncio.Future[Any]]:
        """Every waiter, for either kind of answer, taken off the lists."""
        waiters: list[asyncio.Future[Any]] = [*self.waiters, *self.diagnostic_waiters]
        self.waiters, self.diagnostic_waiters = [], []
        return waiters


class Renderer(Protocol):
    """Turns findings into the client's diagnostics, as opaque text fragments (the server's
    `server.rendering.DiagnosticRenderer`; one per document, it may reuse what it rendered)."""

    def render(self, findings: list[Finding], lines: list[str]) -> list[str]:
        """The diagnostics of `findings` on `lines`, in order."""
        ...


type RendererFactory = Callable[[], Renderer]
type ResultCallback = Callable[[AnalysisResult], None]
type DiagnosticsCallback = Callable[[DiagnosticsResult], None]
type Job = tuple[Callable[[], Any], Future[Any]]


class AnalysisThread:
    """One daemon thread running engine work in order.

    Not a `ThreadPoolExecutor`: its workers are joined at interpreter exit, so an `exit` from
    the client would wait for an analysis of a huge file to finish.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=ANALYSIS_THREAD_NAME, daemon=True)
        self._thread.start()

    def submit[T](self, work: Callable[[], T]) -> Future[T]:
        """Queue `work`; its future completes on the analysis thread."""
        future: Future[T] = Future()
        self._jobs.put((work, future))
        return future

    def waiting(self) -> bool:
        """Whether work is queued behind the job running now (callable from any thread)."""
        return not self._jobs.empty()

    def _work(self) -> None:
        while True:
            work, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as error:  # handed to the awaiting coroutine
                future.set_exception(error)


def _settled(result: DiagnosticsResult, version: int, state: _DocumentState) -> bool:
    """Whether `result` answers for `version` as things stand: no run waits or is under way.
    A run under way may be for the same version under new settings (a configuration change),
    whose answer replaces this one."""
    return result.version == version and not state.dirty and state.task is None


class Scheduler:
    """Analyses open documents in the background and hands out their latest results."""

    def __init__(
        self,
        engine: Engine,
        documents: DocumentStore,
        configuration: Configuration,
        renderer: RendererFactory,
    ) -> None:
        self.engine = engine
        self.documents = documents
        self.configuration = configuration
        self.renderer = renderer
        self.thread = AnalysisThread()
        self.on_result: list[ResultCallback] = []
        self.on_cached: list[DiagnosticsCallback] = []
        self.results = None if disabled_by_environment() else ResultCache(engine.registry)
        if self.results is not None:  # while the client initializes, before any document opens
            self.thread.submit(self.results.warm_up)
        self._states: dict[str, _DocumentState] = {}
        # how many times an analysis was asked for: read from the analysis thread, where the
        # workspace index gives up the file it checks as soon as this moves
        self.scheduled = 0
        self.ids = ResultIds()
        self.collector = IdleCollector(self.busy)
        self.releaser = MemoryReleaser()

    def busy(self) -> bool:
        """Whether any document is being analysed or waits for an analysis."""
        return any(state.task is not None or state.dirty for state in self._states.values())

    def schedule(self, uri: str, opened: bool = False) -> None:
        """Analyse the document's current text soon (a run in progress finishes first).

        `opened`: the document was just opened; its diagnostics may come from the result
        cache before the analysis ends, and a miss is written to the cache."""
        state = self._states.get(uri)
        if state is None:
            state = _DocumentState(self.renderer())
            self._states[uri] = state
        self.scheduled += 1
        state.dirty = True
        state.look_up = state.look_up or opened
        if not opened:
            state.cached = None  # an edit or new settings: the cache's answer no longer holds
        if state.task is None:
            state.task = asyncio.get_running_loop().create_task(self._run(uri, state))

    def schedule_all(self) -> None:
        """Re-analyse every open document (the configuration changed)."""
        for document in self.documents.all():
            self.schedule(document.uri)

    def saved(self, uri: str) -> None:
        """The document was saved: write the analysis of its current version to the cache (now,
        on the analysis thread, when it is done; else when it ends)."""
        state = self._states.get(uri)
        document = self.documents.get(uri)
        if state is None or document is None or self.results is None:
            return
        result = state.result
        if result is not None and result.version == document.version and not state.dirty:
            self.thread.submit(
                partial(self._store, result.cache_directory, result.source, result.analysis)
            )
        else:
            state.store_version = document.version

    def forget(self, uri: str) -> None:
        """The document was closed: drop its state; a run in progress is dropped when it ends."""
        state = self._states.pop(uri, None)
        if state is not None:
            state.closed = True
            for waiter in state.all_waiters():
                if not waiter.done():
                    waiter.cancel()

    def latest(self, uri: str) -> AnalysisResult | None:
        """The last published result of a document, whatever its version."""
        state = self._states.get(uri)
        return state.result if state is not None else None

    async def result_for(self, uri: str) -> AnalysisResult | None:
        """The result for the document's current version, waiting for it if needed."""
        document = self.documents.get(uri)
        state = self._states.get(uri)
        if document is None or state is None:
            return None
        result = state.result
        if result is not None and _settled(result, document.version, state):
            return result
        return await _next_answer(state.waiters)

    async def diagnostics_for(self, uri: str) -> DiagnosticsResult | None:
        """The diagnostics of the document's current version (for pulls): from the result cache
        when they came from there and the analysis has not ended yet, else as `result_for`."""
        document = self.documents.get(uri)
        state = self._states.get(uri)
        if document is None or state is None:
            return None
        result = state.result
        if result is not None and _settled(result, document.version, state):
            return result
        # the cache's answer is dropped on any edit or new settings, so it holds while the run
        # it stands in for is still going
        if (
            state.cached is not None
            and state.cached.version == document.version
            and not state.dirty
        ):
            return state.cached
        return await _next_answer(state.diagnostic_waiters)

    async def run_in_thread[T](self, work: Callable[[], T]) -> T:
        """Run other engine work (building a fix) on the analysis thread."""
        return await asyncio.wrap_future(self.thread.submit(work))

    async def _run(self, uri: str, state: _DocumentState) -> None:
        try:
            while state.dirty and not state.closed:
                state.dirty = False
                document = self.documents.get(uri)
                if document is None:
                    return
                state.view = self.configuration.view_for(document)
                snapshot = Snapshot(
                    document,
                    self.configuration.settings_for(document),
                    self.configuration.project_root(document),
                    self._cache_directory(document),
                )
                if state.look_up:
                    state.look_up = False
                    if await self._look_up(snapshot, state):
                        await asyncio.sleep(CACHED_ANSWER_GRACE_SECONDS)
                    if state.dirty or state.closed:
                        continue  # a newer version came in meanwhile
                self.collector.pause()  # resumed once the result is handed out below
                try:
                    result = await self._analysis_of(snapshot, state)
                except Exception as error:  # an engine bug: answer waiters, keep serving
                    logger.exception("analysing %s failed", uri)
                    self._fail_waiters(state, error)
                    continue
                finally:
                    self.collector.resume_soon()
                if state.dirty or state.closed:
                    continue  # stale: a newer version is waiting
                self._publish(state, result)
                self._free_trees(result)
        finally:
            state.task = None

    def _free_trees(self, result: AnalysisResult) -> None:
        """Free the analysis's syntax trees on the analysis thread once its diagnostics are
        out (freed during the check, they came before them), a little later for the reason
        the result-cache write waits: freeing holds the interpreter lock the event loop needs
        to write those diagnostics."""
        cache = result.analysis.cache
        if cache is not None and cache.spent:
            loop = asyncio.get_running_loop()
            loop.call_later(STORE_DELAY_SECONDS, self.thread.submit, cache.free_trees)

    def _cache_directory(self, document: Document) -> Path | None:
        if self.results is None or isinstance(document, NotebookDocument):
            # a notebook's module is no file's text: kept out as `check` keeps notebooks out
            return None
        return self.configuration.cache_directory(document)

    async def _look_up(self, snapshot: Snapshot, state: _DocumentState) -> bool:
        """Hand out the cached diagnostics of a just-opened text (True when there were some);
        on a miss, have its analysis written to the cache."""
        if snapshot.cache_directory is None:
            return False
        try:
            cached = await self.run_in_thread(partial(self._cached, snapshot, state))
        except Exception:  # a cache bug must not cost the document its analysis
            logger.exception("looking up %s in the result cache failed", snapshot.uri)
            return False
        if cached is None:
            state.store_version = snapshot.version
            return False
        if state.dirty or state.closed:
            return False
        state.cached = cached
        for callback in self.on_cached:
            try:
                callback(cached)
            except Exception:  # as in _publish
                logger.exception("handling the cached result of %s failed", cached.uri)
        waiters, state.diagnostic_waiters = state.diagnostic_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(cached)
        return True

    def _cached(self, snapshot: Snapshot, state: _DocumentState) -> DiagnosticsResult | None:
        """On the analysis thread: the text's cached diagnostics, rendered (None on a miss)."""
        findings: list[Finding] | None = None
        if self.results is not None and snapshot.cache_directory is not None:
            findings = self.results.load(snapshot.cache_directory, snapshot.source)
        if findings is None:
            if self.results is not None and snapshot.cache_directory is not None:
                # made before the first diagnostics, not with the first entry after them: in
                # a VS Code e2e run, a rename box opened on a diagnostic lost its focus just as
                # the explorer showed the new folder
                self.results.prepare(snapshot.cache_directory)
            return None
        shown = state.view.shown(findings, engine_lines(snapshot.lines))
        fragments, cells = _rendered(state.renderer, snapshot.notebook, snapshot.lines, shown)
        return DiagnosticsResult(
            uri=snapshot.uri,
            version=snapshot.version,
            fragments=fragments,
            sequence=self.ids.next(),
            notebook=snapshot.notebook,
            cells=cells,
        )

    def _store(self, directory: Path | None, source: SourceFile, analysis: Analysis) -> None:
        """On the analysis thread: write an analysis's findings to the result cache."""
        if self.results is None or directory is None:
            return
        try:
            self.results.store(directory, source, analysis)
        except Exception:  # the cache is an optimisation: never worth a failed analysis
            logger.exception("writing %s to the result cache failed", source.path)

    async def _analysis_of(self, snapshot: Snapshot, state: _DocumentState) -> AnalysisResult:
        """The snapshot's analysis and diagnostics: a huge text checked in a child process."""
        if len(snapshot.text) < HUGE_TEXT_CHARACTERS:
            return await self.run_in_thread(partial(self._analyse, snapshot, state))
        state.cache = None
        # checked and rendered there: rendering a huge file's findings here took the analysis
        # thread for 90-170 ms, which every other document's request waited for
        apart = partial(
            check_apart, snapshot.source, state.view, self.renderer(), snapshot.notebook
        )
        analysis, fragments, cells = await in_child(apart, long_lived=True)
        return self._result(snapshot, analysis, fragments, cells)

    def _analyse(self, snapshot: Snapshot, state: _DocumentState) -> AnalysisResult:
        """On the analysis thread: check the text, render its diagnostics."""
        source = snapshot.source
        # the trees are freed once the diagnostics are out (`_free_trees`)
        cache = state.cache or UnitCache(free_trees_later=True)
        analysis = self.engine.check(source, cache=cache, lines=engine_lines(snapshot.lines))
        state.cache = analysis.cache
        result = self._rendered(snapshot, state, analysis)
        self.releaser.maybe_release()  # what the check freed, back to the system
        return result

    def _rendered(
        self, snapshot: Snapshot, state: _DocumentState, analysis: Analysis
    ) -> AnalysisResult:
        """On the analysis thread: the result of an analysis, its diagnostics rendered."""
        shown = state.view.shown(analysis.findings, engine_lines(snapshot.lines))
        fragments, cells = _rendered(state.renderer, snapshot.notebook, snapshot.lines, shown)
        return self._result(snapshot, analysis, fragments, cells)

    def _result(
        self,
        snapshot: Snapshot,
        analysis: Analysis,
        fragments: list[str],
        cells: dict[str, list[str]] | None,
    ) -> AnalysisResult:
        result = AnalysisResult(
            uri=snapshot.uri,
            path=snapshot.path,
            root=snapshot.root,
            version=snapshot.version,
            text=snapshot.text,
            lines=snapshot.lines,
            settings=snapshot.settings,
            analysis=analysis,
            fragments=fragments,
            sequence=self.ids.next(),
            cache_directory=snapshot.cache_directory,
            notebook=snapshot.notebook,
            cells=cells,
        )
        return result

    def _fail_waiters(self, state: _DocumentState, error: Exception) -> None:
        for waiter in state.all_waiters():
            if not waiter.done():
                waiter.set_exception(error)

    def _publish(self, state: _DocumentState, result: AnalysisResult) -> None:
        cached, state.cached = state.cached, None
        self.ids.carry_over(result, cached, state.result)
        state.result = result
        if state.store_version == result.version:
            # decided here, on the event loop, as `saved` is: a save that came in while this
            # version was being analysed is not missed
            state.store_version = None
            store = partial(self._store, result.cache_directory, result.source, result.analysis)
            # a little later: writing the entry holds the interpreter lock (its JSON is built
            # in one call), which the event loop needs to write these very diagnostics
            asyncio.get_running_loop().call_later(STORE_DELAY_SECONDS, self.thread.submit, store)
        self.collector.activity()
        for callback in self.on_result:
            try:
                callback(result)
            except Exception:  # one broken consumer must not stop the others
                logger.exception("handling the result of %s failed", result.uri)
        for waiter in state.all_waiters():
            if not waiter.done():
                waiter.set_result(result)


type Rendered = tuple[list[str], dict[str, list[str]] | None]


def _rendered(
    renderer: Renderer, notebook: NotebookLayout | None, lines: list[str], shown: list[Finding]
) -> Rendered:
    """The diagnostics of the shown findings, and for a notebook each cell's, by cell URI (a
    notebook's findings are new objects per run, placed in their cells: the renderer's reuse
    does not apply, and a notebook is small)."""
    if notebook is None:
        return renderer.render(shown, lines), None
    placed = notebook.placed(shown)
    cells = {cell.uri: renderer.render(placed[cell.uri], cell.lines) for cell in notebook.cells}
    return [fragment for fragments in cells.values() for fragment in fragments], cells


def check_apart(
    source: SourceFile, view: FindingView, renderer: Renderer, notebook: NotebookLayout | None
) -> tuple[Analysis, list[str], dict[str, list[str]] | None]:
    """In a child process: a fresh check of `source` and its diagnostics, rendered as the
    server would. The engine's cache is not sent back: it would cost more to pickle than it
    saves, and its cache keys are object ids."""
    analysis = Engine(_child_registry()).check(source)
    lines = lsp_lines(source.text or "")
    shown = view.shown(analysis.findings, engine_lines(lines))
    fragments, cells = _rendered(renderer, notebook, lines, shown)
    kept = Analysis.model_construct(
        findings=analysis.findings, failures=analysis.failures, unit_count=analysis.unit_count
    )
    return kept, fragments, cells


def _child_registry() -> Registry:
    """The registry the server built, test plugins included (imported before it is built)."""
    load_test_plugins()
    return default_registry()


async def _next_answer[Answer](waiters: list[asyncio.Future[Answer]]) -> Answer:
    """Wait on a new future in `waiters` (answered, and the list swapped, by the scheduler);
    taken off the list if the wait is cancelled first."""
    waiter: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
    waiters.append(waiter)
    try:
        return await waiter
    finally:
        if waiter in waiters:
            waiters.remove(waiter)
