"""The server's garbage collection runs when the documents have settled, not mid-keystroke."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from server import collection
from server.collection import ALL_GENERATIONS, YOUNG_GENERATIONS, IdleCollector

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
    assert not gc.isenabled()
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
