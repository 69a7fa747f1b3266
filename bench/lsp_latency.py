"""Benchmark: our language server side by side with `ruff server` and `pylsp`, over stdio.

    uv run --group bench python -m bench.lsp_latency

See bench/README.md for what is measured and how to read the output.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib.util
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.inputs import (
    CONCATENATED_NAME,
    SINGLE_FILES,
    BenchInput,
    EditVariant,
    edit_sites,
    prepare_index_workspace,
    prepare_workspace,
    startup_input,
)
from bench.report import (
    FLOOR_SERVER,
    RunReport,
    StartupResult,
    markdown,
    target_checks,
    targets_markdown,
)
from bench.session import (
    DiagnosticsMode,
    ServerSpec,
    SessionPlan,
    SessionResult,
    measure_indexed_open,
    measure_startup,
    run_interleaved,
    run_under_index,
)
from bench.stats import MILLISECONDS

RESULTS_DIR = Path(__file__).parent / "results"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EDITS = 30
DEFAULT_CODE_ACTIONS = 10
DEFAULT_TIMEOUT = 45.0
DEFAULT_EDIT_BUDGET = 20.0
ALL_INPUTS = (*SINGLE_FILES, CONCATENATED_NAME)
ALL_SERVERS = ("ours", "ruff", "pylsp")
# What `standards-lsp serve` runs (`standards_lsp.main` hands `serve` to it).
OUR_MODULE = "server.cli.serve"
VERSION_TIMEOUT = 30
MODULE_COMMAND_LENGTH = 3  # python -m MODULE
JSON_INDENT = 2
ENCODING = "utf-8"
BENCH_LSP_LATENCY = "bench.lsp_latency"
COMMA_SEPARATED = "comma-separated"
OURS = "ours"
# Our server's result cache in the workspace (`server.result_cache`): emptied before each input
# so the first open is cold, and left for the reopen.
OUR_CACHE_DIRECTORY = ".standards-lsp-cache"
# Our server's sessions run with the workspace index off (it would race the cold open), except
# those that measure the index: the indexed open and the edits made while it runs.
INDEX_OFF = {"workspaceIndex": False}
INDEXED_NAME = "ours-indexed"
FLOOR_SCRIPT = Path(__file__).with_name("minimal_server.py")
DEFAULT_STARTUPS = 5
DEFAULT_INDEX_FILES = 2000
DEFAULT_INDEX_INPUT = "argparse"
REFERENCE = "ruff"


def _bin(name: str) -> str:
    """A tool of the bench's own environment (next to this interpreter), else from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def default_commands() -> dict[str, list[str]]:
    """How each server is started when no `--<server>-cmd` is given."""
    return {
        "ours": [sys.executable, "-m", OUR_MODULE],
        "ruff": [_bin("ruff"), "server"],
        "pylsp": [_bin("pylsp")],
    }


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=BENCH_LSP_LATENCY, description=__doc__)
    parser.add_argument("--servers", default=",".join(ALL_SERVERS), help=COMMA_SEPARATED)
    parser.add_argument("--inputs", default=",".join(ALL_INPUTS), help=COMMA_SEPARATED)
    parser.add_argument("--variants", default=EditVariant.VALID.value, help="valid,broken")
    parser.add_argument("--edits", type=int, default=DEFAULT_EDITS, help="edits per variant")
    parser.add_argument("--code-actions", type=int, default=DEFAULT_CODE_ACTIONS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="per wait, s")
    parser.add_argument(
        "--edit-budget",
        type=float,
        default=DEFAULT_EDIT_BUDGET,
        help="seconds per variant and session before a slow server's edits stop (min 3 edits)",
    )
    parser.add_argument(
        "--diagnostics",
        choices=[mode.value for mode in DiagnosticsMode],
        default=DiagnosticsMode.AUTO.value,
        help="auto: pull from servers that offer it; push: advertise push only",
    )
    for name in ALL_SERVERS:
        parser.add_argument(f"--{name}-cmd", help=f"command starting {name} over stdio")
    parser.add_argument(
        "--startups",
        type=int,
        default=DEFAULT_STARTUPS,
        help="start-ups to first diagnostics per server (and the pygls floor); 0: none",
    )
    parser.add_argument(
        "--index-files",
        type=int,
        default=DEFAULT_INDEX_FILES,
        help="stdlib files in the workspace of the edits made while our index runs; 0: none",
    )
    parser.add_argument("--index-input", default=DEFAULT_INDEX_INPUT, help="its edited input")
    parser.add_argument(
        "--indexed-open",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the open of a file our workspace index has seen",
    )
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--profile-ours",
        type=Path,
        metavar="DIR",
        help="run our server under cProfile (bench/profiled_server.py), DIR/ours-<input>.prof",
    )
    return parser.parse_args(argv)


