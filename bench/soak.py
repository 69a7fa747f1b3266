"""Soak: thousands of seeded random edits of typing.py in one server session (issue 13).

Run: `uv run python bench/soak.py [--edits 5000] [--seed 13] [--wait-every 50]`.

The server is started as an editor starts it (stdio, push diagnostics, no result cache). The
stdlib's typing.py is opened, then edited: each edit is a random insertion of a typed
snippet or deletion of a few characters (the text drifts, broken and mended, as while
typing), sent as one incremental `didChange`. After each edit a hover at the edit waits for the
analysis of that version (hover answers from it): that round trip is the edit's latency.
Every `--wait-every` edits the client waits for that version's published diagnostics and
compares them with a fresh in-process check of the same text: every difference is printed.

Printed: RSS after open, after the first 100 edits, at half and at the end (goal: the end
at most 1.3 times after 100), latency median and p95 per tenth of the run, and the differences (goal:
none). Timings are the machine's: compare runs of one machine only.

`--rounds 2` then puts the original text back (one full-text change) and makes the same seeded
edits again, printing the RSS at the same points: what a second run of the same edits adds is
what grows with the number of edits; what it does not is the heap settling at the size the
texts of the run need (live data and the allocator's free space).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from random import Random

from pydantic import BaseModel

from bench.lsp_client import Json, LspClient
from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.source import split_lines, strip_line_break

PROC = Path("/proc")
RSS_FIELD = "VmRSS:"
# Seconds of quiet after the open, for the server's one-time background loading.
SETTLE_AFTER_OPEN_SECONDS = 3.0
KIB_PER_MIB = 1024
PRODUCTION = '[standards]\nruleset = "python-production"\n'
# What an editor sees typed: words, brackets, quotes, blocks, line breaks, indentation.
SNIPPETS = ("x", " n", "(", ")", "'", '"', ":", "\n", "    ", "def f(", "class A:\n", "4711", "#")
DELETION_SHARE = 0.4
MAX_DELETION = 8
TENTHS = 10
FIRST_EDITS = 100
REQUEST_TIMEOUT = 120.0
SECONDS_TO_MS = 1000.0
P95 = 0.95
MAX_DIFFERENCES_SHOWN = 20
DID_CHANGE = "textDocument/didChange"
# The run: 5,000 seeded edits, the diagnostics compared every 50.
DEFAULT_EDITS = 5000
DEFAULT_SEED = 13
DEFAULT_WAIT_EVERY = 50


class Edit(BaseModel):
    """One incremental change: the range replaced (code points, ASCII text) and its new text."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


class Plan(BaseModel):
    """What one soak run does: how many seeded edits, how often it compares, how many rounds."""

    edits: int = DEFAULT_EDITS
    seed: int = DEFAULT_SEED
    wait_every: int = DEFAULT_WAIT_EVERY
    rounds: int = 1


class SoakResult(BaseModel):
    """What one soak run measured."""

    rss_mib: dict[str, float]
    latencies_ms: list[float]
    differences: list[str]
    edits: int


