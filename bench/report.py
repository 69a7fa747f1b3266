"""The benchmark's outputs: a Markdown table for people, JSON for tools, ratios against ruff."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from bench.inputs import EditVariant
from bench.session import SessionResult
from bench.stats import MILLISECONDS, Timings

REFERENCE_SERVER = "ruff"
FLOOR_SERVER = "floor"  # bench/minimal_server.py: the start-up floor of a pygls server
KIB_PER_MIB = 1024.0
MISSING = "-"
MEDIAN_MS = "median_ms"
P95_MS = "p95_ms"
MS_SUFFIX = "_ms"
OPEN_COLUMN = "open→diags ms"
RSS_COLUMN = "peak RSS MiB"
# Besides the metrics, a row has the server's name and the notes.
NAME_AND_NOTES = 2

type Metric = Callable[[SessionResult], float | None]


class StartupResult(BaseModel):
    """One server's start-ups: process spawn -> first diagnostics of a small file."""

    server: str
    timings: Timings

    @classmethod
    def of(cls, server: str, seconds: list[float]) -> StartupResult:
        """Summarise the samples (seconds)."""
        return cls(server=server, timings=Timings.of(seconds))


class RunReport(BaseModel):
    """Everything one run measured, and how it was run."""

    started: str
    duration_seconds: float
    command: list[str]
    environment: dict[str, str]
    servers: dict[str, list[str]]
    diagnostics_mode: str
    edits_per_variant: int
    results: list[SessionResult]
    startup: list[StartupResult] = []
    # the sessions editing while our workspace index runs on `index_files` files
    under_index: list[SessionResult] = []
    index_files: int = 0


def _edit_metric(variant: EditVariant, field: str) -> Metric:
    def metric(result: SessionResult) -> float | None:
        edits = result.edits.get(variant)
        return None if edits is None else getattr(edits.timings, field)

    return metric


def _open(result: SessionResult) -> float | None:
    return None if result.open is None else result.open * MILLISECONDS


def _reopen(result: SessionResult) -> float | None:
    return None if result.reopen is None else result.reopen * MILLISECONDS


def _indexed_open(result: SessionResult) -> float | None:
    return None if result.indexed_open is None else result.indexed_open * MILLISECONDS


def _code_action(result: SessionResult) -> float | None:
    return result.code_action.median_ms


def _rss(result: SessionResult) -> float | None:
    return None if result.peak_rss_kib is None else result.peak_rss_kib / KIB_PER_MIB


def _cell(value: float | None, reference: float | None, ratio: bool) -> str:
    if value is None:
        return MISSING
    text = f"{value:.1f}"
    if ratio and reference:
        text += f" ({value / reference:.2f}x)"
    return text


def _reference(results: list[SessionResult], input_name: str) -> SessionResult | None:
    for result in results:
        if result.input == input_name and result.server == REFERENCE_SERVER:
            return result
    return None


def _columns(variants: list[EditVariant]) -> list[tuple[str, Metric, bool]]:
    columns: list[tuple[str, Metric, bool]] = [
        (OPEN_COLUMN, _open, True),
        ("reopen→diags ms", _reopen, True),
        ("indexed open→diags ms", _indexed_open, True),
    ]
    for variant in variants:
        columns.append((f"edit({variant}) median ms", _edit_metric(variant, MEDIAN_MS), True))
        columns.append((f"edit({variant}) p95 ms", _edit_metric(variant, P95_MS), True))
    columns.append(("codeAction median ms", _code_action, True))
    columns.append((RSS_COLUMN, _rss, True))
    return columns


def _notes(result: SessionResult) -> str:
    notes = ["pull" if result.pulled else "push"]
    for variant, edits in result.edits.items():
        if edits.missed:
            notes.append(f"{edits.missed} {variant} edits timed out")
        if edits.skipped:
            made = edits.timings.count + edits.missed
            notes.append(f"{made}/{made + edits.skipped} {variant} edits (time budget)")
    if result.open_diagnostics is not None:
        notes.append(f"{result.open_diagnostics} diags")
    if result.reopen_diagnostics not in {None, result.open_diagnostics}:
        notes.append(f"{result.reopen_diagnostics} diags on reopen")
    actions = f"{result.code_action_items} actions/{result.code_action_count} requests"
    if result.code_action_without_diagnostic:
        actions += " at edited lines (no diagnostic)"
    notes.append(actions)
    if result.error:
        notes.append(f"error: {result.error}")
    return "; ".join(notes)


