"""One server, one input: open, edit, ask for code actions, read peak memory, as an editor would.

The client advertises both ways of getting diagnostics. A server that declares a
`diagnosticProvider` is pulled (`textDocument/diagnostic` right after each `didOpen`/`didChange`,
as VS Code does), any other is waited on for `publishDiagnostics` (of the edited version when the
server sends versions, else the first publish after the change). `--diagnostics push` advertises
no pull support, so servers that can do both push.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bench.inputs import BenchInput, EditSite, EditVariant
from bench.lsp_client import Json, LspClient
from bench.memory import peak_rss_kib
from bench.stats import Timings

LANGUAGE_ID = "python"
INVOKED = 1  # CodeActionTriggerKind.Invoked: the user asked
INCREMENTAL_SYNC = 2
INITIALIZE_TIMEOUT = 60.0
QUIET_PERIOD = 0.75  # how long nothing may arrive before a document counts as settled
SETTLE_LIMIT = 10.0  # ...and the most we wait for that
MIN_EDITS = 3  # a variant's time budget never cuts it below this many edits
CODE_ACTION_KINDS = ["", "quickfix", "refactor", "refactor.extract", "refactor.rewrite", "source"]
MIN_COMMAND = 3


class DiagnosticsMode(StrEnum):
    """How the client gets diagnostics: whatever the server offers, or push only."""

    AUTO = "auto"
    PUSH = "push"


PROFILER_SCRIPT = Path(__file__).with_name("profiled_server.py")
MODULE_FLAG = "-m"


class ServerSpec(BaseModel):
    """A server to measure: a display name and the command that starts it over stdio."""

    name: str
    command: list[str]
    initialization_options: dict[str, Any] | None = None
    profile_dir: Path | None = None  # run `python -m MODULE ...` under cProfile, one file per input

    def command_for(self, input_name: str) -> list[str]:
        """The command for one session: as given, or wrapped in the profiler."""
        command = self.command
        if self.profile_dir is None or len(command) < MIN_COMMAND or command[1] != MODULE_FLAG:
            return command
        out = self.profile_dir / f"{self.name}-{input_name}.prof"
        return [command[0], str(PROFILER_SCRIPT), str(out), *command[2:]]


class SessionPlan(BaseModel):
    """What one session does."""

    workspace: Path
    edits: dict[EditVariant, list[EditSite]]
    code_actions: int
    timeout: float
    edit_budget: float  # seconds per variant; slow servers get fewer edits (never < MIN_EDITS)
    mode: DiagnosticsMode
    log_dir: Path
    startups: int = 0  # start-ups per server (`measure_startup`)


class EditResult(BaseModel):
    """Latencies from a one-character change to the diagnostics of its version."""

    timings: Timings
    missed: int  # edits whose diagnostics never came within the timeout
    skipped: int = 0  # edits left out because the variant's time budget ran out


class SessionResult(BaseModel):
    """What one session measured (seconds; memory in KiB)."""

    server: str
    input: str
    lines: int
    pulled: bool
    initialize: float
    open: float | None
    open_diagnostics: int | None
    # a second process opening the same file after the first one's session (our result cache)
    reopen: float | None = None
    reopen_diagnostics: int | None = None
    edits: dict[EditVariant, EditResult] = {}
    code_action: Timings
    code_action_count: int
    code_action_items: int = 0  # actions returned, summed over the requests
    code_action_without_diagnostic: bool = False  # asked at edited lines: no diagnostic to ask on
    peak_rss_kib: int | None
    error: str | None = None
    # process spawn -> first diagnostics of the open (set on the start-up sessions)
    startup: float | None = None
    # a fresh process opening the file once its workspace index has ended (ours; for ruff, a
    # plain open in a fresh process, the peer)
    indexed_open: float | None = None
    # the sessions whose edits are made while our index runs: whether it was still running when
    # the last edit's diagnostics came (None for servers without an index)
    index_running_at_last_edit: bool | None = None


def client_capabilities(mode: DiagnosticsMode) -> Json:
    """What an up-to-date editor advertises, minus what the benchmark does not exercise."""
    text_document: Json = {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": CODE_ACTION_KINDS}},
            "isPreferredSupport": True,
            "dataSupport": True,
            "resolveSupport": {"properties": ["edit"]},
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    }
    if mode is DiagnosticsMode.AUTO:
        text_document["diagnostic"] = {"dynamicRegistration": False}
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": text_document,
        "workspace": {
            "configuration": True,
            "workspaceFolders": True,
            "didChangeConfiguration": {"dynamicRegistration": True},
            "didChangeWatchedFiles": {"dynamicRegistration": True},
        },
        "window": {"workDoneProgress": True},
    }


def _full_sync(capabilities: Json) -> bool:
    sync = capabilities.get("textDocumentSync")
    change = sync.get("change") if isinstance(sync, dict) else sync
    return change != INCREMENTAL_SYNC


class _VariantProgress:
    """One server's edits of one variant so far."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.missed = 0
        self.skipped = 0
        self.done = 0
        self.spent = 0.0
        self.last_made = False

    def result(self) -> EditResult:
        return EditResult(timings=Timings.of(self.times), missed=self.missed, skipped=self.skipped)


