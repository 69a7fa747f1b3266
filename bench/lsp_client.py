"""A small asyncio LSP client over a server process's stdio, built for timing.

Every message read is stamped with `time.perf_counter()` as soon as its body is in, before it is
decoded, so the latencies measured are the server's plus the pipe's, not this client's. Requests
the server makes of the client (configuration, capability registration, progress) get the answer
an editor with no settings would give, so no server waits on us.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

CONTENT_LENGTH = b"content-length"
HEADER_END = b"\r\n"
ENCODING = "utf-8"
PUBLISH_DIAGNOSTICS = "textDocument/publishDiagnostics"
WORKSPACE_CONFIGURATION = "workspace/configuration"
PROGRESS = "$/progress"
PROGRESS_END = "end"
# A 20,000-line document is about 1 MB in one message; asyncio's default 64 KiB line limit only
# concerns headers, but the pipe buffer for large bodies is raised too.
STREAM_LIMIT = 16 * 1024 * 1024
SHUTDOWN_GRACE_SECONDS = 5.0
JSONRPC_VERSION = "2.0"
# Servers run as an installed one does, with bytecode: a PYTHONDONTWRITEBYTECODE of the bench's
# environment would make every start compile the server's modules again.
NO_BYTECODE_VARIABLE = "PYTHONDONTWRITEBYTECODE"

type Json = dict[str, Any]


class ServerError(Exception):
    """The server answered a request with an error."""


class Received(BaseModel):
    """A response or notification, with the moment its last byte was read."""

    model_config = ConfigDict(frozen=True)

    at: float
    message: Json


class PublishedDiagnostics(BaseModel):
    """One `textDocument/publishDiagnostics` notification."""

    model_config = ConfigDict(frozen=True)

    at: float
    uri: str
    version: int | None
    diagnostics: list[Json]


class LspClient:
    """One server process, spoken to over its stdin/stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Received]] = {}
        self._published: list[PublishedDiagnostics] = []
        self._published_changed = asyncio.Condition()
        self._progress_ended: list[float] = []  # when each `$/progress` "end" arrived
        self._reader = asyncio.create_task(self._read_forever())

    @classmethod
    async def start(cls, command: Sequence[str], cwd: Path, stderr_log: Path) -> LspClient:
        """Launch `command` in `cwd`, its stderr going to `stderr_log`."""
        environment = {
            name: value for name, value in os.environ.items() if name != NO_BYTECODE_VARIABLE
        }
        with stderr_log.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                *command,
                cwd=cwd,
                env=environment,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
                limit=STREAM_LIMIT,
            )
        return cls(process)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    # --- sending ---------------------------------------------------------------------------

    async def _write(self, message: Json) -> float:
        """Send one message; returns the moment just before its first byte was written."""
        body = json.dumps(message, ensure_ascii=False).encode(ENCODING)
        header = f"Content-Length: {len(body)}\r\n\r\n".encode("ascii")
        stdin = self.process.stdin
        assert stdin is not None  # noqa: S101 - created with a pipe
        sent_at = time.perf_counter()
        stdin.write(header + body)
        await stdin.drain()
        return sent_at

    async def notify(self, method: str, params: Json | None = None) -> float:
        """Send a notification; returns when it was sent."""
        return await self._write(
            {"jsonrpc": JSONRPC_VERSION, "method": method, "params": params or {}}
        )

    async def send_request(
        self, method: str, params: Json
    ) -> tuple[float, asyncio.Future[Received]]:
        """Send a request; returns when it was sent and the future of its response."""
        request_id = next(self._ids)
        future: asyncio.Future[Received] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        sent_at = await self._write(
            {"jsonrpc": JSONRPC_VERSION, "id": request_id, "method": method, "params": params}
        )
        return sent_at, future

    async def request(self, method: str, params: Json, timeout: float) -> tuple[float, Any]:
        """Send a request and wait for its result; returns (round trip in seconds, result)."""
        sent_at, future = await self.send_request(method, params)
        received = await asyncio.wait_for(future, timeout)
        return received.at - sent_at, result_of(received)

    # --- diagnostics -----------------------------------------------------------------------

    def published_count(self) -> int:
        """How many diagnostics notifications have arrived so far (a mark to wait from)."""
        return len(self._published)

    def published(self) -> list[PublishedDiagnostics]:
        """Every diagnostics notification received, in order."""
        return list(self._published)

    async def wait_for_published(
        self, uri: str, since: int, version: int | None, timeout: float
    ) -> PublishedDiagnostics:
        """The first publish for `uri` after mark `since` that belongs to `version`.

        A publish carrying a version belongs to that version only; one without a version is taken
        as the answer to the latest change (the server has no other way to say it).
        """

        def found() -> PublishedDiagnostics | None:
            for event in self._published[since:]:
                if event.uri == uri and (version is None or event.version in {version, None}):
                    return event
            return None

        async with self._published_changed:
            await asyncio.wait_for(self._published_changed.wait_for(found), timeout)
        event = found()
        assert event is not None  # noqa: S101 - wait_for returned because it was found
        return event

    def progress_ended(self) -> int:
        """How many work-done progresses the server has ended so far."""
        return len(self._progress_ended)

    async def wait_for_progress_end(self, timeout: float) -> float:
        """The moment the server's first work-done progress ended (waiting for it)."""
        async with self._published_changed:
            await asyncio.wait_for(
                self._published_changed.wait_for(lambda: bool(self._progress_ended)), timeout
            )
        return self._progress_ended[0]

    # --- reading ---------------------------------------------------------------------------

    async def _read_forever(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None  # noqa: S101 - created with a pipe
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                length = await _read_headers(stdout)
                body = await stdout.readexactly(length)
                at = time.perf_counter()
                await self._dispatch(at, json.loads(body))
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionError("the server closed its output"))

    async def _dispatch(self, at: float, message: Json) -> None:
        method = message.get("method")
        if method is None:
            future = self._pending.pop(message.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(Received(at=at, message=message))
        elif "id" in message:
            await self._answer_server_request(message)
        elif method == PUBLISH_DIAGNOSTICS:
            params = message["params"]
            event = PublishedDiagnostics(
                at=at,
                uri=params["uri"],
                version=params.get("version"),
                diagnostics=params.get("diagnostics", []),
            )
            async with self._published_changed:
                self._published.append(event)
                self._published_changed.notify_all()
        elif (
            method == PROGRESS
            and (message.get("params") or {}).get("value", {}).get("kind") == PROGRESS_END
        ):
            async with self._published_changed:
                self._progress_ended.append(at)
                self._published_changed.notify_all()

    async def _answer_server_request(self, message: Json) -> None:
        """Answer as an editor without settings would: empty configuration, null otherwise (which
        accepts a `window/workDoneProgress/create`)."""
        result: Any = None
        if message["method"] == WORKSPACE_CONFIGURATION:
            result = [None for _ in message.get("params", {}).get("items", [])]
        await self._write({"jsonrpc": JSONRPC_VERSION, "id": message["id"], "result": result})

    # --- ending ----------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """`shutdown` then `exit`; kills the process if it does not end in time."""
        with contextlib.suppress(Exception):
            await self.request("shutdown", {}, SHUTDOWN_GRACE_SECONDS)
            await self.notify("exit")
        try:
            await asyncio.wait_for(self.process.wait(), SHUTDOWN_GRACE_SECONDS)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


async def _read_headers(stdout: asyncio.StreamReader) -> int:
    length = 0
    while True:
        line = await stdout.readuntil(HEADER_END)
        if line == HEADER_END:
            return length
        name, _, value = line.partition(b":")
        if name.strip().lower() == CONTENT_LENGTH:
            length = int(value.strip())


def result_of(received: Received) -> Any:
    """A response's result, or `ServerError` with the server's message."""
    if "error" in received.message:
        raise ServerError(str(received.message["error"]))
    return received.message.get("result")
