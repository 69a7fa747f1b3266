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


def test_a_big_message_does_not_wait_for_the_client_and_the_order_is_kept() -> None:
    read_end, write_end = os.pipe()
    big = b"big:" + b"x" * 10_000_000  # far more than a pipe holds
    smalls = [b"small %d;" % number for number in range(100)]
    with os.fdopen(read_end, "rb") as pipe:
        writer = ThreadedWriter(os.fdopen(write_end, "wb"))
        writer.write(big)  # nobody reads yet: it is queued, not waited for
        for message in smalls:
            writer.write(message)  # queued behind it, though small
        closing = threading.Thread(target=writer.close)
        closing.start()
        received = pipe.read()
        closing.join()
    assert received == big + b"".join(smalls)


def test_small_messages_are_written_in_order_while_the_client_reads() -> None:
    read_end, write_end = os.pipe()
    messages = [b"%d:" % number + b"y" * (number * 700) for number in range(200)]
    received: list[bytes] = []
    with os.fdopen(read_end, "rb") as pipe:
        reading = threading.Thread(target=lambda: received.append(pipe.read()))
        reading.start()
        writer = ThreadedWriter(os.fdopen(write_end, "wb"))
        for message in messages:
            writer.write(message)
        writer.close()
        reading.join()
    assert received == [b"".join(messages)]


def test_a_write_after_the_client_went_away_raises_broken_pipe() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    writer = ThreadedWriter(os.fdopen(write_end, "wb"))
    with pytest.raises(BrokenPipeError):
        writer.write(MESSAGE)  # small, and nothing queued: written at once
    writer.write(b"x" * 1_000_000)  # big: fails on the writer thread
    writer.close()
    with pytest.raises(BrokenPipeError):
        writer.write(MESSAGE)  # the thread's error, raised by the next write
