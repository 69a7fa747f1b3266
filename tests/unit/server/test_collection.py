"""The server's garbage collection runs when the documents have settled, not mid-keystroke."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator
from random import Random

import pytest

from rules.engine import Engine, SourceFile
from server import collection
from server.collection import ALL_GENERATIONS, YOUNG_GENERATIONS, IdleCollector
from tests.support.engine import settings_for
from tests.support.paths import STDLIB

SHORT_IDLE_SECONDS = 0.01
LONGER_IDLE_SECONDS = 0.05
SETTLE_SECONDS = 0.15


@pytest.fixture(autouse=True)
def _short_idle(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(collection, "YOUNG_IDLE_SECONDS", SHORT_IDLE_SECONDS)
    monkeypatch.setattr(collection, "FULL_IDLE_SECONDS", LONGER_IDLE_SECONDS)
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()


async def test_collects_the_young_then_everything_once_idle() -> None:
    collector = IdleCollector(busy=lambda: False)
    collector.take_over()
    assert gc.isenabled()  # automatic collection stays on: a cycle is freed, not kept
    assert gc.get_freeze_count() > 0
    collector.activity()
    assert collector.collections == []
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == [YOUNG_GENERATIONS, ALL_GENERATIONS]


async def test_a_burst_of_activity_collects_once_it_ends() -> None:
    collector = IdleCollector(busy=lambda: False)
    for _ in range(5):
        collector.activity()
        # the loop runs between activities, but no idle delay can pass (a real sleep here made
        # the test depend on the machine's load)
        await asyncio.sleep(0)
    assert collector.collections == []
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == [YOUNG_GENERATIONS, ALL_GENERATIONS]


async def test_waits_while_an_analysis_is_running() -> None:
    running = [True]
    collector = IdleCollector(busy=lambda: running[0])
    collector.activity()
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == []
    running[0] = False
    await asyncio.sleep(SETTLE_SECONDS)
    assert YOUNG_GENERATIONS in collector.collections


async def test_a_server_that_is_never_idle_still_collects_its_young(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collection, "MAX_SECONDS_WITHOUT_COLLECTION", 0.0)
    collector = IdleCollector(busy=lambda: True)
    collector.activity()
    assert collector.collections == [YOUNG_GENERATIONS]


async def test_an_analysis_pauses_collection_until_shortly_after_its_result() -> None:
    """Paused through the check and the writing of its diagnostics, then on again: nested
    pauses (several documents) resume only with the last of them."""
    collector = IdleCollector(busy=lambda: False)
    gc.enable()
    collector.pause()
    collector.pause()
    assert not gc.isenabled()
    collector.resume_soon()
    await asyncio.sleep(collection.RESUME_SECONDS * 2)
    assert not gc.isenabled()  # the other analysis has not resumed yet
    collector.resume_soon()
    assert not gc.isenabled()  # not at once: its diagnostics are still to be written
    await asyncio.sleep(collection.RESUME_SECONDS * 2)
    assert gc.isenabled()


async def test_a_pause_leaves_collection_off_when_it_was_off() -> None:
    collector = IdleCollector(busy=lambda: False)
    gc.disable()
    collector.pause()
    collector.resume_soon()
    await asyncio.sleep(collection.RESUME_SECONDS * 2)
    assert not gc.isenabled()


# Edits of a module with classes: enough to re-split top-level statements and class members.
EDIT_COUNT = 30
EDIT_SEED = 13


def test_checks_of_edited_text_leave_no_reference_cycles() -> None:
    """Everything a check drops is freed by reference counting: a cycle would keep the split's
    lines and memo alive until a collection (the server grew with every edit)."""
    text = (STDLIB / "fractions.py").read_text()
    engine = Engine()
    source = SourceFile(text=text, settings=settings_for(), path="/project/fractions.py")
    cache = engine.check(source).cache
    random = Random(EDIT_SEED)  # noqa: S311 - reproducible edits, not secrets
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(EDIT_COUNT):
            lines = text.splitlines(keepends=True)
            line = random.randrange(len(lines))
            lines[line] = random.choice(["\n", "    x = 'typing.'\n", lines[line] + " n\n"])
            text = "".join(lines)
            cache = engine.check(source.model_copy(update={"text": text}), cache=cache).cache
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_freed_memory_is_released_at_most_once_an_interval() -> None:
    calls: list[int] = []
    releaser = collection.MemoryReleaser(interval=0.0)
    if not releaser.available:
        pytest.skip("this C library has no malloc_trim")
    releaser.maybe_release()
    assert releaser.releases == 1
    patient = collection.MemoryReleaser(interval=3600.0)  # its last release: when it was made
    patient._trim = lambda pad: calls.append(pad) or 0  # observe the trim
    patient.maybe_release()
    patient.maybe_release()
    assert calls == []
    assert patient.releases == 0


class _Cycle:
    def __init__(self) -> None:
        self.me = self


async def test_what_a_long_lived_freeze_kept_is_still_collected_once_idle() -> None:
    collector = IdleCollector(busy=lambda: False)
    collector.take_over()
    cycle = _Cycle()
    gone = weakref.ref(cycle)
    collection.freeze_long_lived()  # as after a huge file's findings were unpickled
    del cycle  # garbage now, but frozen: no automatic collection looks at it
    gc.collect()
    assert gone() is not None
    collector.activity()
    await asyncio.sleep(SETTLE_SECONDS)
    assert gone() is None  # the idle full collection unfroze it first
    assert gc.get_freeze_count() > 0  # and froze what survived again


async def test_what_was_frozen_at_start_is_collected_by_the_first_idle_full_collection() -> None:
    """`take_over` freezes without collecting (that collection delayed the first message): the
    imports' garbage is still freed, once idle."""
    collector = IdleCollector(busy=lambda: False)
    cycle = _Cycle()
    gone = weakref.ref(cycle)
    del cycle  # garbage built before the start, as the imports' cycles are
    collector.take_over()
    assert gone() is not None  # frozen, not collected, at start
    gc.collect()
    assert gone() is not None  # out of reach of automatic (and explicit) collections
    collector.activity()
    await asyncio.sleep(SETTLE_SECONDS)
    assert gone() is None
    assert gc.get_freeze_count() > 0
