"""Reading stdin on the event loop itself, and writing stdout on a thread of its own.

pygls reads stdin through its thread pool: every header line and every message body is one
`run_in_executor` round trip, so a keystroke (`didChange`, then a diagnostics pull) costs
eight thread hand-offs, each waiting for the interpreter lock the analysis thread holds. When
stdin is a pipe or a socket (what an editor gives a language server), the event loop reads it
directly instead; anything else (a terminal, a file, a platform without pipe transports) keeps
pygls' reader.

Either way the bytes go to `server.framing`, which cuts them into messages and resynchronises
after a broken one (`serve`): pygls' own loop reads a line at a time and never recovers from a
wrong `Content-Length`.

pygls writes each message with a blocking write on the event loop: a message of megabytes (a
5 MB file's 7,588 diagnostics are 4.5 MB) stopped the loop for as long as the client took to read
it, 76 ms measured. `ThreadedWriter` hands such a message to a writer thread instead, and every
message after it until the thread has written them, in order; `close` (pygls calls it on `exit`,
the server on any other end) waits for what is queued.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import stat
import threading
from concurrent.futures import Executor
from typing import BinaryIO, Protocol

from server.framing import BrokenFrame, FrameDecoder
from server.protocol import StandardsProtocol

logger = logging.getLogger(__name__)
# Bytes asked for per read: a keystroke's message fits, a big file's arrives in a few reads.
CHUNK_BYTES = 64 * 1024
# How long `close` waits for queued messages to be written (a client that reads nothing more
# must not keep the server from exiting).
CLOSE_TIMEOUT_SECONDS = 10.0
WRITER_THREAD_NAME = "standards-stdout"
# A message smaller than a pipe's buffer (64 KiB on Linux) is written at once when nothing is
# queued: a client that keeps reading takes it whole, so the write does not wait.
DIRECT_WRITE_BYTES = 64 * 1024


class ChunkReader(Protocol):
    """What `serve` reads from."""

    async def read_chunk(self) -> bytes:
        """Some bytes (as many as are there, at most `CHUNK_BYTES`), or b"" at the end."""
        ...


class EventLoopReader:
    """pygls' reader interface over an asyncio stream."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream

    async def readline(self) -> bytes:
        """One line, or b"" at the end of input."""
        return await self.stream.readline()

    async def readexactly(self, n: int) -> bytes:
        """`n` bytes, or what is left at the end of input (as a file's `read` gives)."""
        try:
            return await self.stream.readexactly(n)
        except asyncio.IncompleteReadError as error:
            return error.partial

    async def read_chunk(self) -> bytes:
        """What has arrived (at most `CHUNK_BYTES`), or b"" at the end of input."""
        return await self.stream.read(CHUNK_BYTES)


class ThreadedReader:
    """A blocking stream read through a thread pool (a terminal, a file)."""

    def __init__(self, stream: BinaryIO, executor: Executor | None = None) -> None:
        self.stream = stream
        self.executor = executor

    async def read_chunk(self) -> bytes:
        """What a read gives, or b"" at the end of input."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._read)

    def _read(self) -> bytes:
        # `read1` gives what one read returns; a plain `read(n)` would wait for all n bytes
        read1 = getattr(self.stream, "read1", None)
        return read1(CHUNK_BYTES) if read1 is not None else self.stream.read(CHUNK_BYTES)


def is_pipe_or_socket(stream: BinaryIO) -> bool:
    """Whether `stream` is a pipe or a socket: the only inputs read on the event loop (a
    terminal shares its file with stdout, which must stay blocking)."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


async def stdin_reader(
    stdin: BinaryIO, fallback: ThreadedReader
) -> EventLoopReader | ThreadedReader:
    """A reader of `stdin` driven by the running event loop when it can be, else `fallback`."""
    if not is_pipe_or_socket(stdin):
        return fallback
    stream = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
    except (OSError, ValueError, NotImplementedError) as error:
        logger.info("reading stdin through a thread pool: %s", error)
        return fallback
    return EventLoopReader(stream)


async def serve(reader: ChunkReader, protocol: StandardsProtocol, stop: threading.Event) -> None:
    """Hand every message read to `protocol` until the input ends or the server stops."""
    decoder = FrameDecoder()
    while not stop.is_set():
        chunk = await reader.read_chunk()
        if not chunk:
            break
        decoder.feed(chunk)
        for event in decoder.events():
            if isinstance(event, BrokenFrame):
                protocol.receive_broken(event)
            else:
                protocol.receive(event.body)
    left = decoder.finish()
    if left is not None:
        protocol.receive_broken(left)


class ThreadedWriter:
    """pygls' writer interface over a blocking stream: a big message is written on a thread of
    its own; a small one, when nothing is queued, at once (a keystroke's answer does not wait
    for a thread switch)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._error: OSError | None = None
        self._lock = threading.Lock()
        self._queued = 0  # messages handed to the thread and not yet written
        self._thread = threading.Thread(
            target=self._write_all, name=WRITER_THREAD_NAME, daemon=True
        )
        self._thread.start()

    def write(self, data: bytes) -> None:
        """Write or queue one message; the error of an earlier write (the client went away) is
        raised."""
        if self._error is not None:
            raise self._error
        with self._lock:
            direct = self._queued == 0 and len(data) < DIRECT_WRITE_BYTES
            if not direct:
                self._queued += 1
        if direct:  # nothing is being written meanwhile: the order is kept
            self.stream.write(data)
            self.stream.flush()
        else:
            self._queue.put(data)

    def close(self) -> None:
        """Write what is queued (for at most `CLOSE_TIMEOUT_SECONDS`), then close the stream."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(CLOSE_TIMEOUT_SECONDS)
        if self._thread.is_alive():
            logger.warning("the client read none of the last messages: exiting without them")
            return
        try:
            self.stream.close()
        except OSError:  # the client has gone: nothing is lost that it could still read
            logger.debug("closing stdout failed", exc_info=True)

    def _write_all(self) -> None:
        while (data := self._queue.get()) is not None:
            try:
                self.stream.write(data)
                self.stream.flush()
            except OSError as error:  # BrokenPipeError mostly: raised by the next `write`
                self._error = error
                return
            finally:
                with self._lock:
                    self._queued -= 1
