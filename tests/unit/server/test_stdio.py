"""stdin read on the event loop: pipes and sockets are, anything else keeps pygls' reader;
stdout written on a thread of its own."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from pathlib import Path

import pytest

from server.stdio import (
    EventLoopReader,
    ThreadedReader,
    ThreadedWriter,
    is_pipe_or_socket,
    stdin_reader,
)

MESSAGE = b'{"jsonrpc":"2.0","method":"exit"}'
FRAMED = b"Content-Length: %d\r\n\r\n%s" % (len(MESSAGE), MESSAGE)


def test_pipes_and_sockets_are_read_on_the_loop_files_are_not(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    left, right = socket.socketpair()
    path = tmp_path / "input"
    path.write_bytes(FRAMED)
    with (
        os.fdopen(read_end, "rb") as pipe,
        os.fdopen(write_end, "wb"),
        left,
        right,
        left.makefile("rb") as stream,
        path.open("rb") as regular,
    ):
        assert is_pipe_or_socket(pipe)
        assert is_pipe_or_socket(stream)
        assert not is_pipe_or_socket(regular)


def test_a_pipe_is_read_a_message_at_a_time_and_ends_cleanly() -> None:
    async def read_all() -> list[bytes]:
        read_end, write_end = os.pipe()
        with os.fdopen(read_end, "rb") as pipe:
            reader = await stdin_reader(pipe, ThreadedReader(pipe))
            assert isinstance(reader, EventLoopReader)
            os.write(write_end, FRAMED + b"Content-Length: 10\r\n\r\ncut")
            os.close(write_end)  # the client goes away mid-message
            header = await reader.readline()
            blank = await reader.readline()
            body = await reader.readexactly(len(MESSAGE))
            await reader.readline()
            await reader.readline()
            partial = await reader.readexactly(10)
            end = await reader.readline()
            return [header, blank, body, partial, end]

    header, blank, body, partial, end = asyncio.run(read_all())
    assert header == b"Content-Length: %d\r\n" % len(MESSAGE)
    assert blank == b"\r\n"
    assert body == MESSAGE
    assert partial == b"cut"  # what is left, as a file's read gives at the end
    assert end == b""


def test_a_regular_file_keeps_the_thread_pool_reader(tmp_path: Path) -> None:
    path = tmp_path / "input"
    path.write_bytes(FRAMED)

    async def reader_of_file() -> object:
        with path.open("rb") as regular:
            fallback = ThreadedReader(regular)
            reader = await stdin_reader(regular, fallback)
            assert reader is fallback
            return await reader.read_chunk()

    assert asyncio.run(reader_of_file()) == FRAMED


def test_the_writer_thread_keeps_the_order_and_close_waits_for_what_is_queued() -> None:
    read_end, write_end = os.pipe()
    messages = [b"%d:" % number + b"x" * (number * 1000) for number in range(200)]
    with os.fdopen(read_end, "rb") as pipe:
        writer = ThreadedWriter(os.fdopen(write_end, "wb"))
        for message in messages:
            writer.write(message)  # never blocks: the pipe holds 64 KiB, these are 20 MB
        closing = threading.Thread(target=writer.close)
        closing.start()
        received = pipe.read()
        closing.join()
    assert received == b"".join(messages)


def test_a_write_after_the_client_went_away_raises_broken_pipe() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    writer = ThreadedWriter(os.fdopen(write_end, "wb"))
    writer.write(MESSAGE)  # fails on the writer thread
    writer.close()
    with pytest.raises(BrokenPipeError):
        writer.write(MESSAGE)
