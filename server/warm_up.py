"""What the first code action needs, loaded in the background once the first diagnostics are out.

Start-up imports only what the first diagnostics need; the first quick fix of a session then
imported libcst and the families' fix builders and built pygls' converter for diagnostics:
270-310 ms in which that request, and every request behind it, waited (measured with a 5 MB file
being analysed meanwhile: a hover queued behind the first code action took 640 ms). Once the first
result is published, a daemon thread does that work instead. It shares the interpreter lock with
the event loop, which gets it back between the thread's bytecodes, and a code action that comes
in meanwhile waits only for the module being imported (the import system's lock), not for all.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING

from rules.registry import load_families
from server.rendering import diagnostic_converter

if TYPE_CHECKING:
    from server.language_server import StandardsServer
    from server.results import AnalysisResult

WARM_UP_THREAD_NAME = "standards-warm-up"
logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Load the fixer, every fix builder and the diagnostic converter."""
    try:
        importlib.import_module("rules.fixer")
        load_families()
        diagnostic_converter()
    except Exception:  # a warm-up only saves time: the first code action loads what failed here
        logger.exception("loading the fix builders in the background failed")


class WarmUpOnce:
    """Starts the warm-up with the first published result, and never again."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def __call__(self, _result: AnalysisResult) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=warm_up, name=WARM_UP_THREAD_NAME, daemon=True)
        self.thread.start()


def register(server: StandardsServer) -> WarmUpOnce:
    """Warm up after the first published result; the starter is returned for tests to join."""
    starter = WarmUpOnce()
    server.scheduler.on_result.append(starter)
    return starter