def rss_kib(pid: int) -> int:
    """The current resident set size of a process, in KiB."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith(RSS_FIELD):
            return int(line.split()[1])
    return 0


def random_edit(lines: list[str], rng: Random) -> Edit:
    """A random insertion or short deletion somewhere in the text."""
    line = rng.randrange(len(lines))
    column = rng.randrange(len(strip_line_break(lines[line])) + 1)
    if rng.random() < DELETION_SHARE:
        width = len(strip_line_break(lines[line]))
        end = min(width, column + rng.randint(1, MAX_DELETION))
        return Edit(start=(line, column), end=(line, end), text="")
    return Edit(start=(line, column), end=(line, column), text=rng.choice(SNIPPETS))


def applied(text: str, edit: Edit) -> str:
    """`text` with `edit` made."""
    lines = split_lines(text)
    start = sum(len(line) for line in lines[: edit.start[0]]) + edit.start[1]
    end = sum(len(line) for line in lines[: edit.end[0]]) + edit.end[1]
    return text[:start] + edit.text + text[end:]


def _key(diagnostic: Json) -> tuple[object, ...]:
    start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
    return (
        diagnostic["code"],
        diagnostic["message"],
        start["line"],
        start["character"],
        end["line"],
        end["character"],
    )


def fresh_keys(engine: Engine, path: Path, text: str) -> set[tuple[object, ...]]:
    """What a fresh check of `text` reports, as diagnostics (ASCII: code points = UTF-16)."""
    settings = ConfigResolver().settings_for(str(path))
    analysis = engine.check(SourceFile(text=text, settings=settings, path=str(path)))
    return {
        (
            f.code,
            f.message,
            f.range.start.line,
            f.range.start.character,
            f.range.end.line,
            f.range.end.character,
        )
        for f in analysis.findings
    }


class Soak:
    """One server session of many edits."""

    def __init__(self, client: LspClient, path: Path, text: str) -> None:
        self.client = client
        self.path = path
        self.uri = path.as_uri()
        self.text = text
        self.version = 1
        self.engine = Engine()

    async def open(self) -> None:
        await self.client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": self.path.parent.as_uri(),
                "capabilities": {
                    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
                    "general": {"positionEncodings": ["utf-16"]},
                },
            },
            REQUEST_TIMEOUT,
        )
        await self.client.notify("initialized", {})
        mark = self.client.published_count()
        document = {"uri": self.uri, "languageId": "python", "version": 1, "text": self.text}
        await self.client.notify("textDocument/didOpen", {"textDocument": document})
        await self.client.wait_for_published(self.uri, mark, 1, REQUEST_TIMEOUT)

    async def edit(self, rng: Random) -> float:
        """Make one random edit; the latency (seconds) until its analysis answers a hover."""
        change = random_edit(split_lines(self.text), rng)
        self.text = applied(self.text, change)
        self.version += 1
        start, end = change.start, change.end
        await self.client.notify(
            DID_CHANGE,
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": start[0], "character": start[1]},
                            "end": {"line": end[0], "character": end[1]},
                        },
                        "text": change.text,
                    }
                ],
            },
        )
        latency, _ = await self.client.request(
            "textDocument/hover",
            {
                "textDocument": {"uri": self.uri},
                "position": {"line": start[0], "character": start[1]},
            },
            REQUEST_TIMEOUT,
        )
        return latency

    async def restore(self, text: str) -> None:
        """Put `text` back with one full-text change, and wait for its diagnostics."""
        mark = self.client.published_count()
        self.text = text
        self.version += 1
        await self.client.notify(
            DID_CHANGE,
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"text": text}],
            },
        )
        await self.client.wait_for_published(self.uri, mark, self.version, REQUEST_TIMEOUT)

    async def differences(self, mark: int) -> list[str]:
        """How the published diagnostics of the current version differ from a fresh check."""
        published = await self.client.wait_for_published(
            self.uri, mark, self.version, REQUEST_TIMEOUT
        )
        if published.version != self.version:
            return []  # an older version's: the current one is compared next time
        served = {_key(diagnostic) for diagnostic in published.diagnostics}
        fresh = fresh_keys(self.engine, self.path, self.text)
        return [
            f"v{self.version}: only served {key}" for key in sorted(served - fresh, key=str)
        ] + [f"v{self.version}: only fresh {key}" for key in sorted(fresh - served, key=str)]


async def soak(plan: Plan) -> SoakResult:
    """Run the session in a fresh project holding a copy of typing.py."""
    source = Path(sysconfig.get_paths()["stdlib"]) / "typing.py"
    directory = Path(tempfile.mkdtemp(prefix="soak-"))
    try:
        (directory / "standards.toml").write_text(PRODUCTION)
        path = directory / "typing_copy.py"
        shutil.copy(source, path)
        command = [sys.executable, "-m", "server.cli.main", "serve"]
        client = await LspClient.start(command, Path.cwd(), directory / "server.log")
        session = Soak(client, path, path.read_text())
        try:
            return await _run(session, plan)
        finally:
            await client.shutdown()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


async def _run(session: Soak, plan: Plan) -> SoakResult:
    edits = plan.edits
    original = session.text
    await session.open()
    # the server loads its fix builders once it has been idle for a second (`server.warm_up`):
    # a cost paid once, not growth, so the measurements start after it
    await asyncio.sleep(SETTLE_AFTER_OPEN_SECONDS)
    pid = session.client.pid
    rss = {"after open": rss_kib(pid) / KIB_PER_MIB}
    latencies: list[float] = []
    differences: list[str] = []
    for round_number in range(1, plan.rounds + 1):
        rng = Random(plan.seed)  # noqa: S311 - reproducible edits, not secrets
        prefix = "" if round_number == 1 else f"round {round_number}: "
        if round_number > 1:
            await session.restore(original)
        for count in range(1, edits + 1):
            mark = session.client.published_count()
            latency = await session.edit(rng) * SECONDS_TO_MS
            if round_number == 1:
                latencies.append(latency)
            if count % plan.wait_every == 0:
                differences.extend(await session.differences(mark))
            if count == FIRST_EDITS:
                rss[f"{prefix}after {FIRST_EDITS} edits"] = rss_kib(pid) / KIB_PER_MIB
            if count in {edits // 2, edits}:
                rss[f"{prefix}at {count} edits"] = rss_kib(pid) / KIB_PER_MIB
    return SoakResult(rss_mib=rss, latencies_ms=latencies, differences=differences, edits=edits)


def report(result: SoakResult) -> str:
    """The figures, as the issue asks for them."""
    lines = ["RSS (MiB):"]
    lines += [f"  {name:<30} {value:8.1f}" for name, value in result.rss_mib.items()]
    first = result.rss_mib.get(f"after {FIRST_EDITS} edits")
    last = result.rss_mib.get(f"at {result.edits} edits")
    if first and last:
        lines.append(f"  end / after {FIRST_EDITS}: {last / first:.2f} (goal <= 1.30)")
    again = result.rss_mib.get(f"round 2: at {result.edits} edits")
    if again and last:
        lines.append(
            f"  round 2 end / round 1 end: {again / last:.2f} (what the edits' number adds)"
        )
    lines.append("Latency per tenth (edit -> hover answered from its analysis), ms:")
    size = max(1, len(result.latencies_ms) // TENTHS)
    for tenth in range(TENTHS):
        chunk = sorted(result.latencies_ms[tenth * size : (tenth + 1) * size])
        if chunk:
            p95 = chunk[min(len(chunk) - 1, int(P95 * len(chunk)))]
            lines.append(
                f"  {tenth + 1:>2}/10  median {statistics.median(chunk):7.1f}  p95 {p95:7.1f}"
            )
    lines.append(f"Differences from a fresh check: {len(result.differences)} (goal 0)")
    lines += [f"  {difference}" for difference in result.differences[:MAX_DIFFERENCES_SHOWN]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=DEFAULT_EDITS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--wait-every", type=int, default=DEFAULT_WAIT_EVERY)
    parser.add_argument(
        "--rounds", type=int, default=1, help="the same edits again, from the start"
    )
    arguments = parser.parse_args()
    started = time.perf_counter()
    plan = Plan(
        edits=arguments.edits,
        seed=arguments.seed,
        wait_every=arguments.wait_every,
        rounds=arguments.rounds,
    )
    result = asyncio.run(soak(plan))
    print(report(result))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