def server_specs(arguments: argparse.Namespace) -> list[ServerSpec]:
    """The servers to measure, in the order given, each with its command."""
    commands = default_commands()
    specs: list[ServerSpec] = []
    for name in arguments.servers.split(","):
        override = getattr(arguments, f"{name}_cmd", None)
        command = shlex.split(override) if override else commands[name]
        if name == OURS and not override and importlib.util.find_spec(OUR_MODULE) is None:
            print(f"skipping ours: {OUR_MODULE} is not importable yet", file=sys.stderr)
            continue
        profile_dir = arguments.profile_ours if name == OURS else None
        if profile_dir is not None:
            profile_dir = profile_dir.resolve()
            profile_dir.mkdir(parents=True, exist_ok=True)
        options = INDEX_OFF if name == OURS else None
        specs.append(
            ServerSpec(
                name=name,
                command=command,
                profile_dir=profile_dir,
                initialization_options=options,
            )
        )
    return specs


def indexed_spec(specs: list[ServerSpec]) -> ServerSpec | None:
    """Our server as an editor starts it: the workspace index on."""
    for spec in specs:
        if spec.name == OURS:
            return spec.model_copy(update={"initialization_options": None})
    return None


def floor_spec() -> ServerSpec:
    """The minimal pygls server: the start-up floor of this stack."""
    return ServerSpec(name=FLOOR_SERVER, command=[sys.executable, str(FLOOR_SCRIPT)])


def _peer(specs: list[ServerSpec]) -> ServerSpec | None:
    return next((spec for spec in specs if spec.name == REFERENCE), None)


def _version_of(command: list[str]) -> str:
    try:
        done = subprocess.run(
            [*command, "--version"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except OSError as exc:
        return f"unavailable ({exc})"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else "?"
    )


def _git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    return done.stdout.strip() or "?"


def environment(specs: list[ServerSpec]) -> dict[str, str]:
    """What the numbers depend on: interpreter, machine, versions."""
    info = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": f"{platform.machine()}, {platform.system()} {platform.release()}",
        "cpus": str(len(os.sched_getaffinity(0))),
        "load average (1/5/15 min) at the end": " ".join(f"{load:.1f}" for load in os.getloadavg()),
        "commit": _git_commit(),
    }
    for spec in specs:
        if spec.name == OURS:
            info["ours source"] = _source_of(spec.command)
        else:
            info[f"{spec.name} version"] = _version_of(spec.command[:1])
    return info


