"""Running the engine on open documents, off the event loop; the latest version wins.

Each document has at most one analysis running (on the single analysis thread: the engine is
CPU-bound Python, so more threads would only contend for the GIL) and a "dirty" flag. An edit
sets the flag; when a run ends and the flag is set again its result is stale: it is dropped
(its unit cache is kept, it is still a valid cache) and the latest text is analysed next. So a
burst of keystrokes costs at most one analysis in flight plus one of the final text.

Every result goes to the `on_result` callback (publishing, pull responses) and to whoever waits
for that document version (`result_for`: code actions, hover, pulls).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any

from rules.engine import Analysis, Engine, SourceFile, UnitCache
from rules.settings import FileSettings
from server.collection import IdleCollector
from server.configuration import Configuration
from server.documents import Document, DocumentStore, PositionCodec, engine_lines
from server.rendering import DiagnosticRenderer

logger = logging.getLogger(__name__)
ANALYSIS_THREAD_NAME = "standards-analysis"


class AnalysisResult:
    """One finished analysis of one version of one document."""

    def __init__(  # noqa: PLR0913 - a plain record of what one run produced
        self,
        *,
        uri: str,
        path: str | None,
        root: str | None,
        version: int,
        text: str,
        lines: list[str],
        settings: FileSettings,
        analysis: Analysis,
        fragments: list[str],
        sequence: int,
    ) -> None:
        self.uri = uri
        self.path = path
        self.root = root
        self.version = version
        self.text = text
        self.lines = lines
        self.settings = settings
        self.analysis = analysis
        self.fragments = fragments
        self.result_id = f"{sequence}"


class _Snapshot:
    """What a run needs, taken on the event loop so the thread never sees a changing document."""

    def __init__(self, document: Document, settings: FileSettings, root: str | None) -> None:
        self.uri = document.uri
        self.path = document.path
        self.version = document.version
        self.text = document.text
        self.lines = list(document.lines)
        self.settings = settings
        self.root = root


class _DocumentState:
    """The scheduler's bookkeeping for one open document."""

    def __init__(self, codec: PositionCodec) -> None:
        self.cache: UnitCache | None = None
        self.renderer = DiagnosticRenderer(codec)
        self.result: AnalysisResult | None = None
        self.dirty = False
        self.task: asyncio.Task[None] | None = None
        self.waiters: list[asyncio.Future[AnalysisResult]] = []
        self.closed = False


type ResultCallback = Callable[[AnalysisResult], None]
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

    def _work(self) -> None:
        while True:
            work, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as error:  # handed to the awaiting coroutine
                future.set_exception(error)


class Scheduler:
    """Analyses open documents in the background and hands out their latest results."""

    def __init__(
        self, engine: Engine, documents: DocumentStore, configuration: Configuration
    ) -> None:
        self.engine = engine
        self.documents = documents
        self.configuration = configuration
        self.codec = PositionCodec()
        self.thread = AnalysisThread()
        self.on_result: list[ResultCallback] = []
        self._states: dict[str, _DocumentState] = {}
        self._sequence = 0
        self.collector = IdleCollector(self.busy)

    def busy(self) -> bool:
        """Whether any document is being analysed or waits for an analysis."""
        return any(state.task is not None or state.dirty for state in self._states.values())

    def schedule(self, uri: str) -> None:
        """Analyse the document's current text soon (a run in progress finishes first)."""
        state = self._states.get(uri)
        if state is None:
            state = _DocumentState(self.codec)
            self._states[uri] = state
        state.dirty = True
        if state.task is None:
            state.task = asyncio.get_running_loop().create_task(self._run(uri, state))

    def schedule_all(self) -> None:
        """Re-analyse every open document (the configuration changed)."""
        for document in self.documents.all():
            self.schedule(document.uri)

    def forget(self, uri: str) -> None:
        """The document was closed: drop its state; a run in progress is dropped when it ends."""
        state = self._states.pop(uri, None)
        if state is not None:
            state.closed = True
            for waiter in state.waiters:
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
        if (
            state.result is not None
            and state.result.version == document.version
            and (not state.dirty)
        ):
            return state.result
        waiter: asyncio.Future[AnalysisResult] = asyncio.get_running_loop().create_future()
        state.waiters.append(waiter)
        try:
            return await waiter
        finally:
            if waiter in state.waiters:
                state.waiters.remove(waiter)

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
                snapshot = _Snapshot(
                    document,
                    self.configuration.settings_for(document),
                    self.configuration.project_root(document),
                )
                try:
                    result = await self.run_in_thread(partial(self._analyse, snapshot, state))
                except Exception as error:  # an engine bug: answer waiters, keep serving
                    logger.exception("analysing %s failed", uri)
                    self._fail_waiters(state, error)
                    continue
                if state.dirty or state.closed:
                    continue  # stale: a newer version is waiting
                self._publish(state, result)
        finally:
            state.task = None

    def _analyse(self, snapshot: _Snapshot, state: _DocumentState) -> AnalysisResult:
        """On the analysis thread: check the text, render its diagnostics."""
        source = SourceFile(
            text=snapshot.text,
            settings=snapshot.settings,
            path=snapshot.path,
            project_root=snapshot.root,
        )
        analysis = self.engine.check(source, cache=state.cache, lines=engine_lines(snapshot.lines))
        state.cache = analysis.cache
        fragments = state.renderer.render(analysis.findings, snapshot.lines)
        self._sequence += 1
        return AnalysisResult(
            uri=snapshot.uri,
            path=snapshot.path,
            root=snapshot.root,
            version=snapshot.version,
            text=snapshot.text,
            lines=snapshot.lines,
            settings=snapshot.settings,
            analysis=analysis,
            fragments=fragments,
            sequence=self._sequence,
        )

    def _fail_waiters(self, state: _DocumentState, error: Exception) -> None:
        waiters, state.waiters = state.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(error)

    def _publish(self, state: _DocumentState, result: AnalysisResult) -> None:
        previous = state.result
        if previous is not None and previous.fragments == result.fragments:
            # the same diagnostics: a pull naming the previous result gets "unchanged"
            result.result_id = previous.result_id
        state.result = result
        self.collector.activity()
        for callback in self.on_result:
            try:
                callback(result)
            except Exception:  # one broken consumer must not stop the others
                logger.exception("handling the result of %s failed", result.uri)
        waiters, state.waiters = state.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(result)
