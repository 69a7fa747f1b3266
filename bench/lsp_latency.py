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
    EditVariant,
    edit_sites,
    prepare_workspace,
)
from bench.report import RunReport, markdown, target_checks, targets_markdown
from bench.session import DiagnosticsMode, ServerSpec, SessionPlan, SessionResult, run_interleaved
from bench.stats import MILLISECONDS

RESULTS_DIR = Path(__file__).parent / "results"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EDITS = 30
DEFAULT_CODE_ACTIONS = 10
DEFAULT_TIMEOUT = 45.0
DEFAULT_EDIT_BUDGET = 20.0
ALL_INPUTS = (*SINGLE_FILES, CONCATENATED_NAME)
ALL_SERVERS = ("ours", "ruff", "pylsp")
OUR_MODULE = "server.cli.main"
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


def _bin(name: str) -> str:
    """A tool of the bench's own environment (next to this interpreter), else from PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def default_commands() -> dict[str, list[str]]:
    """How each server is started when no `--<server>-cmd` is given."""
    return {
        "ours": [sys.executable, "-m", OUR_MODULE, "serve"],
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
        specs.append(ServerSpec(name=name, command=command, profile_dir=profile_dir))
    return specs


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


async def run_all(
    specs: list[ServerSpec], arguments: argparse.Namespace, workspace: Path
) -> list[SessionResult]:
    """Every server on every input, one fresh server process per (server, input)."""
    inputs = prepare_workspace(workspace, arguments.inputs.split(","))
    variants = [EditVariant(name) for name in arguments.variants.split(",")]
    log_dir = arguments.results / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    results: list[SessionResult] = []
    for bench_input in inputs:
        plan = SessionPlan(
            workspace=workspace,
            edits={
                variant: edit_sites(bench_input, variant, arguments.edits) for variant in variants
            },
            code_actions=arguments.code_actions,
            timeout=arguments.timeout,
            edit_budget=arguments.edit_budget,
            mode=DiagnosticsMode(arguments.diagnostics),
            log_dir=log_dir,
        )
        print(f"{bench_input.name}: {', '.join(spec.name for spec in specs)} ...", file=sys.stderr)
        shutil.rmtree(workspace / OUR_CACHE_DIRECTORY, ignore_errors=True)
        for result in await run_interleaved(specs, bench_input, plan):
            results.append(result)
            print(f"  {result.server}: {_one_line(result)}", file=sys.stderr, flush=True)
    return results


def _one_line(result: SessionResult) -> str:
    parts = [f"open {result.open * MILLISECONDS:.1f} ms" if result.open is not None else "open -"]
    if result.reopen is not None:
        parts.append(f"reopen {result.reopen * MILLISECONDS:.1f} ms")
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
    text = markdown(report) + "\n" + targets_markdown(target_checks(report.results))
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
        results = asyncio.run(run_all(specs, arguments, Path(scratch) / "workspace"))
    report = RunReport(
        started=started,
        duration_seconds=time.perf_counter() - began,
        command=[sys.executable, "-m", BENCH_LSP_LATENCY, *(argv or sys.argv[1:])],
        environment=environment(specs),
        servers={spec.name: spec.command for spec in specs},
        diagnostics_mode=arguments.diagnostics,
        edits_per_variant=arguments.edits,
        results=results,
    )
    path = write_outputs(report, arguments.results)
    print(path.read_text(encoding=ENCODING))
    print(f"written: {path} (and .json, latest.*)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
