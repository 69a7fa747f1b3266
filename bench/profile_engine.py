"""Where our time goes: the engine run in-process on the benchmark's open + edit sequence.

    uv run --group bench python -m bench.profile_engine [--input stdlib_concat_20k] [--top 30]

The same inputs and the same one-character edits as `bench.lsp_latency`, without LSP: a fresh
check (what `didOpen` costs), then one incremental check per edit with the previous check's
cache (what `didChange` costs). Prints each phase's wall times and a cProfile of the edit
sequence, so the server's own overhead (LSP conversion, JSON, scheduling) is what the latency
bench measures beyond these numbers. With `--server-convert` each check is followed by the
server's own rendering of the findings as LSP diagnostics (`server.rendering.DiagnosticRenderer`,
when the server has it), as its analysis thread does.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.inputs import CONCATENATED_NAME, BenchInput, EditSite, EditVariant, edit_sites
from bench.inputs import prepare_workspace as write_inputs
from bench.stats import MILLISECONDS, Timings
from rules.config import ConfigResolver
from rules.engine import Analysis, Engine, SourceFile, UnitCache

DEFAULT_EDITS = 30
DEFAULT_TOP = 30
RENDERING_MODULE = "server.rendering"
DOCUMENTS_MODULE = "server.documents"

type Converter = Callable[[Analysis, list[str]], object]


def _apply(lines: list[str], site: EditSite) -> None:
    line = lines[site.line]
    if site.remove:
        lines[site.line] = line[: site.character] + line[site.character + len(site.text) :]
    else:
        lines[site.line] = line[: site.character] + site.text + line[site.character :]


def _converter() -> Converter | None:
    """The server's findings -> LSP diagnostics rendering (UTF-16), when the server has one."""
    try:
        rendering = importlib.import_module(RENDERING_MODULE)
        documents = importlib.import_module(DOCUMENTS_MODULE)
        renderer: Any = rendering.DiagnosticRenderer(documents.PositionCodec())
    except (ImportError, AttributeError) as exc:
        print(f"no server rendering to profile: {exc}", file=sys.stderr)
        return None
    return lambda analysis, lines: renderer.render(analysis.findings, lines)


class EngineRun:
    """One input: a fresh check, then incremental checks along the edit sequence."""

    def __init__(self, bench_input: BenchInput, rendering: bool) -> None:
        self.input = bench_input
        self.engine = Engine()
        self.settings = ConfigResolver().settings_for(str(bench_input.path))
        self.convert = _converter() if rendering else None
        self.cache: UnitCache | None = None

    def check(self, text: str, lines: list[str] | None = None) -> Analysis:
        source = SourceFile(text=text, settings=self.settings, path=str(self.input.path))
        analysis = self.engine.check(source, cache=self.cache, lines=lines)
        self.cache = analysis.cache
        if self.convert is not None:
            self.convert(analysis, text.splitlines(keepends=True))
        return analysis

    def open(self) -> tuple[float, Analysis]:
        began = time.perf_counter()
        analysis = self.check(self.input.text)
        return time.perf_counter() - began, analysis

    def edits(self, sites: list[EditSite]) -> list[float]:
        lines = self.input.text.splitlines(keepends=True)
        times: list[float] = []
        for site in sites:
            _apply(lines, site)
            began = time.perf_counter()
            # as the server does: the edited list of lines (unchanged lines are the same
            # objects) and the text joined from it
            self.check("".join(lines), list(lines))
            times.append(time.perf_counter() - began)
        return times


def _describe(name: str, timings: Timings) -> str:
    return f"{name}: median {timings.median_ms:.2f} ms, p95 {timings.p95_ms:.2f} ms, max {timings.max_ms:.2f} ms"


def _profiled[T](work: Callable[[], T]) -> tuple[T, cProfile.Profile]:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        return work(), profiler
    finally:
        profiler.disable()


def _stats_text(profiler: cProfile.Profile, arguments: argparse.Namespace) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats(arguments.sort).print_stats(arguments.top)
    return out.getvalue()


def profile_input(bench_input: BenchInput, arguments: argparse.Namespace) -> str:
    """The timings and the profiles (fresh check, then the edits) of one input, as text."""
    variant = EditVariant(arguments.variant)
    sites = edit_sites(bench_input, variant, arguments.edits)
    plain = EngineRun(bench_input, arguments.server_convert)
    opened, analysis = plain.open()
    unprofiled = plain.edits(sites)
    profiled = EngineRun(bench_input, arguments.server_convert)
    _, open_profile = _profiled(profiled.open)
    times, edit_profile = _profiled(lambda: profiled.edits(sites))
    conversion = ", with the server's rendering" if plain.convert else ""
    return (
        f"== {bench_input.name} ({bench_input.line_count} lines, {analysis.unit_count} units, "
        f"{len(analysis.findings)} findings{conversion})\n"
        f"open (fresh check): {opened * MILLISECONDS:.2f} ms\n"
        f"{_describe(f'edit({variant})', Timings.of(unprofiled))}\n"
        f"{_describe(f'edit({variant}) under cProfile', Timings.of(times))}\n\n"
        f"-- profile of the fresh check (open)\n{_stats_text(open_profile, arguments)}"
        f"-- profile of the {len(sites)} edits\n{_stats_text(edit_profile, arguments)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.profile_engine", description=__doc__)
    parser.add_argument("--inputs", default=f"argparse,{CONCATENATED_NAME}")
    parser.add_argument("--variant", default=EditVariant.VALID.value)
    parser.add_argument("--edits", type=int, default=DEFAULT_EDITS)
    parser.add_argument("--top", type=int, default=DEFAULT_TOP)
    parser.add_argument("--sort", default="tottime", help="pstats sort key: tottime, cumulative")
    parser.add_argument("--server-convert", action="store_true")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="standards-lsp-profile-") as scratch:
        inputs = write_inputs(Path(scratch) / "workspace", arguments.inputs.split(","))
        for bench_input in inputs:
            sys.stdout.write(profile_input(bench_input, arguments))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
