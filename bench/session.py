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
        if self.profile_dir is None or len(command) < 3 or command[1] != MODULE_FLAG:
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
    edits: dict[EditVariant, EditResult] = {}
    code_action: Timings
    code_action_count: int
    code_action_items: int = 0  # actions returned, summed over the requests
    peak_rss_kib: int | None
    error: str | None = None


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


class Session:
    """Drives one server through the plan for one input."""

    def __init__(self, spec: ServerSpec, bench_input: BenchInput, plan: SessionPlan) -> None:
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

    @property
    def uri(self) -> str:
        return self.input.uri

    def _client(self) -> LspClient:
        assert self.client is not None  # noqa: S101 - set by run() before anything else
        return self.client

    async def run(self) -> SessionResult:
        """The whole session; the server is always shut down, even when a step fails."""
        log = self.plan.log_dir / f"{self.spec.name}-{self.input.name}.stderr.log"
        started = asyncio.get_running_loop().time()
        command = self.spec.command_for(self.input.name)
        self.client = await LspClient.start(command, self.plan.workspace, log)
        result = self._empty_result()
        try:
            await self._initialize()
            result.initialize = asyncio.get_running_loop().time() - started
            await self._measure(result)
        except Exception as exc:  # a failing server is a result, not a crash of the bench
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            await self._client().shutdown()
        return result

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

    async def _measure(self, result: SessionResult) -> None:
        result.pulled = self.pulled
        result.open = await self._open()
        result.open_diagnostics = len(self.diagnostics)
        await self._settle()
        for variant, sites in self.plan.edits.items():
            times, missed = await self._edits(sites)
            result.edits[variant] = EditResult(
                timings=Timings.of(times), missed=missed, skipped=len(sites) - len(times) - missed
            )
            await self._settle()
        action_times, items = await self._code_actions()
        result.code_action = Timings.of(action_times)
        result.code_action_count = len(action_times)
        result.code_action_items = items
        result.peak_rss_kib = peak_rss_kib(self._client().pid)

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

    async def _edits(self, sites: list[EditSite]) -> tuple[list[float], int]:
        times: list[float] = []
        missed = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.plan.edit_budget
        for done, site in enumerate(sites):
            if done >= MIN_EDITS and loop.time() > deadline:
                break
            try:
                times.append(await self._edit(site))
            except TimeoutError:
                missed += 1
                await self._settle()
        return times, missed

    # --- code actions ----------------------------------------------------------------------

    async def _code_actions(self) -> tuple[list[float], int]:
        """Round trips of `textDocument/codeAction` on diagnostics spread through the file."""
        diagnostics = [item for item in self.diagnostics if "range" in item]
        if not diagnostics:
            return [], 0
        count = min(self.plan.code_actions, len(diagnostics))
        step = len(diagnostics) / count
        chosen = [diagnostics[int(index * step)] for index in range(count)]
        times: list[float] = []
        items = 0
        for diagnostic in chosen:
            params = {
                "textDocument": {"uri": self.uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic], "triggerKind": INVOKED},
            }
            with contextlib.suppress(TimeoutError):
                elapsed, actions = await self._client().request(
                    "textDocument/codeAction", params, self.plan.timeout
                )
                times.append(elapsed)
                items += len(actions or [])
        return times, items


async def run_session(
    spec: ServerSpec, bench_input: BenchInput, plan: SessionPlan
) -> SessionResult:
    """Measure one server on one input."""
    return await Session(spec, bench_input, plan).run()
