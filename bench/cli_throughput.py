"""Benchmark: `standards-lsp check` over the interpreter's standard library, beside the floor of
this stack and beside ruff, in one run.

    uv run python -m bench.cli_throughput

Four timings, each the best of `--repeat` runs (wall clock; the machine is shared, so read the
ratios, which are measured under the same load):

- **parse floor**: CPython's `ast.parse` of every file, in a process pool on every core — no
  engine can check a file without parsing it once;
- **ruff**: `ruff check --no-cache` with its default rules (the peer);
- **check cold**: `standards-lsp check` with an empty result cache;
- **check warm**: the same again, every file's result cached (nothing changed).

Targets (issue "Faster than ruff where the user waits"): cold <= 2x the parse floor, warm <= 0.5x
ruff's cold time.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pydantic import BaseModel

DEFAULT_REPEAT = 3
COLD_TARGET_OVER_FLOOR = 2.0
WARM_TARGET_OVER_RUFF = 0.5
# Packages installed into the interpreter are not its standard library.
SKIPPED_PARTS = frozenset({"site-packages"})
PARSE_CHUNK = 64
RUFF_EXECUTABLE = "ruff"
# Both checks write their whole report (ruff says nothing of findings with --quiet); neither fails.
OUR_CHECK = ("check", "--format", "json")
RUFF_CHECK = ("check", "--no-cache", "--exit-zero", "--quiet")
# Our check runs as an installed one does, with bytecode: a PYTHONDONTWRITEBYTECODE of the
# bench's environment would make every run compile its modules again (0.4 s of a warm run).
NO_BYTECODE_VARIABLE = "PYTHONDONTWRITEBYTECODE"


class Timing(BaseModel):
    """One measured command: its best wall time and how many files it covered."""

    name: str
    seconds: float
    files: int

    @property
    def files_per_second(self) -> float:
        """Throughput."""
        return self.files / self.seconds if self.seconds else 0.0


def stdlib_files(root: Path) -> list[Path]:
    """The standard library's Python files (its tests included: a few do not parse on purpose,
    and every command meets them alike)."""
    return sorted(path for path in root.rglob("*.py") if not SKIPPED_PARTS.intersection(path.parts))


def _parse(path: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(Path(path).read_bytes(), filename=path)
        except (SyntaxError, ValueError):
            return False
    return True


def parse_floor(files: list[Path]) -> float:
    """Seconds to parse every file on every core."""
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(_parse, [str(path) for path in files], chunksize=PARSE_CHUNK))
    return time.perf_counter() - started


def _timed(command: list[str], cwd: Path) -> float:
    environment = {
        name: value for name, value in os.environ.items() if name != NO_BYTECODE_VARIABLE
    }
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=environment, capture_output=True, check=False)
    return time.perf_counter() - started


def best_of(repeat: int, measure: Callable[[], float]) -> float:
    """The shortest of `repeat` measurements."""
    return min(measure() for _ in range(repeat))


def _ours() -> list[str]:
    return [sys.executable, "-m", "server.cli.main"]


def _ruff() -> list[str]:
    local = Path(sys.executable).parent / RUFF_EXECUTABLE
    return [str(local) if local.exists() else (shutil.which(RUFF_EXECUTABLE) or RUFF_EXECUTABLE)]


def measure(root: Path, repeat: int) -> list[Timing]:
    """The four timings on the files below `root`."""
    files = stdlib_files(root)
    listing = [str(path) for path in files]
    cache = Path(tempfile.mkdtemp(prefix="standards-lsp-throughput-"))
    check = [*_ours(), *OUR_CHECK, "--cache-dir", str(cache), *listing]
    ruff = [*_ruff(), *RUFF_CHECK, *listing]

    def cold() -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return _timed(check, root)

    timings = [
        Timing(
            name="parse floor",
            seconds=best_of(repeat, lambda: parse_floor(files)),
            files=len(files),
        ),
        Timing(
            name="ruff check --no-cache",
            seconds=best_of(repeat, lambda: _timed(ruff, root)),
            files=len(files),
        ),
        Timing(name="check cold", seconds=best_of(repeat, cold), files=len(files)),
    ]
    _timed(check, root)  # the warm runs find every file cached
    timings.append(
        Timing(
            name="check warm",
            seconds=best_of(repeat, lambda: _timed(check, root)),
            files=len(files),
        )
    )
    shutil.rmtree(cache, ignore_errors=True)
    return timings


def report(timings: list[Timing]) -> str:
    """The timings, their throughput and the two target ratios, as Markdown."""
    by_name = {timing.name: timing for timing in timings}
    floor = by_name["parse floor"].seconds
    ruff = by_name["ruff check --no-cache"].seconds
    cold = by_name["check cold"].seconds
    warm = by_name["check warm"].seconds
    rows = [
        "| command | files | seconds | files/s |",
        "|---|---:|---:|---:|",
        *(
            f"| {t.name} | {t.files} | {t.seconds:.2f} | {t.files_per_second:.0f} |"
            for t in timings
        ),
        "",
        "| target | ratio | goal | verdict |",
        "|---|---:|---:|---|",
        _target_row("check cold / parse floor", cold / floor, COLD_TARGET_OVER_FLOOR),
        _target_row("check warm / ruff cold", warm / ruff, WARM_TARGET_OVER_RUFF),
        _target_row("check cold / ruff cold", cold / ruff, None),
    ]
    return "\n".join(rows)


def _target_row(name: str, ratio: float, goal: float | None) -> str:
    if goal is None:
        return f"| {name} | {ratio:.2f}x | - | (for reference) |"
    verdict = "met" if ratio <= goal else "**missed**"
    return f"| {name} | {ratio:.2f}x | <= {goal}x | {verdict} |"


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(prog="bench.cli_throughput", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    arguments = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}; root: {arguments.root}")
    print(report(measure(arguments.root, arguments.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
