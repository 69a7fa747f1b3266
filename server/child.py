"""Work that must block nothing the server does, run in a process started for it.

`ast.parse` (and so the engine's first check of a big module) holds the interpreter lock for
all of its run: on a 5 MB file, seconds at a time. On the analysis thread that stops the event
loop between the interpreter's thread switches and queues every other document's work behind
it; in a child process it stops neither.

A child per call, not a process pool: a pool's idle worker outlives a server that is killed (it
holds its own queue's writing end) and, holding the server's output, keeps a client waiting for
its end. The child gets the pickled call on its stdin and writes the pickled outcome to its
stdout (a pipe of its own, never the server's); its stderr goes nowhere. It runs at a lower
priority (`CHILD_NICENESS`): on a machine with fewer free cores than busy processes, the
server's own requests come first. The answer is unpickled on a worker thread with the garbage
collector paused: a huge file's findings, unpickled on the event loop, stopped it for
200-300 ms; a long-lived answer (`long_lived`) is then frozen (`server.collection`).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
from collections.abc import Callable
from typing import Any

from rules.engine import collector_paused
from server.collection import freeze_long_lived

# The child: reads a pickled call on stdin, writes the pickled outcome on stdout.
CHILD_COMMAND = (sys.executable, "-m", __name__)
# How much lower than the server the child's scheduling priority is (`os.nice`).
CHILD_NICENESS = 10


class ChildFailedError(RuntimeError):
    """The child ended without an answer (killed, out of memory)."""


async def in_child[T](call: Callable[[], T], *, long_lived: bool = False) -> T:
    """`call()` in a process of its own, started for it and ended with it; its exception is
    raised here. `long_lived`: the answer is kept (a huge file's findings) and frozen."""
    child = await asyncio.create_subprocess_exec(
        *CHILD_COMMAND,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        output, _ = await child.communicate(pickle.dumps(call))
    except asyncio.CancelledError:
        if child.returncode is None:
            child.kill()  # nobody waits for its answer any more
        raise
    if not output:
        message = f"the child process ended with code {child.returncode} and no answer"
        raise ChildFailedError(message)
    succeeded, value = await asyncio.to_thread(_unpickled, output, long_lived=long_lived)
    if not succeeded:
        raise value
    return value


def _unpickled(output: bytes, *, long_lived: bool) -> tuple[bool, Any]:
    """The child's outcome: a result, or its error."""
    with collector_paused():
        outcome = pickle.loads(output)  # noqa: S301 - our own child's answer
        if long_lived:
            freeze_long_lived()
        return outcome


def serve_one_call() -> None:
    """The child's side: one call from stdin, its result (or exception) to stdout."""
    if hasattr(os, "nice"):  # POSIX
        os.nice(CHILD_NICENESS)
    call = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - sent by our own server
    try:
        outcome: tuple[bool, object] = (True, call())
    except Exception as error:  # handed back to the server, which raises it there
        outcome = (False, error)
    sys.stdout.buffer.write(pickle.dumps(outcome))


if __name__ == "__main__":
    serve_one_call()
