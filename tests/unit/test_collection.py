"""The server's garbage collection runs when the documents have settled, not mid-keystroke."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from server import collection
from server.collection import IdleCollector

SHORT_IDLE_SECONDS = 0.01
SETTLE_SECONDS = 0.1


@pytest.fixture(autouse=True)
def _short_idle(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(collection, "IDLE_SECONDS", SHORT_IDLE_SECONDS)
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()


async def test_collects_once_idle_and_turns_automatic_collection_off() -> None:
    collector = IdleCollector(busy=lambda: False)
    collector.take_over()
    assert not gc.isenabled()
    collector.activity()
    assert collector.collections == 0
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == 1


async def test_a_burst_of_activity_collects_once() -> None:
    collector = IdleCollector(busy=lambda: False)
    for _ in range(5):
        collector.activity()
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == 1


async def test_waits_while_an_analysis_is_running() -> None:
    running = [True]
    collector = IdleCollector(busy=lambda: running[0])
    collector.activity()
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == 0
    running[0] = False
    await asyncio.sleep(SETTLE_SECONDS)
    assert collector.collections == 1


async def test_a_server_that_is_never_idle_still_collects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collection, "MAX_SECONDS_WITHOUT_COLLECTION", 0.0)
    collector = IdleCollector(busy=lambda: True)
    collector.activity()
    assert collector.collections == 1
