"""Reading stdin on the event loop itself.

pygls reads stdin through its thread pool: every header line and every message body is one
`run_in_executor` round trip, so a keystroke (`didChange`, then a diagnostics pull) costs
eight thread hand-offs, each waiting for the interpreter lock the analysis thread holds. When
stdin is a pipe or a socket (what an editor gives a language server), the event loop reads it
directly instead; anything else (a terminal, a file, a platform without pipe transports) keeps
pygls' reader.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from typing import BinaryIO

from pygls.io_ import StdinAsyncReader

logger = logging.getLogger(__name__)


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


def is_pipe_or_socket(stream: BinaryIO) -> bool:
    """Whether `stream` is a pipe or a socket: the only inputs read on the event loop (a
    terminal shares its file with stdout, which must stay blocking)."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


async def stdin_reader(
    stdin: BinaryIO, fallback: StdinAsyncReader
) -> EventLoopReader | StdinAsyncReader:
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