class Session:
    """Drives one server through the plan for one input, one step at a time."""

    def __init__(
        self, spec: ServerSpec, bench_input: BenchInput, plan: SessionPlan, label: str = ""
    ) -> None:
        self.label = label  # tells apart the log (and profile) of a second session
        self.spec = spec
        self.input = bench_input
        self.plan = plan
        self.client: LspClient | None = None
        self.pulled = False
        self.full_sync = False
        self.version = 0
        self.lines = bench_input.text.splitlines(keepends=True)
        self.result_id: str | None = None
        self.diagnostics: list[Json] = []
        self.result = self._empty_result()
        self.progress: dict[EditVariant, _VariantProgress] = {}
        self.spawned_at = 0.0  # perf_counter when the process was started
        self.diagnostics_at = 0.0  # perf_counter when the last diagnostics came

    @property
    def uri(self) -> str:
        return self.input.uri

    def _client(self) -> LspClient:
        assert self.client is not None  # noqa: S101 - set by run() before anything else
        return self.client

    async def start(self) -> None:
        """Launch the server and complete the `initialize` handshake."""
        name = f"{self.input.name}{self.label}"
        log = self.plan.log_dir / f"{self.spec.name}-{name}.stderr.log"
        loop = asyncio.get_running_loop()
        started = loop.time()
        command = self.spec.command_for(name)
        self.spawned_at = time.perf_counter()
        self.client = await LspClient.start(command, self.plan.workspace, log)
        await self._guarded(self._initialize)
        self.result.initialize = loop.time() - started
        self.result.pulled = self.pulled

    async def _guarded(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run a step unless an earlier one failed; a failure is recorded, not raised."""
        if self.result.error is not None:
            return
        try:
            await step()
        except Exception as exc:  # a failing server is a result, not a crash of the bench
            self.result.error = f"{type(exc).__name__}: {exc}"

    async def open_document(self) -> None:
        """`didOpen` and the time to its first diagnostics."""

        async def step() -> None:
            self.result.open = await self._open()
            self.result.open_diagnostics = len(self.diagnostics)

        await self._guarded(step)

    async def settle(self) -> None:
        """Wait until nothing more is published (push servers only)."""
        await self._guarded(self._settle)

    async def edit(self, variant: EditVariant, site: EditSite) -> None:
        """One edit of a variant, unless this server's time budget for the variant is spent."""
        progress = self.progress.setdefault(variant, _VariantProgress())
        out_of_budget = progress.done >= MIN_EDITS and progress.spent > self.plan.edit_budget
        # a removal undoes the insertion before it: made exactly when that insertion was made
        skip = not progress.last_made if site.remove else out_of_budget
        progress.last_made = not skip and self.result.error is None
        if not progress.last_made:
            progress.skipped += 1
            self.result.edits[variant] = progress.result()
            return
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def step() -> None:
            try:
                progress.times.append(await self._edit(site))
            except TimeoutError:
                progress.missed += 1
                await self._settle()

        await self._guarded(step)
        progress.done += 1
        progress.spent += loop.time() - began
        self.result.edits[variant] = progress.result()

    async def code_actions(self) -> None:
        """Code-action round trips on the last diagnostics."""

        async def step() -> None:
            times, items = await self._code_actions()
            self.result.code_action = Timings.of(times)
            self.result.code_action_count = len(times)
            self.result.code_action_items = items

        await self._guarded(step)

    def read_memory(self) -> None:
        """Peak RSS of the server's process tree so far."""
        if self.client is not None:
            self.result.peak_rss_kib = peak_rss_kib(self.client.pid)

    async def stop(self) -> SessionResult:
        """Shut the server down; returns what was measured."""
        if self.client is not None:
            await self.client.shutdown()
        return self.result

    def _empty_result(self) -> SessionResult:
        return SessionResult(
            server=self.spec.name,
            input=self.input.name,
            lines=self.input.line_count,
            pulled=False,
            initialize=0.0,
            open=None,
            open_diagnostics=None,
            code_action=Timings.of([]),
            code_action_count=0,
            peak_rss_kib=None,
        )

    async def _initialize(self) -> None:
        workspace = self.plan.workspace
        params: Json = {
            "processId": os.getpid(),
            "clientInfo": {"name": "standards-lsp-bench"},
            "rootUri": workspace.as_uri(),
            "rootPath": str(workspace),
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}],
            "capabilities": client_capabilities(self.plan.mode),
        }
        if self.spec.initialization_options is not None:
            params["initializationOptions"] = self.spec.initialization_options
        _, answer = await self._client().request("initialize", params, INITIALIZE_TIMEOUT)
        capabilities: Json = answer.get("capabilities", {})
        self.pulled = self.plan.mode is DiagnosticsMode.AUTO and bool(
            capabilities.get("diagnosticProvider")
        )
        self.full_sync = _full_sync(capabilities)
        await self._client().notify("initialized")

    # --- diagnostics of a version ----------------------------------------------------------

    async def _diagnostics_after(self, sent_at: float, mark: int) -> float:
        """Seconds from `sent_at` to the diagnostics of the current version."""
        if self.pulled:
            return await self._pull(sent_at)
        event = await self._client().wait_for_published(
            self.uri, mark, self.version, self.plan.timeout
        )
        self.diagnostics = event.diagnostics
        self.diagnostics_at = event.at
        return event.at - sent_at

    async def _pull(self, sent_at: float) -> float:
        params: Json = {"textDocument": {"uri": self.uri}}
        if self.result_id is not None:
            params["previousResultId"] = self.result_id
        _, future = await self._client().send_request("textDocument/diagnostic", params)
        received = await asyncio.wait_for(future, self.plan.timeout)
        report = received.message.get("result") or {}
        if "error" in received.message:
            raise RuntimeError(str(received.message["error"]))
        self.result_id = report.get("resultId")
        if report.get("kind") == "full":
            self.diagnostics = report.get("items", [])
        self.diagnostics_at = received.at
        return received.at - sent_at

    async def _open(self) -> float:
        self.version = 1
        mark = self._client().published_count()
        document = {
            "uri": self.uri,
            "languageId": LANGUAGE_ID,
            "version": self.version,
            "text": self.input.text,
        }
        sent_at = await self._client().notify("textDocument/didOpen", {"textDocument": document})
        return await self._diagnostics_after(sent_at, mark)

    async def _settle(self) -> None:
        """Let late publishes (debounced linters, second passes) arrive before the next step."""
        if self.pulled:
            return
        client = self._client()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_LIMIT
        count = client.published_count()
        while loop.time() < deadline:
            await asyncio.sleep(QUIET_PERIOD)
            if client.published_count() == count:
                return
            count = client.published_count()

    # --- edits -----------------------------------------------------------------------------

    def _apply(self, site: EditSite) -> Json:
        """Apply one edit to our copy of the text; returns its content change."""
        line = self.lines[site.line]
        if site.remove:
            self.lines[site.line] = line[: site.character] + line[site.character + len(site.text) :]
            end = {"line": site.line, "character": site.utf16_character + len(site.text)}
            start = {"line": site.line, "character": site.utf16_character}
            change: Json = {"range": {"start": start, "end": end}, "text": ""}
        else:
            self.lines[site.line] = line[: site.character] + site.text + line[site.character :]
            point = {"line": site.line, "character": site.utf16_character}
            change = {"range": {"start": point, "end": point}, "text": site.text}
        if self.full_sync:
            return {"text": "".join(self.lines)}
        return change

    async def _edit(self, site: EditSite) -> float:
        change = self._apply(site)
        self.version += 1
        mark = self._client().published_count()
        params = {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [change],
        }
        sent_at = await self._client().notify("textDocument/didChange", params)
        return await self._diagnostics_after(sent_at, mark)

    # --- code actions ----------------------------------------------------------------------

    def _code_action_targets(self) -> list[tuple[Json, list[Json]]]:
        """(range, context diagnostics) pairs: diagnostics spread through the file, or — for a
        server that reported none — the edited lines, with an empty context (the cursor on a
        line, as when the user opens the light bulb without a diagnostic)."""
        diagnostics = [item for item in self.diagnostics if "range" in item]
        if self.plan.code_actions <= 0:
            return []  # `--code-actions 0`: none asked
        if diagnostics:
            count = min(self.plan.code_actions, len(diagnostics))
            step = len(diagnostics) / count
            chosen = [diagnostics[int(index * step)] for index in range(count)]
            return [(diagnostic["range"], [diagnostic]) for diagnostic in chosen]
        sites = [site for sites in self.plan.edits.values() for site in sites]
        lines = sorted({site.line for site in sites})[: self.plan.code_actions]
        empty_range = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
        targets: list[tuple[Json, list[Json]]] = []
        for line in lines:
            span = {key: {**point, "line": line} for key, point in empty_range.items()}
            targets.append((span, []))
        return targets

    async def _code_actions(self) -> tuple[list[float], int]:
        """Round trips of `textDocument/codeAction` at the targets."""
        self.result.code_action_without_diagnostic = not any(
            "range" in item for item in self.diagnostics
        )
        times: list[float] = []
        items = 0
        for span, context in self._code_action_targets():
            params = {
                "textDocument": {"uri": self.uri},
                "range": span,
                "context": {"diagnostics": context, "triggerKind": INVOKED},
            }
            with contextlib.suppress(TimeoutError):
                elapsed, actions = await self._client().request(
                    "textDocument/codeAction", params, self.plan.timeout
                )
                times.append(elapsed)
                items += len(actions or [])
        return times, items


