"""The workspace index: after `initialized`, every Python file of the workspace folders is
checked in the background and its findings written to the result cache, so that opening a file
later is a cache hit (its diagnostics shown at once, see `server.scheduling`).

The index has the lowest priority. It hands the analysis thread one file at a time, and only
while no open document is being analysed or waits for an analysis; the file's check gives up
before its next unit as soon as an edit, an open or a request wants the thread (the file is
checked again when all is idle), so these wait for at most one unit of the file being
indexed. A file above `MAX_IN_PROCESS_BYTES` is checked in a child process instead
(`server.child`): its split, before its first unit, would hold an edit up, while the child
holds up nothing (it writes the cache itself and sends back no findings). Files above
`MAX_INDEXED_BYTES` wait until they are opened. Files the cache already knows are not checked
again, so a restart costs a walk and a read per file.

Progress is reported with `$/progress` when the client supports it. The editor setting
`workspaceIndex: false` turns the index off; without a result cache
(`STANDARDS_LSP_NO_CACHE=1`) it has nowhere to write and does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from rules.engine import CheckInterrupted, is_python
from server.child import in_child
from server.result_cache import CacheOptions

if TYPE_CHECKING:
    from server.batch import Batch
    from server.language_server import StandardsServer

PROGRESS_TITLE = "Indexing the workspace"
PERCENT = 100
# Larger files are checked in a child process: on the analysis thread, the split of one
# before its first unit would hold an edit up.
MAX_IN_PROCESS_BYTES = 512 * 1024
# Larger files wait until they are opened: a child checking one needs hundreds of MiB.
MAX_INDEXED_BYTES = 2 * 1024 * 1024
# How often the index looks again whether the open documents' analyses are done.
IDLE_POLL_SECONDS = 0.05
# How many files between two progress reports.
REPORT_EVERY = 20
logger = logging.getLogger(__name__)


def _size(path: Path) -> int | None:
    """The size of a Python file to index (None: not one, too big, or gone)."""
    if not is_python(str(path)):
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return size if size <= MAX_INDEXED_BYTES else None


class WorkspaceIndex:
    """Fills the result cache with the workspace folders' Python files, one at a time when idle."""

    def __init__(self, server: StandardsServer) -> None:
        self.server = server
        self.task: asyncio.Task[int] | None = None
        self.indexed = 0

    @property
    def enabled(self) -> bool:
        """Whether indexing can and may run."""
        editor = self.server.configuration.editor
        return editor.workspace_index and self.server.scheduler.results is not None

    def start(self) -> None:
        """Index the current workspace folders (a run in progress is replaced)."""
        if self.task is not None:
            self.task.cancel()
        if not self.enabled or not self.server.configuration.folders:
            self.task = None
            return
        self.task = asyncio.get_running_loop().create_task(self._run())

    def _batch(self) -> Batch:
        from server.batch import Batch  # not before the first diagnostics: the index runs after

        configuration = self.server.configuration
        return Batch(configuration.resolver, self.server.engine, cache=CacheOptions(enabled=True))

    async def _run(self) -> int:
        batch = self._batch()
        folders = [Path(folder) for folder in self.server.configuration.folders]
        files = await asyncio.to_thread(
            lambda: [
                (path, size) for path in batch.files(folders) if (size := _size(path)) is not None
            ]
        )
        token = await self._begin_progress(len(files))
        try:
            for done, (path, size) in enumerate(files):
                if size > MAX_IN_PROCESS_BYTES:
                    indexed = await self._index_apart(batch, path)
                else:
                    indexed = await self._index_when_idle(batch, path)
                if indexed:
                    self.indexed += 1
                if token is not None and done % REPORT_EVERY == 0:
                    self._report(token, done, len(files))
        finally:
            if token is not None:
                self.server.work_done_progress.end(
                    token, types.WorkDoneProgressEnd(message=f"{self.indexed} files indexed")
                )
        return self.indexed

    async def _index_when_idle(self, batch: Batch, path: Path) -> bool:
        """Check one file (unless it is open) while no document needs the analysis thread;
        the check gives up as soon as one does (an edit, an open, a request) and is made again
        when all is idle. False when the file was open."""
        scheduler = self.server.scheduler
        while True:
            await self._wait_until_idle()
            if self._is_open(path):
                return False
            wanted = scheduler.scheduled

            def interrupt(wanted: int = wanted) -> bool:
                return scheduler.scheduled != wanted or scheduler.thread.waiting()

            if await scheduler.run_in_thread(partial(_index, batch, path, interrupt)):
                return True

    async def _index_apart(self, batch: Batch, path: Path) -> bool:
        """Check one big file (unless it is open or cached) in a child process once all is
        idle; the child writes the result cache itself. False when the file was open."""
        await self._wait_until_idle()
        if self._is_open(path):
            return False
        if await asyncio.to_thread(batch.knows, path):
            return True  # a child costs a start-up: only for a file the cache lacks
        from server.batch import check_into_cache  # not before the first diagnostics

        overrides = self.server.configuration.resolver.overrides
        try:
            await in_child(partial(check_into_cache, overrides, path))
        except Exception:  # one file the engine or the child trips on must not stop the index
            logger.exception("indexing %s in a child process failed", path)
        return True

    async def _wait_until_idle(self) -> None:
        while self.server.scheduler.busy():
            await asyncio.sleep(IDLE_POLL_SECONDS)

    def _is_open(self, path: Path) -> bool:
        return self.server.documents.get(path.absolute().as_uri()) is not None

    async def _begin_progress(self, total: int) -> str | None:
        window = self.server.client_capabilities.window
        if window is None or not window.work_done_progress:
            return None
        token = str(uuid.uuid4())
        try:
            await self.server.work_done_progress.create_async(token)
        except Exception:  # a client refusing the token just sees no progress
            logger.exception("window/workDoneProgress/create failed")
            return None
        self.server.work_done_progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title=PROGRESS_TITLE, message=f"0/{total} files", percentage=0
            ),
        )
        return token

    def _report(self, token: str, done: int, total: int) -> None:
        self.server.work_done_progress.report(
            token,
            types.WorkDoneProgressReport(
                message=f"{done}/{total} files", percentage=done * PERCENT // max(total, 1)
            ),
        )


def _index(batch: Batch, path: Path, interrupt: Callable[[], bool]) -> bool:
    """On the analysis thread: check one file into the cache (a cached file is only read);
    False when `interrupt` gave the check up (nothing was written)."""
    try:
        batch.check_file(path, interrupt)
    except CheckInterrupted:
        return False
    except Exception:  # one file the engine trips on must not stop the index
        logger.exception("indexing %s failed", path)
    return True


def register(server: StandardsServer) -> WorkspaceIndex:
    """The server's index; `server.app` starts it once the client is initialized, and again
    when the folders or the settings change."""
    return WorkspaceIndex(server)