def markdown(report: RunReport) -> str:
    """The results as one Markdown table per input, ratios against ruff in parentheses."""
    variants = list(dict.fromkeys(variant for result in report.results for variant in result.edits))
    columns = _columns(variants)
    header = ["server", *(title for title, _, _ in columns), "notes"]
    out = [
        f"# LSP latency — {report.started}",
        "",
        f"Diagnostics mode: {report.diagnostics_mode}; {report.edits_per_variant} edits per "
        f"variant; run took {report.duration_seconds:.0f} s. Ratios are against {REFERENCE_SERVER}.",
        "",
    ]
    inputs = list(dict.fromkeys(result.input for result in report.results))
    for input_name in inputs:
        rows = [result for result in report.results if result.input == input_name]
        reference = _reference(report.results, input_name)
        out.extend([f"## {input_name} ({rows[0].lines} lines)", ""])
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for result in rows:
            cells = [
                _cell(metric(result), metric(reference) if reference else None, ratio)
                for _, metric, ratio in columns
            ]
            out.append("| " + " | ".join([result.server, *cells, _notes(result)]) + " |")
        out.append("")
    out.extend(_startup_markdown(report.startup))
    out.extend(_under_index_markdown(report))
    out.extend(["## Environment", ""])
    out.extend(f"- {key}: {value}" for key, value in report.environment.items())
    out.extend(f"- {name}: `{' '.join(command)}`" for name, command in report.servers.items())
    return "\n".join(out) + "\n"


def _startup_markdown(startups: list[StartupResult]) -> list[str]:
    if not startups:
        return []
    by_server = {startup.server: startup.timings.median_ms for startup in startups}
    floor = by_server.get(FLOOR_SERVER)
    out = [
        "## Start-up: process spawn → first diagnostics of a small file",
        "",
        f"Median of {startups[0].timings.count} start-ups each, the servers taking turns; "
        f"ratios against the minimal pygls server ({FLOOR_SERVER}).",
        "",
        "| server | median ms | min ms | max ms |",
        "|---|---|---|---|",
    ]
    for startup in startups:
        timings = startup.timings
        out.append(
            f"| {startup.server} | {_cell(timings.median_ms, floor, ratio=True)} | "
            f"{_cell(timings.min_ms, None, ratio=False)} | "
            f"{_cell(timings.max_ms, None, ratio=False)} |"
        )
    out.append("")
    return out


def _under_index_markdown(report: RunReport) -> list[str]:
    results = report.under_index
    if not results:
        return []
    reference = next((r for r in results if r.server == REFERENCE_SERVER), None)
    variants = list(dict.fromkeys(variant for result in results for variant in result.edits))
    columns = [
        (OPEN_COLUMN, _open),
        *(
            (f"edit({variant}) {field.removesuffix(MS_SUFFIX)} ms", _edit_metric(variant, field))
            for variant in variants
            for field in (MEDIAN_MS, P95_MS)
        ),
        (RSS_COLUMN, _rss),
    ]
    out = [
        f"## Edits while our workspace index runs ({report.index_files} files, {results[0].input})",
        "",
        "| server | " + " | ".join(title for title, _ in columns) + " | notes |",
        "|" + "---|" * (len(columns) + NAME_AND_NOTES),
    ]
    for result in results:
        cells = [
            _cell(metric(result), metric(reference) if reference else None, ratio=True)
            for _, metric in columns
        ]
        notes = _notes(result)
        if result.index_running_at_last_edit is not None:
            state = "still running" if result.index_running_at_last_edit else "**had ended**"
            notes += f"; index {state} at the last edit"
        out.append("| " + " | ".join([result.server, *cells, notes]) + " |")
    out.append("")
    return out


OURS = "ours"
EDIT_MEDIAN_LIMIT = 1.0
EDIT_P95_LIMIT = 2.0
OPEN_LIMIT = 3.0
INDEXED_OPEN_LIMIT = 1.5
STARTUP_LIMIT = 1.5
RSS_LIMIT_MIB = 150.0
RSS_TARGET_INPUT = "stdlib_concat_20k"


