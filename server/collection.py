"""The cyclic garbage collector: left on, and also run while the server is idle.

Automatic collection used to be turned off here, on the premise that the engine makes no
reference cycles; it made one per check (the split's class-aware parse and its splitter held
each other, and with them the module's lines and the split memo), and over 5,000 edits of
typing.py the server grew from 62 to 232 MB. That cycle is gone (`rules.splitter`), and the
collector stays on, so whatever cycle some later change makes is freed, not kept: no
measurement has shown a gain from turning it off that comes without growth.

- at start, what the imports built is frozen (`gc.freeze`): it lives as long as the process and
  no collection needs to scan it again. It is frozen without a collection first: that full
  collection of everything the imports built (~25 ms, for some 50 objects freed) came before the
  server read its first message; the first idle full collection unfreezes first instead, so the
  imports' few cycles are still freed, once the user has stopped typing;
- after `YOUNG_IDLE_SECONDS` without an analysis, the young generations are collected (a few
  milliseconds: only what was allocated since the last collection);
- after `FULL_IDLE_SECONDS` without one, everything is (tens of milliseconds on a big file: only
  when the user has clearly stopped typing);
- a server that is never idle still collects its young generations every
  `MAX_SECONDS_WITHOUT_COLLECTION`;
- while a document is analysed, and for `RESUME_SECONDS` after its result is handed out,
  automatic collection waits (`pause`, `resume_soon`): the check's survivors (its unit cache,
  tens of thousands of objects) were scanned by the young collection that the first allocation
  after the check set off, before its diagnostics were written (~6 ms of a first check of
  typing.py, 8 % of it). The same scan now runs once they are on their way.

A huge file's findings, unpickled from its child (`server.child`), are many long-lived objects
built at once (7,588 findings, ~150,000 objects on a 5 MB file). Unpickled with collection on,
each full collection started meanwhile scanned the whole heap holding the interpreter lock: the
event loop stopped for up to 150 ms at a time (12 ms with collection paused, measured). And
once collection is back on, the young collections and then a full one scan them all again, up
to 250 ms on a loaded machine. So they are unpickled with collection paused and then frozen
(`freeze_long_lived`), out of reach of automatic collections; from then on the idle full
collection unfreezes everything first and freezes what survives, so whatever of it becomes
garbage (a cycle, after the file is edited or closed) is still collected, when the user has
stopped typing.

Memory freed is also handed back to the system (`MemoryReleaser`, glibc's `malloc_trim`, at
most every `RELEASE_INTERVAL_SECONDS`, on the analysis thread after an analysis). Each check
allocates and frees large transient structures (syntax trees of the texts a broken statement's
merges try, the joined texts themselves) between the long-lived cache entries it adds; the
allocator keeps the free holes they leave, and over 5,000 edits of typing.py the holes
(15 MB, glibc's `fordblks`) grew the server's RSS as much as its live data did. A trim costs
under a millisecond there. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import threading
import time
from collections.abc import Callable

from rules.engine import pause_collector, resume_collector

# Seconds without a new analysis after which the young generations are collected.
YOUNG_IDLE_SECONDS = 2.0
# Seconds without a new analysis after which every generation is collected.
FULL_IDLE_SECONDS = 30.0
# A server that is never idle (a file re-checked without pause) still collects this often.
MAX_SECONDS_WITHOUT_COLLECTION = 60.0
# How long after an analysis automatic collection stays paused: the diagnostics (a push, or
# the answer to a pull a few turns of the event loop later) are written meanwhile.
RESUME_SECONDS = 0.02
# `gc.collect` generations: 1 collects the two young ones, 2 all three.
YOUNG_GENERATIONS = 1
ALL_GENERATIONS = 2
# Freed memory is handed back to the system at most this often.
RELEASE_INTERVAL_SECONDS = 1.0
# `malloc_trim(pad)`: keep no extra free memory at the top of the heap.
TRIM_PAD = 0
logger = logging.getLogger(__name__)


class MemoryReleaser:
    """Hands memory the process has freed back to the system (glibc's `malloc_trim`), now and
    then; a no-op where the C library has no `malloc_trim`."""

    def __init__(self, interval: float = RELEASE_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._trim = _malloc_trim()
        self._last = time.monotonic()
        self.releases = 0

    @property
    def available(self) -> bool:
        """Whether this C library can hand freed memory back."""
        return self._trim is not None

    def maybe_release(self) -> None:
        """Release now if the last release is `interval` seconds old."""
        now = time.monotonic()
        if self._trim is None or now - self._last < self.interval:
            return
        self._last = now
        self._trim(TRIM_PAD)
        self.releases += 1


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        logger.debug("no malloc_trim in %s: freed memory stays with the allocator", name)
        return None


class IdleCollector:
    """Collects garbage cycles when the documents have settled."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self._busy = busy
        self._timers: dict[int, asyncio.TimerHandle] = {}  # by the generation it collects
        self._last_collection = time.monotonic()
        self.collections: list[int] = []  # the generation of each collection made
        # whether what `take_over` froze, uncollected, still waits for a full collection
        self._imports_unswept = False

    def take_over(self) -> None:
        """Freeze what exists now and turn automatic collection on (the entry points turn it
        off for the imports: `server.cli.serve`); its garbage is collected by the first idle
        full collection."""
        gc.freeze()
        self._imports_unswept = True
        gc.enable()

    def pause(self) -> None:
        """Stop automatic collection until the matching `resume_soon` has taken effect (the
        engine's pause, `rules.engine.pause_collector`, counted with its checks' own)."""
        pause_collector()

    def resume_soon(self) -> None:
        """Undo one `pause`, `RESUME_SECONDS` from now (on the running event loop)."""
        asyncio.get_running_loop().call_later(RESUME_SECONDS, resume_collector)

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
        if generation == ALL_GENERATIONS and (_FROZEN.since_start or self._imports_unswept):
            # what `freeze_long_lived` or `take_over` froze is collected too (with the imports
            # frozen at start: ~50 ms more, the first time, and then only in a session that has
            # had a huge file)
            gc.unfreeze()
            gc.collect(generation)
            gc.freeze()
            self._imports_unswept = False
        else:
            gc.collect(generation)
        self.collections.append(generation)
        self._last_collection = time.monotonic()


class _LongLivedFreezes:
    """Whether `freeze_long_lived` has frozen anything since the start (the idle full collection
    then looks at frozen objects too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since_start = False

    def freeze(self) -> None:
        with self._lock:
            gc.freeze()
            self.since_start = True


_FROZEN = _LongLivedFreezes()


def freeze_long_lived() -> None:
    """Keep what is alive now out of automatic collections (call it with the collector paused,
    right after building many long-lived objects: see the module's documentation)."""
    _FROZEN.freeze()
