"""Run a server module under cProfile and write its statistics when the process ends.

    python bench/profiled_server.py OUT.prof server.cli.main serve

Used by `bench.lsp_latency --profile-ours OUT.prof`; run by path (not `-m`) because the server
runs in the scratch workspace, where this package is not importable. On CPython 3.12, cProfile
hooks `sys.monitoring`, which sees every thread: the analysis thread's time is in the profile
(own times are exact; cumulative times of the event loop's waits include the other threads').
"""

from __future__ import annotations

import atexit
import cProfile
import runpy
import sys

USAGE = "usage: profiled_server.py OUT.prof MODULE [ARGS...]"
MIN_ARGUMENTS = 3


def main() -> None:
    if len(sys.argv) < MIN_ARGUMENTS:
        raise SystemExit(USAGE)
    out, module, *arguments = sys.argv[1:]
    profiler = cProfile.Profile()

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(out)

    atexit.register(dump)  # also covers a server that ends with sys.exit from a callback
    sys.argv = [module, *arguments]
    profiler.enable()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