class TargetCheck(BaseModel):
    """One of the issue's performance targets for our server on one input."""

    input: str
    target: str
    ours: float | None
    limit: float | None
    met: bool | None


def _ratio_check(
    input_name: str, target: str, pair: tuple[float | None, float | None], factor: float
) -> TargetCheck:
    ours, ruff = pair
    limit = None if ruff is None else ruff * factor
    met = None if ours is None or limit is None else ours <= limit
    return TargetCheck(input=input_name, target=target, ours=ours, limit=limit, met=met)


def target_checks(report: RunReport) -> list[TargetCheck]:
    """The issue's targets: edit median <= ruff, p95 <= 2x ruff, cold open and reopen <= 3x
    ruff, indexed open <= 1.5x ruff, RSS < 150 MiB; start-up <= 1.5x the pygls floor; edit p95
    while the index runs <= 2x ruff."""
    checks = _input_checks(report.results)
    startups = {startup.server: startup.timings.median_ms for startup in report.startup}
    if OURS in startups:
        pair = (startups[OURS], startups.get(FLOOR_SERVER))
        target = f"start-up <= {STARTUP_LIMIT:g}x floor"
        checks.append(_ratio_check("small file", target, pair, STARTUP_LIMIT))
    under = {result.server: result for result in report.under_index}
    ours_under = next((r for r in report.under_index if r.server.startswith(OURS)), None)
    if ours_under is not None:
        reference = under.get(REFERENCE_SERVER)
        for variant in ours_under.edits:
            metric = _edit_metric(variant, P95_MS)
            pair = (metric(ours_under), metric(reference) if reference else None)
            target = f"edit({variant}) p95 while indexing {report.index_files} files <= "
            target += f"{EDIT_P95_LIMIT:g}x ruff"
            checks.append(_ratio_check(ours_under.input, target, pair, EDIT_P95_LIMIT))
    return checks


def _input_checks(results: list[SessionResult]) -> list[TargetCheck]:
    checks: list[TargetCheck] = []
    for result in results:
        if result.server != OURS:
            continue
        reference = _reference(results, result.input)
        for variant in result.edits:
            for field, factor in ((MEDIAN_MS, EDIT_MEDIAN_LIMIT), (P95_MS, EDIT_P95_LIMIT)):
                metric = _edit_metric(variant, field)
                pair = (metric(result), metric(reference) if reference else None)
                target = f"edit({variant}) {field.removesuffix(MS_SUFFIX)} <= {factor:g}x ruff"
                checks.append(_ratio_check(result.input, target, pair, factor))
        pair = (_open(result), _open(reference) if reference else None)
        target = f"cold open <= {OPEN_LIMIT:g}x ruff"
        checks.append(_ratio_check(result.input, target, pair, OPEN_LIMIT))
        pair = (_indexed_open(result), _indexed_open(reference) if reference else None)
        target = f"indexed open <= {INDEXED_OPEN_LIMIT:g}x ruff"
        checks.append(_ratio_check(result.input, target, pair, INDEXED_OPEN_LIMIT))
        pair = (_reopen(result), _reopen(reference) if reference else None)
        target = f"reopen <= {OPEN_LIMIT:g}x ruff"
        checks.append(_ratio_check(result.input, target, pair, OPEN_LIMIT))
        if result.input == RSS_TARGET_INPUT:
            rss = _rss(result)
            met = None if rss is None else rss < RSS_LIMIT_MIB
            checks.append(
                TargetCheck(
                    input=result.input, target="peak RSS", ours=rss, limit=RSS_LIMIT_MIB, met=met
                )
            )
    return checks


def targets_markdown(checks: list[TargetCheck]) -> str:
    """The target checks as a Markdown table (empty when our server was not measured)."""
    if not checks:
        return ""
    verdicts = {True: "met", False: "**missed**", None: MISSING}
    out = [
        "## Targets (ours)",
        "",
        "| input | target | ours | limit | verdict |",
        "|---|---|---|---|---|",
    ]
    for check in checks:
        ours = MISSING if check.ours is None else f"{check.ours:.1f}"
        limit = MISSING if check.limit is None else f"{check.limit:.1f}"
        out.append(f"| {check.input} | {check.target} | {ours} | {limit} | {verdicts[check.met]} |")
    return "\n".join(out) + "\n"
