"""A hand-written JSON-RPC client over the server's stdio: raw bytes in, parsed messages out.

pytest-lsp's client frames every message correctly and validates what comes back; the attack
tests need to send what no well-behaved client would (broken frames, wrong lengths, invalid
params) and to see exactly what the server answers, so they speak bytes through this.
"""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from tests.support.lsp import WAIT_LIMIT, server_environment

type Json = dict[str, Any]
HEADER_END = b"\r\n\r\n"
CONTENT_LENGTH = b"content-length:"
POLL_SECONDS = 0.5  # how often a wait looks whether the server is still there
SERVER_COMMAND = (sys.executable, "-m", "server.cli.main", "serve")


def frame(body: bytes) -> bytes:
    """`body` with its `Content-Length` header."""
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def encode(message: Json) -> bytes:
    """A message as a correctly framed body."""
    return frame(json.dumps(message).encode("utf-8"))


def _read_message(stream: IO[bytes]) -> Json | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in {b"\r\n", b"\n"} and length is not None:
            break
        if line.lower().startswith(CONTENT_LENGTH):
            length = int(line.split(b":", 1)[1])
    return json.loads(stream.read(length))


class RawServer:
    """One server process and every message it wrote, read by a thread as they come."""

    def __init__(self, cwd: Path, environment: dict[str, str] | None = None) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in `close`
        self.process = subprocess.Popen(
            SERVER_COMMAND,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=environment or server_environment(),
        )
        self.messages: queue.Queue[Json] = queue.Queue()
        self.seen: list[Json] = []
        self._ids = itertools.count(1)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while (message := _read_message(stdout)) is not None:
            self.messages.put(message)

    def send_bytes(self, data: bytes) -> None:
        """Write raw bytes to the server's stdin."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(data)
        stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        """A notification (no params member when `params` is None)."""
        message: Json = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send_bytes(encode(message))

    def send_request(self, method: str, params: Any = None) -> int:
        """A request; its id."""
        message_id = next(self._ids)
        message: Json = {"jsonrpc": "2.0", "id": message_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send_bytes(encode(message))
        return message_id

    def next_id(self) -> int:
        """An id for a request written by hand."""
        return next(self._ids)

    def wait_for(self, wanted: Callable[[Json], bool], limit: float = WAIT_LIMIT) -> Json:
        """The first message (seen already or arriving) that `wanted` accepts."""
        for message in self.seen:
            if wanted(message):
                return message
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the server did not send the message waited for")
            try:
                message = self.messages.get(timeout=min(remaining, POLL_SECONDS))
            except queue.Empty:
                if self.process.poll() is not None and self.messages.empty():
                    raise EOFError(f"the server ended: {self.stderr_text()[-2000:]}") from None
                continue
            self.seen.append(message)
            if wanted(message):
                return message

    def response(self, message_id: int | str | None, limit: float = WAIT_LIMIT) -> Json:
        """The response to the request of `message_id`."""
        return self.wait_for(
            lambda message: "method" not in message and message.get("id") == message_id, limit
        )

    def request(self, method: str, params: Any = None) -> Json:
        """Send a request and wait for its response (result or error)."""
        return self.response(self.send_request(method, params))

    def answer_server_requests(self) -> None:
        """Answer what the server asked so far (configuration, registration) as an editor would."""
        for message in list(self.seen):
            if "method" in message and "id" in message:
                result = [None] if message["method"] == "workspace/configuration" else None
                self.send_bytes(encode({"jsonrpc": "2.0", "id": message["id"], "result": result}))

    def initialize(self, root: Path, capabilities: Json | None = None) -> Json:
        """`initialize` and `initialized` with a workspace at `root`."""
        answer = self.request(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities or {}},
        )
        self.notify("initialized", {})
        return answer

    def published(self, uri: str, limit: float = WAIT_LIMIT) -> Json:
        """The next (or a seen, not yet taken) publishDiagnostics of `uri`."""
        message = self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            ),
            limit,
        )
        self.seen.remove(message)
        return message["params"]

    def exit_code(self, limit: float = WAIT_LIMIT) -> int:
        """Wait for the process to end; its exit code."""
        return self.process.wait(timeout=limit)

    def stderr_text(self) -> str:
        """What the server wrote to stderr so far."""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", errors="replace")

    def close(self) -> None:
        """End the process (it may have ended already)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=WAIT_LIMIT)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()
