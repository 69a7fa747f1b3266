"""`standards-lsp`: check, fix, list and explain rules, or serve editors over LSP.

Exit codes: 0 clean, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from rules.baseline import BaselineError
from rules.config import ConfigProblem, ConfigResolver, Overrides
from rules.docs import render_rule, render_rule_table, severity_letters
from rules.engine import Engine, collector_paused
from rules.fixer import ProjectTexts
from rules.models import Fix, Tier
from rules.rule import FixRequest
from rules.source_bytes import UnencodableTextError
from rules.walk import reason_of
from server.batch import Batch, BatchReport, display_path
from server.cli.adoption import Baselines, add_noqa, hide_baselined, write_baselines
from server.cli.formats import (
    Located,
    locate,
    render_fixes,
    render_github,
    render_gitlab,
    render_junit,
    render_rdjson,
    render_statistics,
)
from server.cli.report import counted, render_json, render_sarif, render_text
from server.result_cache import NO_CACHE_VARIABLE, CacheOptions, disabled_by_environment

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
# Progress is worth showing only for runs long enough to wonder about.
PROGRESS_THRESHOLD = 300
PROGRESS_EVERY = 50
TEXT_FORMAT = "text"  # the default, for people; the others are for machines
FORMATS = (TEXT_FORMAT, "json", "sarif", "github", "gitlab", "junit", "rdjson")
TIER_NAMES = tuple(tier.value for tier in Tier)
FILE_METAVAR = "FILE"
# The noun of the counts `fix` prints.
FINDING = "finding"
CACHE_HELP = (
    "Findings of Python files are cached in .standards-lsp-cache/ beside the project's "
    f"standards.toml; --no-cache or {NO_CACHE_VARIABLE}=1 turns that off."
)


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="standards-lsp",
        description="The organisation's Python standard, in the editor and in CI.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="check files and directories (for CI)", description=CACHE_HELP
    )
    _add_selection(check)
    _add_cache_options(check)
    check.add_argument("--format", choices=FORMATS, default=TEXT_FORMAT, help="output format")
    check.add_argument("--no-progress", action="store_true", help="never show progress")
    _add_check_options(check)
    fix = commands.add_parser(
        "fix",
        help="apply safe fixes in place",
        description="Fixes always come from a full check; the check of what remains afterwards "
        "uses the result cache like `check`.",
    )
    _add_selection(fix)
    _add_cache_options(fix)
    fix.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print a diff instead of writing")
    baseline = commands.add_parser(
        "baseline",
        help="write today's findings to a baseline, which `check` then hides",
        description="Writes standards-lsp-baseline.json beside each project's standards.toml "
        "(or --baseline FILE). Findings are matched by rule, file and the code around them, "
        "not by line, so moved code stays baselined.",
    )
    _add_selection(baseline)
    _add_cache_options(baseline)
    baseline.add_argument(
        "--baseline", type=Path, metavar=FILE_METAVAR, help="write this file instead"
    )
    rules = commands.add_parser("rules", help="list the rules for the active tier")
    rules.add_argument(
        "--tier", choices=TIER_NAMES, help="the tier to show (default: this project's)"
    )
    rules.add_argument("--format", choices=("text", "markdown"), default=TEXT_FORMAT)
    explain = commands.add_parser("explain", help="print one rule's documentation")
    explain.add_argument("code", help="a rule code, e.g. STD201")
    serve = commands.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (for debugging)")
    serve.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    return parser


def _add_selection(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "paths", nargs="*", type=Path, default=[Path()], help="files or directories"
    )
    command.add_argument(
        "--select", type=_codes, help="only these codes or prefixes (comma-separated)"
    )
    command.add_argument("--ignore", type=_codes, default=(), help="skip these codes or prefixes")
    command.add_argument("--tier", choices=TIER_NAMES, help="override the tier of standards.toml")


def _add_check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    check.add_argument(
        "--statistics", action="store_true", help="print how many findings of each rule instead"
    )
    check.add_argument(
        "--show-fixes", action="store_true", help="also list the available fixes (text format)"
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar=FILE_METAVAR,
        help="hide the findings of this baseline file",
    )
    check.add_argument(
        "--show-baselined", action="store_true", help="also show the findings a baseline covers"
    )
    check.add_argument(
        "--add-noqa",
        action="store_true",
        help="add a `# noqa: CODE` comment for every current finding",
    )


def _add_cache_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the result cache (as does {NO_CACHE_VARIABLE}=1)",
    )
    command.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="keep the result cache in DIR (default: .standards-lsp-cache/ beside standards.toml)",
    )


def _cache_options(arguments: argparse.Namespace) -> CacheOptions:
    enabled = not arguments.no_cache and not disabled_by_environment()
    directory = arguments.cache_dir.absolute() if arguments.cache_dir else None
    return CacheOptions(enabled=enabled, directory=directory)


def _overrides(arguments: argparse.Namespace) -> Overrides:
    return Overrides(
        tier=Tier(arguments.tier) if arguments.tier else None,
        select=arguments.select,
        ignore=arguments.ignore,
    )


def _problem_line(problem: ConfigProblem, base: Path) -> str:
    start = problem.range.start
    try:
        shown = Path(problem.path).absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        shown = problem.path
    return f"{shown}:{start.line + 1}:{start.character + 1}: {problem.message}"


def _warn_about_configuration(report: BatchReport) -> None:
    roots = report.unconfigured_roots
    if roots:
        others = f" (and {len(roots) - 1} other directories)" if len(roots) > 1 else ""
        print(
            f"standards-lsp: no standards.toml found for {roots[0]}{others}: "
            "the python-internal tier applies",
            file=sys.stderr,
        )
    for problem in report.fatal_problems:
        print(
            f"standards-lsp: configuration error: {_problem_line(problem, Path.cwd())}",
            file=sys.stderr,
        )
    for error in report.path_errors:
        print(f"standards-lsp: error: {error}", file=sys.stderr)
    for file_report in report.files:
        for failure in file_report.failures:
            print(
                f"standards-lsp: rule {failure.code} failed on {file_report.display_path}: {failure.error}",
                file=sys.stderr,
            )


def _progress_printer(enabled: bool):
    if not enabled:
        return None

    def show(count: int) -> None:
        if count >= PROGRESS_THRESHOLD and count % PROGRESS_EVERY == 0:
            print(f"\rchecked {count} files…", end="", file=sys.stderr, flush=True)

    return show


def run_check(arguments: argparse.Namespace) -> int:
    """`standards-lsp check`."""
    batch = Batch(ConfigResolver(_overrides(arguments)), cache=_cache_options(arguments))
    show_progress = sys.stderr.isatty() and not arguments.no_progress
    # the report lives to the end, and holds no cycle: no collection needs to scan it, neither
    # while it is built (one after reading the cached findings took a warm run 5%) nor after
    with collector_paused():
        report = batch.check(arguments.paths, progress=_progress_printer(show_progress))
        gc.freeze()
    if show_progress and report.file_count >= PROGRESS_THRESHOLD:
        print("\r\033[K", end="", file=sys.stderr)
    _warn_about_configuration(report)
    if arguments.add_noqa:
        return EXIT_ERROR if report.fatal_problems else _add_noqa(report)
    if not arguments.show_baselined:
        try:
            report, hidden = hide_baselined(report, Baselines(batch.resolver, arguments.baseline))
        except BaselineError as error:
            print(f"standards-lsp: {error}", file=sys.stderr)
            return EXIT_ERROR
        if hidden:
            print(
                f"standards-lsp: {hidden} baselined findings hidden (--show-baselined shows them)",
                file=sys.stderr,
            )
    with collector_paused():  # the output's ~50,000 dicts and strings hold no cycle either
        rendered = _rendered(arguments, report, batch)
    print(rendered)
    if arguments.show_fixes and arguments.format == TEXT_FORMAT:
        print(render_fixes(report))
    if report.fatal_problems or report.went_wrong:
        return EXIT_ERROR
    if arguments.exit_zero:
        return EXIT_CLEAN
    # any file's findings: `report.findings` sorts all of them again (the rendering did)
    found = any(file_report.findings for file_report in report.files)
    return EXIT_FINDINGS if found else EXIT_CLEAN


def _rendered(arguments: argparse.Namespace, report: BatchReport, batch: Batch) -> str:
    """The report in the format asked for."""
    registry = batch.engine.registry
    if arguments.statistics:
        return render_statistics(report, registry)
    if arguments.format == "json":
        return render_json(report)
    if arguments.format == TEXT_FORMAT:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        return render_text(report, colour=colour)
    located = locate(report)
    resolve = partial(_resolve_fix, batch)
    renderers: dict[str, Callable[[], str]] = {
        "junit": partial(render_junit, report, located),
        "github": partial(render_github, located, registry),
        "gitlab": partial(render_gitlab, located, registry),
        "rdjson": partial(render_rdjson, located, resolve),
        "sarif": partial(render_sarif, located, registry, resolve),
    }
    return renderers[arguments.format]()


def _resolve_fix(batch: Batch, item: Located) -> Fix | None:
    """A finding's complete fix (cached findings carry only its title)."""
    path = item.report.path
    request = FixRequest(
        text=item.text,
        finding=item.finding,
        settings=batch.resolver.settings_for(str(path)),
        path=str(path.absolute()),
    )
    return batch.engine.resolve_fix(request)