def _source_of(command: list[str]) -> str:
    """Where `python -m MODULE` would import our server from, and that checkout's commit."""
    if len(command) < MODULE_COMMAND_LENGTH or command[1] != "-m":
        return "?"
    package = command[2].partition(".")[0]
    probe = f"import {package}, os; print(os.path.dirname(os.path.dirname({package}.__file__)))"
    try:
        done = subprocess.run(  # from a scratch directory, as the sessions run
            [command[0], "-c", probe],
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except OSError:
        return "?"
    checkout = done.stdout.strip()
    if not checkout:
        return "?"
    commit = subprocess.run(
        ["git", "-C", checkout, "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{checkout} (commit {commit or 'unknown: not a git checkout'})"


def _plan(
    arguments: argparse.Namespace, workspace: Path, bench_input: BenchInput, edits: bool = True
) -> SessionPlan:
    variants = [EditVariant(name) for name in arguments.variants.split(",")] if edits else []
    log_dir = arguments.results / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    return SessionPlan(
        workspace=workspace,
        edits={variant: edit_sites(bench_input, variant, arguments.edits) for variant in variants},
        code_actions=arguments.code_actions,
        timeout=arguments.timeout,
        edit_budget=arguments.edit_budget,
        mode=DiagnosticsMode(arguments.diagnostics),
        log_dir=log_dir,
    )


class Measured:
    """Everything a run measured."""

    def __init__(self) -> None:
        self.results: list[SessionResult] = []
        self.startup: list[StartupResult] = []
        self.under_index: list[SessionResult] = []


async def run_all(
    specs: list[ServerSpec], arguments: argparse.Namespace, workspace: Path
) -> Measured:
    """Every server on every input, one fresh server process per (server, input); then the
    start-ups and the edits made while our index runs."""
    measured = Measured()
    inputs = prepare_workspace(workspace, arguments.inputs.split(","))
    indexed = indexed_spec(specs) if arguments.indexed_open else None
    for bench_input in inputs:
        plan = _plan(arguments, workspace, bench_input)
        print(f"{bench_input.name}: {', '.join(spec.name for spec in specs)} ...", file=sys.stderr)
        shutil.rmtree(workspace / OUR_CACHE_DIRECTORY, ignore_errors=True)
        results = await run_interleaved(specs, bench_input, plan)
        if indexed is not None:
            shutil.rmtree(workspace / OUR_CACHE_DIRECTORY, ignore_errors=True)
            ours, theirs = await measure_indexed_open(indexed, _peer(specs), bench_input, plan)
            for result in results:
                result.indexed_open = ours if result.server == OURS else None
                if result.server == REFERENCE:
                    result.indexed_open = theirs
        for result in results:
            measured.results.append(result)
            print(f"  {result.server}: {_one_line(result)}", file=sys.stderr, flush=True)
    if arguments.startups > 0:
        measured.startup = await _startups(specs, arguments, workspace)
    our_indexed = indexed_spec(specs)
    if arguments.index_files > 0 and our_indexed is not None:
        measured.under_index = await _under_index(specs, our_indexed, arguments, workspace)
    return measured


async def _startups(
    specs: list[ServerSpec], arguments: argparse.Namespace, workspace: Path
) -> list[StartupResult]:
    small = startup_input(workspace)
    plan = _plan(arguments, workspace, small, edits=False).model_copy(
        update={"startups": arguments.startups}
    )
    measured = [*specs, floor_spec()]
    print(f"start-up: {', '.join(spec.name for spec in measured)} ...", file=sys.stderr)

    def cold() -> None:  # every start-up of ours analyses the file: nothing cached
        shutil.rmtree(workspace / OUR_CACHE_DIRECTORY, ignore_errors=True)

    samples = await measure_startup(measured, small, plan, before_each=cold)
    return [StartupResult.of(name, seconds) for name, seconds in samples.items()]


async def _under_index(
    specs: list[ServerSpec],
    indexed: ServerSpec,
    arguments: argparse.Namespace,
    workspace: Path,
) -> list[SessionResult]:
    index_workspace = workspace.parent / "index-workspace"
    bench_input = prepare_index_workspace(
        index_workspace, arguments.index_input, arguments.index_files
    )
    plan = _plan(arguments, index_workspace, bench_input)
    peer = _peer(specs)
    sessions = [indexed, *([peer] if peer is not None else [])]
    print(
        f"edits while our index runs on {arguments.index_files} files: "
        f"{', '.join(spec.name for spec in sessions)} ...",
        file=sys.stderr,
    )
    results = await run_under_index(sessions, bench_input, plan, indexed=indexed.name)
    for result in results:
        print(f"  {result.server}: {_one_line(result)}", file=sys.stderr, flush=True)
    shutil.rmtree(index_workspace, ignore_errors=True)
    return results


def _one_line(result: SessionResult) -> str:
    parts = [f"open {result.open * MILLISECONDS:.1f} ms" if result.open is not None else "open -"]
    if result.reopen is not None:
        parts.append(f"reopen {result.reopen * MILLISECONDS:.1f} ms")
    if result.indexed_open is not None:
        parts.append(f"indexed open {result.indexed_open * MILLISECONDS:.1f} ms")
    if result.index_running_at_last_edit is not None:
        parts.append(f"index still running at the last edit: {result.index_running_at_last_edit}")
    for variant, edits in result.edits.items():
        parts.append(
            f"edit({variant}) median {edits.timings.median_ms} ms p95 {edits.timings.p95_ms} ms"
        )
    parts.append(f"rss {result.peak_rss_kib} KiB")
    if result.error:
        parts.append(f"ERROR {result.error}")
    return "; ".join(parts)


def write_outputs(report: RunReport, results_dir: Path) -> Path:
    """`<stamp>.json` and `<stamp>.md` plus `latest.json`/`latest.md`; returns the Markdown path."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = report.started.replace(":", "").replace("-", "")
    text = markdown(report) + "\n" + targets_markdown(target_checks(report))
    payload = report.model_dump_json(indent=JSON_INDENT)
    for name in (f"lsp_latency-{stamp}", "latest"):
        (results_dir / f"{name}.md").write_text(text, encoding=ENCODING)
        (results_dir / f"{name}.json").write_text(payload, encoding=ENCODING)
    return results_dir / f"lsp_latency-{stamp}.md"


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    specs = server_specs(arguments)
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="standards-lsp-bench-") as scratch:
        measured = asyncio.run(run_all(specs, arguments, Path(scratch) / "workspace"))
    report = RunReport(
        started=started,
        duration_seconds=time.perf_counter() - began,
        command=[sys.executable, "-m", BENCH_LSP_LATENCY, *(argv or sys.argv[1:])],
        environment=environment(specs),
        servers={spec.name: spec.command for spec in [*specs, floor_spec()]},
        diagnostics_mode=arguments.diagnostics,
        edits_per_variant=arguments.edits,
        results=measured.results,
        startup=measured.startup,
        under_index=measured.under_index,
        index_files=arguments.index_files,
    )
    path = write_outputs(report, arguments.results)
    print(path.read_text(encoding=ENCODING))
    print(f"written: {path} (and .json, latest.*)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
