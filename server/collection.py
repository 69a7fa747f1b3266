"""The cyclic garbage collector, run while the server is idle rather than mid-keystroke.

The engine's caches hold a few hundred thousand objects for a large file. CPython's automatic
collection scans them all whenever enough new containers survive, which every re-check does:
measured on the 20,000-line benchmark file, a full collection ran on nearly every keystroke and
cost ~26 ms of a ~56 ms re-check. Nothing the engine keeps forms reference cycles (reference
counting frees it), so the server turns automatic collection off and collects once the
documents have settled, or at the latest after `MAX_SECONDS_WITHOUT_COLLECTION`.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

# Seconds without a new analysis after which the server counts as idle.
IDLE_SECONDS = 2.0
# A server that is never idle (a file re-checked without pause) still collects this often.
MAX_SECONDS_WITHOUT_COLLECTION = 60.0


class IdleCollector:
    """Collects garbage cycles after `IDLE_SECONDS` without activity."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self._busy = busy
        self._timer: asyncio.TimerHandle | None = None
        self._last_collection = time.monotonic()
        self.collections = 0

    def take_over(self) -> None:
        """Turn automatic collection off: from now on this collector decides when."""
        gc.disable()

    def activity(self) -> None:
        """Something was analysed: collect once things have been quiet for a while."""
        if time.monotonic() - self._last_collection > MAX_SECONDS_WITHOUT_COLLECTION:
            self._collect()
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._when_idle)

    def _when_idle(self) -> None:
        self._timer = None
        if self._busy():
            self._timer = asyncio.get_running_loop().call_later(IDLE_SECONDS, self._when_idle)
            return
        self._collect()

    def _collect(self) -> None:
        gc.collect()
        self.collections += 1
        self._last_collection = time.monotonic()
