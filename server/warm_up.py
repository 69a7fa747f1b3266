"""What the first code action needs, loaded in the background once the user has stopped typing.

Start-up imports only what the first diagnostics need; the first quick fix of a session then
imported libcst and the families' fix builders and built pygls' converter for diagnostics:
270-310 ms in which that request, and every request behind it, waited. So once a result has
been published and no analysis has followed for `IDLE_SECONDS`, those imports are made on a
worker thread, one module at a time, each only while the server is idle: run right after the
first result instead, they shared the interpreter lock with the first edits' analyses, and the
edit p95 on typing.py went from 9 to 32-36 ms (bench.lsp_latency, measured). A code action that
comes in meanwhile waits only for the module being imported (the import system's lock).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rules.registry import family_modules
from server.rendering import diagnostic_converter

if TYPE_CHECKING:
    from server.language_server import StandardsServer
    from server.results import AnalysisResult

# Seconds without a new result (and no analysis running) before the next step.
IDLE_SECONDS = 1.0
logger = logging.getLogger(__name__)


def warm_up_steps() -> list[Callable[[], object]]:
    """The fixer, libcst, every module of the families, the diagnostic converter: in that order,
    each a step of its own."""
    modules = ["rules.fixer", "libcst", *family_modules()]
    return [*(partial(importlib.import_module, name) for name in modules), diagnostic_converter]


class WarmUp:
    """Runs the warm-up steps, one at a time on a worker thread, while `busy()` says no document
    is being analysed and none has been for `IDLE_SECONDS` (timed on the event loop)."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self._busy = busy
        # listed at the first step (walking the family packages is no work for the start-up)
        self._steps: list[Callable[[], object]] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._running = False
        self.finished = asyncio.Event()

    def __call__(self, _result: AnalysisResult) -> None:
        """A result was published: the quiet time starts again."""
        if self._steps is None or self._steps:
            self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._next)

    def _next(self) -> None:
        self._timer = None
        if self._steps is None:
            self._steps = warm_up_steps()
        if self._running or not self._steps:
            return
        if self._busy():
            self._arm()
            return
        step = self._steps.pop(0)
        self._running = True
        running = asyncio.get_running_loop().run_in_executor(None, step)
        running.add_done_callback(self._stepped)

    def _stepped(self, done: asyncio.Future[object]) -> None:
        self._running = False
        if not done.cancelled() and done.exception() is not None:
            # a warm-up only saves time: the first code action loads what failed here
            logger.warning("loading a fix builder in the background failed: %s", done.exception())
        if self._steps:
            if self._timer is None:  # no result meanwhile: on at once while it stays quiet
                self._next()
        else:
            self.finished.set()


def register(server: StandardsServer) -> WarmUp:
    """Warm up once the published results have settled; returned for tests to wait on."""
    warm_up = WarmUp(server.scheduler.busy)
    server.scheduler.on_result.append(warm_up)
    return warm_up