def _add_noqa(report: BatchReport) -> int:
    added, files, left = add_noqa(report)
    print(f"Added {added} noqa comments to {files} files.", file=sys.stderr)
    if left:
        print(
            f"{left} findings could not be suppressed with a comment "
            "(inside a multi-line string, or in a file without `#` comments).",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_baseline(arguments: argparse.Namespace) -> int:
    """`standards-lsp baseline`."""
    batch = Batch(ConfigResolver(_overrides(arguments)), cache=_cache_options(arguments))
    report = batch.check(arguments.paths)
    _warn_about_configuration(report)
    if report.fatal_problems:
        return EXIT_ERROR
    for path, count in write_baselines(report, Baselines(batch.resolver, arguments.baseline)):
        print(f"Wrote {count} findings to {path}.", file=sys.stderr)
    return EXIT_CLEAN


def run_fix(arguments: argparse.Namespace) -> int:
    """`standards-lsp fix`: every file's fixes, one at a time; a whole-project fix (an unsafe
    model conversion) also edits other files, each conversion printed with the files it
    touched. Every changed file is written (or, with `--diff`, shown) once, at the end."""
    batch = Batch(ConfigResolver(_overrides(arguments)), cache=_cache_options(arguments))
    run = _FixRun(batch, arguments.unsafe)
    project, path_errors = run.project, run.errors
    fixed_findings = sum(map(run.fix, batch.files(arguments.paths, path_errors)))
    changed = {
        path: text for path, text in project.changed.items() if text != project.original[path]
    }
    if arguments.diff:
        _show_diffs(changed, project, batch.base)
        written, errors = len(changed), [*path_errors]
    else:
        written_paths, write_errors = _write_fixed(sorted(changed), project, batch.base)
        written, errors = len(written_paths), [*path_errors, *write_errors]
        fixed_findings = sum(run.fixed.get(path, 0) for path in written_paths)
    for error in errors:
        print(f"standards-lsp: error: {error}", file=sys.stderr)
    verb = "Would fix" if arguments.diff else "Fixed"
    print(
        f"{verb} {counted(fixed_findings, FINDING)} in {counted(written, 'file')}.",
        file=sys.stderr,
    )
    remaining = batch.check(arguments.paths) if not arguments.diff else None
    if errors:
        print(f"{counted(len(errors), 'path')} could not be fixed.", file=sys.stderr)
        return EXIT_ERROR
    if remaining is not None and remaining.findings:
        left = len(remaining.findings)
        print(f"{counted(left, FINDING)} {'remains' if left == 1 else 'remain'}.", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _FixRun:
    """What one `fix` run shares between its files: the fixed texts and the errors met."""

    def __init__(self, batch: Batch, unsafe: bool) -> None:
        self.batch = batch
        self.unsafe = unsafe
        self.project = ProjectTexts()
        self.errors: list[str] = []
        self.fixed: dict[str, int] = {}  # findings fixed, by the absolute path of their file

    def fix(self, path: Path) -> int:
        """Fix one file into the project (written at the end); how many findings were fixed."""
        batch = self.batch
        result = batch.fix_file(path, unsafe=self.unsafe, project=self.project, errors=self.errors)
        if result is None:
            return 0
        before, outcome = result
        shown = display_path(path, batch.base)
        for refused in outcome.refused:
            print(
                f"{shown}:{refused.line + 1}: {refused.announcement}",
                file=sys.stderr,
            )
        if not outcome.changed:
            return 0
        self.project.write(str(path.absolute()), before, outcome.text)
        self.fixed[str(path.absolute())] = len(outcome.applied)
        for applied in outcome.applied:
            if applied.other_files:
                others = ", ".join(
                    display_path(Path(other), batch.base) for other in applied.other_files
                )
                print(
                    f"{shown}:{applied.line + 1}: {applied.title} (also {others})", file=sys.stderr
                )
        return len(outcome.applied)


def _show_diffs(changed: dict[str, str], project: ProjectTexts, base: Path) -> None:
    for path_text, text in sorted(changed.items()):
        shown = display_path(Path(path_text), base)
        sys.stdout.writelines(
            difflib.unified_diff(
                project.original[path_text].splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{shown}",
                tofile=f"b/{shown}",
            )
        )


def _write_fixed(
    paths: list[str], project: ProjectTexts, base: Path
) -> tuple[list[str], list[str]]:
    """Write each fixed file in its own encoding, bytes as they were outside the fixes' edits;
    a file that cannot be written (read-only, or an encoding that cannot hold the new text)
    is left alone and said, and the others are still written. Those written, and the errors."""
    written: list[str] = []
    errors: list[str] = []
    for path_text in paths:
        shown = display_path(Path(path_text), base)
        try:
            data = project.encoded(path_text)
        except UnencodableTextError as refused:
            errors.append(f"{shown}: not fixed: {refused}")
            continue
        try:
            Path(path_text).write_bytes(data)
        except OSError as error:
            errors.append(f"{shown}: not fixed: cannot write the file: {reason_of(error)}")
            continue
        written.append(path_text)
    return written, errors


def run_rules(arguments: argparse.Namespace) -> int:
    """`standards-lsp rules`."""
    registry = Engine().registry
    if arguments.format == "markdown":
        print(render_rule_table(registry), end="")
        return EXIT_CLEAN
    tier = Tier(arguments.tier) if arguments.tier else ConfigResolver().project_for(Path.cwd()).tier
    print(f"Rules for the {tier.value} tier (severity P/I/X; fix):")
    for rule in registry.rules:
        severity = rule.severities.for_tier(tier)
        state = severity.value if severity else "off"
        fix = f"; fix: {rule.fix_title}" if rule.fix_title else ""
        print(f"  {rule.code}  {rule.name:<28} {state:<12} {severity_letters(rule)}{fix}")
    return EXIT_CLEAN


def run_explain(arguments: argparse.Namespace) -> int:
    """`standards-lsp explain CODE`."""
    rule = Engine().registry.get(arguments.code)
    if rule is None:
        print(
            f"standards-lsp: no rule {arguments.code!r}; `standards-lsp rules` lists them",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(render_rule(rule), end="")
    return EXIT_CLEAN


def run_serve(arguments: argparse.Namespace) -> int:
    """`standards-lsp serve`."""
    # imported here: `check` and `fix` in CI need none of the server's imports
    from server.app import run_server

    return run_server(tcp=arguments.tcp)


COMMANDS = {
    "check": run_check,
    "baseline": run_baseline,
    "fix": run_fix,
    "rules": run_rules,
    "explain": run_explain,
    "serve": run_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """The command's entry point; returns the exit code."""
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0) and EXIT_ERROR
    return COMMANDS[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
