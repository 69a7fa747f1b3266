"""The cyclic garbage collector: left on, and also run while the server is idle.

Automatic collection used to be turned off here, on the premise that the engine makes no
reference cycles; it made one per check (the split's class-aware parse and its splitter held
each other, and with them the module's lines and the split memo), and over 5,000 edits of
typing.py the server grew from 62 to 232 MB. That cycle is gone (`rules.splitter`), and the
collector stays on, so whatever cycle some later change makes is freed, not kept: no
measurement has shown a gain from turning it off that comes without growth.

- at start, what the imports built is frozen (`gc.freeze`): it lives as long as the process and
  no collection needs to scan it again;
- after `YOUNG_IDLE_SECONDS` without an analysis, the young generations are collected (a few
  milliseconds: only what was allocated since the last collection);
- after `FULL_IDLE_SECONDS` without one, everything is (tens of milliseconds on a big file: only
  when the user has clearly stopped typing);
- a server that is never idle still collects its young generations every
  `MAX_SECONDS_WITHOUT_COLLECTION`.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

# Seconds without a new analysis after which the young generations are collected.
YOUNG_IDLE_SECONDS = 2.0
# Seconds without a new analysis after which every generation is collected.
FULL_IDLE_SECONDS = 30.0
# A server that is never idle (a file re-checked without pause) still collects this often.
MAX_SECONDS_WITHOUT_COLLECTION = 60.0
# `gc.collect` generations: 1 collects the two young ones, 2 all three.
YOUNG_GENERATIONS = 1
ALL_GENERATIONS = 2


class IdleCollector:
    """Collects garbage cycles when the documents have settled."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self._busy = busy
        self._timers: dict[int, asyncio.TimerHandle] = {}  # by the generation it collects
        self._last_collection = time.monotonic()
        self.collections: list[int] = []  # the generation of each collection made

    def take_over(self) -> None:
        """Freeze what exists now (automatic collection stays on)."""
        gc.collect()
        gc.freeze()

    def activity(self) -> None:
        """Something was analysed: collect once things have been quiet for a while."""
        if time.monotonic() - self._last_collection > MAX_SECONDS_WITHOUT_COLLECTION:
            self._collect(YOUNG_GENERATIONS)
        for timer in self._timers.values():
            timer.cancel()
        self._arm(YOUNG_GENERATIONS)
        self._arm(ALL_GENERATIONS)

    def _arm(self, generation: int) -> None:
        delay = YOUNG_IDLE_SECONDS if generation == YOUNG_GENERATIONS else FULL_IDLE_SECONDS
        loop = asyncio.get_running_loop()
        self._timers[generation] = loop.call_later(delay, self._when_idle, generation)

    def _when_idle(self, generation: int) -> None:
        if self._busy():
            self._arm(generation)  # an analysis is running: look again later
            return
        self._collect(generation)

    def _collect(self, generation: int) -> None:
        gc.collect(generation)
        self.collections.append(generation)
        self._last_collection = time.monotonic()
