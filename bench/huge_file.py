"""A 5 MB file in the server: how long its analysis takes, the peak RSS, and whether other
requests are answered while it runs (issue 13).

Run: `uv run python bench/huge_file.py [--megabytes 5]`.

A small module is opened and analysed first; then the big one (stdlib modules one after another,
their functions renamed per copy) is opened, and while its analysis runs the client keeps
asking: a hover and code actions on the small module, and a prepareRename on the big one (it
parses the whole module: it ran ~5 s on the event loop, blocking every other request). Printed:
the time to the big file's diagnostics, the server's peak RSS, and the latency of every request
made meanwhile (goal: the small module's under 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.inputs import concatenated_stdlib
from bench.lsp_client import LspClient
from bench.memory import descendants, peak_rss_kib, peak_rss_of

BYTES_PER_MEGABYTE = 1_000_000
KIB_PER_MIB = 1024
SECONDS_TO_MS = 1000.0
REQUEST_TIMEOUT = 600.0
ASK_EVERY_SECONDS = 0.25
PRODUCTION = '[standards]\nruleset = "python-production"\n'
SMALL = "def area(radius):\n    return 3.14159 * radius * radius\n"
# Where the small module's number is (line 2, on `3.14159`): hovered and asked for actions.
NUMBER_POSITION = {"line": 1, "character": 12}
DEFAULT_MEGABYTES = 5.0
DID_OPEN = "textDocument/didOpen"
NEWLINE = "\n"
GOAL_MS = 100.0
P95 = 0.95
MAX_SLOW_SHOWN = 10


def huge_text(size: int) -> str:
    """About `size` characters of real code, whole modules copied with renamed functions."""
    base = concatenated_stdlib()
    copies: list[str] = []
    total = 0
    copy = 0
    while total < size:
        text = base.replace("\ndef ", f"\ndef copy{copy}_")
        copies.append(text)
        total += len(text)
        copy += 1
    return "".join(copies)[:size].rsplit("\n\n\n", 1)[0] + "\n"


def _document(path: Path, text: str) -> dict[str, object]:
    return {"uri": path.as_uri(), "languageId": "python", "version": 1, "text": text}


async def measure(megabytes: float) -> str:
    directory = Path(tempfile.mkdtemp(prefix="huge-"))
    try:
        (directory / "standards.toml").write_text(PRODUCTION)
        big_text = huge_text(int(megabytes * BYTES_PER_MEGABYTE))
        command = [sys.executable, "-m", "server.cli.main", "serve"]
        client = await LspClient.start(command, Path.cwd(), directory / "server.log")
        try:
            return await _session(client, directory, big_text)
        finally:
            await client.shutdown()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def _session(client: LspClient, directory: Path, big_text: str) -> str:
    small, big = directory / "small.py", directory / "big.py"
    capabilities = {"textDocument": {"publishDiagnostics": {"versionSupport": True}}}
    await client.request(
        "initialize",
        {"processId": None, "rootUri": directory.as_uri(), "capabilities": capabilities},
        REQUEST_TIMEOUT,
    )
    await client.notify("initialized", {})
    mark = client.published_count()
    await client.notify(DID_OPEN, {"textDocument": _document(small, SMALL)})
    await client.wait_for_published(small.as_uri(), mark, 1, REQUEST_TIMEOUT)
    # the session's first code action loads the fix builders (`server.warm_up`): measured on
    # its own, before the big file, so that what follows is the big file's effect alone
    first_action = await _small_requests(client, small)
    mark = client.published_count()
    opened_at = time.perf_counter()
    await client.notify(DID_OPEN, {"textDocument": _document(big, big_text)})
    published = asyncio.ensure_future(
        client.wait_for_published(big.as_uri(), mark, 1, REQUEST_TIMEOUT)
    )
    rename_sent, rename = await client.send_request(
        "textDocument/prepareRename",
        {"textDocument": {"uri": big.as_uri()}, "position": {"line": 0, "character": 0}},
    )
    small_latencies: list[float] = []
    slow: list[tuple[float, float]] = []  # (seconds after the open, latency ms) over the goal
    peaks: dict[int, int] = {}  # the server's and its children's (analysis, rename) peaks
    while not published.done():
        for pid in descendants(client.pid):
            peaks[pid] = max(peaks.get(pid, 0), peak_rss_of(pid) or 0)
        hover, actions = await _small_requests(client, small)
        small_latencies += [hover * SECONDS_TO_MS, actions * SECONDS_TO_MS]
        worst = max(hover, actions) * SECONDS_TO_MS
        if worst > GOAL_MS:
            slow.append((time.perf_counter() - opened_at, worst))
        await asyncio.sleep(ASK_EVERY_SECONDS)
    done = await published
    renamed = await asyncio.wait_for(rename, REQUEST_TIMEOUT)
    peak = peak_rss_kib(client.pid) or 0
    server_peak = peaks.pop(client.pid, peak)
    child_peak = max(peaks.values(), default=0)
    lines = [
        f"big file: {len(big_text) / BYTES_PER_MEGABYTE:.1f} MB, {big_text.count(NEWLINE)} lines",
        f"open -> diagnostics: {done.at - opened_at:.1f} s ({len(done.diagnostics)} diagnostics)",
        f"server peak RSS: {max(server_peak, peak) / KIB_PER_MIB:.0f} MiB;"
        f" largest child's (analysis or rename) {child_peak / KIB_PER_MIB:.0f} MiB",
        f"the session's first hover and code action (small module, before the big file):"
        f" {first_action[0] * SECONDS_TO_MS:.0f} ms, {first_action[1] * SECONDS_TO_MS:.0f} ms",
        f"requests on the small module meanwhile: {len(small_latencies)}",
    ]
    if small_latencies:
        lines.append(
            f"  latency median {statistics.median(small_latencies):.1f} ms,"
            f" p95 {sorted(small_latencies)[int(P95 * len(small_latencies))]:.1f} ms,"
            f" max {max(small_latencies):.1f} ms (goal < {GOAL_MS:.0f} ms)"
        )
        lines += [f"  over the goal at {at:.1f} s: {ms:.0f} ms" for at, ms in slow[:MAX_SLOW_SHOWN]]
    lines.append(
        f"prepareRename on the big file (off the event loop, after its analysis):"
        f" {renamed.at - rename_sent:.1f} s"
    )
    return "\n".join(lines)


async def _small_requests(client: LspClient, small: Path) -> tuple[float, float]:
    """A hover and a code action on the small module's number: their latencies, in seconds."""
    where = {"textDocument": {"uri": small.as_uri()}, "position": NUMBER_POSITION}
    hover, _ = await client.request("textDocument/hover", where, REQUEST_TIMEOUT)
    actions, _ = await client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": small.as_uri()},
            "range": {"start": NUMBER_POSITION, "end": NUMBER_POSITION},
            "context": {"diagnostics": []},
        },
        REQUEST_TIMEOUT,
    )
    return hover, actions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=DEFAULT_MEGABYTES)
    arguments = parser.parse_args()
    print(asyncio.run(measure(arguments.megabytes)))


if __name__ == "__main__":
    main()