def _rotated[T](items: list[T], shift: int) -> list[T]:
    shift %= max(1, len(items))
    return items[shift:] + items[:shift]


async def run_interleaved(
    specs: list[ServerSpec], bench_input: BenchInput, plan: SessionPlan
) -> list[SessionResult]:
    """Every server on one input, step by step in turn, so all see the same machine load.

    All servers are started and initialized, then each step (open, each edit, the code actions)
    is made on one server after the other, the order rotating from one step to the next so no
    server always goes first. Only one server works at a time; the others sit idle.
    """
    sessions = [Session(spec, bench_input, plan) for spec in specs]
    try:
        for session in sessions:
            await session.start()
        for session in sessions:
            await session.open_document()
        for session in sessions:
            await session.settle()
        for variant, sites in plan.edits.items():
            for index, site in enumerate(sites):
                for session in _rotated(sessions, index):
                    await session.edit(variant, site)
            for session in sessions:
                await session.settle()
        for session in sessions:
            await session.code_actions()
            session.read_memory()
    finally:
        results = [await session.stop() for session in sessions]
    await measure_reopen(specs, bench_input, plan, results)
    return results


REOPEN_LABEL = "-reopen"


async def measure_reopen(
    specs: list[ServerSpec],
    bench_input: BenchInput,
    plan: SessionPlan,
    results: list[SessionResult],
) -> None:
    """Open the file again in a fresh process of each server, one after the other: what an
    editor restarted on a file seen before waits for (our server answers from the result cache
    the first session wrote; ruff has no such cache, so its reopen is a second cold open)."""
    for spec, result in zip(specs, results, strict=True):
        session = Session(spec, bench_input, plan, label=REOPEN_LABEL)
        try:
            await session.start()
            await session.open_document()
        finally:
            reopened = await session.stop()
        result.reopen = reopened.open
        result.reopen_diagnostics = reopened.open_diagnostics
        if reopened.error and not result.error:
            result.error = f"reopen: {reopened.error}"


