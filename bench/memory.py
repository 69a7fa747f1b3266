"""Peak resident memory of a server process and everything it started, from `/proc`."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")
PEAK_FIELD = "VmHWM:"


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (children of every thread, recursively)."""
    found = [pid]
    index = 0
    while index < len(found):
        tasks = PROC / str(found[index]) / "task"
        index += 1
        try:
            threads = list(tasks.iterdir())
        except OSError:  # the process ended meanwhile
            continue
        for thread in threads:
            try:
                children = (thread / "children").read_text().split()
            except OSError:
                continue
            found.extend(int(child) for child in children)
    return found


def peak_rss_of(pid: int) -> int | None:
    """The peak resident set size (VmHWM) of one process, in KiB (None once it has ended)."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(PEAK_FIELD):
            return int(line.split()[1])  # "VmHWM:   123456 kB"
    return None


def peak_rss_kib(pid: int) -> int | None:
    """The sum of the peak resident set sizes (VmHWM) of `pid` and its descendants, in KiB.

    A sum of peaks over-states when children peaked at different moments; for one process it is
    exact, and with children it is the bound that matters for a memory budget.
    """
    peaks = [peak for peak in map(peak_rss_of, descendants(pid)) if peak is not None]
    return sum(peaks) if peaks else None