STARTUP_LABEL = "-startup"
WARM_UP_STARTS = -1  # one uncounted round before the counted ones


async def measure_startup(
    specs: list[ServerSpec],
    bench_input: BenchInput,
    plan: SessionPlan,
    before_each: Callable[[], None] = lambda: None,
) -> dict[str, list[float]]:
    """Seconds from process spawn to the first diagnostics of `bench_input` (a small file) opened
    right after `initialized`, `plan.startups` times per server, the servers taking turns,
    after one start of each that is not counted (it writes the bytecode an installed server
    has)."""
    samples: dict[str, list[float]] = {spec.name: [] for spec in specs}
    for index in range(WARM_UP_STARTS, plan.startups):
        for spec in _rotated(specs, index):
            before_each()
            session = Session(spec, bench_input, plan, label=STARTUP_LABEL)
            try:
                await session.start()
                await session.open_document()
            finally:
                result = await session.stop()
            if index >= 0 and result.open is not None and result.error is None:
                samples[spec.name].append(session.diagnostics_at - session.spawned_at)
    return samples


INDEXED_LABEL = "-indexed"


async def measure_indexed_open(
    indexed: ServerSpec, peer: ServerSpec | None, bench_input: BenchInput, plan: SessionPlan
) -> tuple[float | None, float | None]:
    """(ours, peer): our server started with its workspace index on, the file opened once the
    index's `$/progress` has ended; the peer's plain open in a fresh process."""
    session = Session(indexed, bench_input, plan, label=INDEXED_LABEL)
    try:
        await session.start()

        async def wait() -> None:
            await session._client().wait_for_progress_end(plan.timeout)

        await session._guarded(wait)
        await session.open_document()
    finally:
        ours = await session.stop()
    theirs: float | None = None
    if peer is not None:
        other = Session(peer, bench_input, plan, label=INDEXED_LABEL)
        try:
            await other.start()
            await other.open_document()
        finally:
            theirs = (await other.stop()).open
    return (ours.open if ours.error is None else None), theirs


UNDER_INDEX_LABEL = "-under-index"


async def run_under_index(
    specs: list[ServerSpec], bench_input: BenchInput, plan: SessionPlan, indexed: str
) -> list[SessionResult]:
    """Open and edit `bench_input` in every server while the `indexed` one (ours, index on)
    indexes a large workspace: the servers take turns as in `run_interleaved`."""
    sessions = [Session(spec, bench_input, plan, label=UNDER_INDEX_LABEL) for spec in specs]
    try:
        for session in sessions:
            await session.start()
        for session in sessions:
            await session.open_document()
        for variant, sites in plan.edits.items():
            for index, site in enumerate(sites):
                for session in _rotated(sessions, index):
                    await session.edit(variant, site)
        for session in sessions:
            if session.spec.name == indexed and session.client is not None:
                session.result.index_running_at_last_edit = session.client.progress_ended() == 0
            session.read_memory()
    finally:
        results = [await session.stop() for session in sessions]
    return results
