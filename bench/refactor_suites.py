"""Do `standards-lsp fix --unsafe` rewrites keep other projects' behaviour? Their tests say.

For each project (the corpus's six suites and the extras of `bench.refactor_projects`): copy the
pristine sdist to a temporary folder, make its venv with uv, install it (`-e .`) and its pinned
test dependencies, and run its suite (the baseline). Then `check --format json`, `fix --unsafe`
on its source folder, `check` again, and inspect what changed: every changed file parses; the
package (and each changed module) imports in a fresh venv holding only what the project declares;
a changed file importing pydantic that the project does not declare is reported; gettext messages
xgettext could extract and no longer can are listed. Then the suite runs again, with pydantic
added when a fix needs it, and every test that went from pass to fail is listed.

    uv run python -m bench.refactor_suites [--only NAME,...] [--codes STD201,...] [--keep]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from bench.refactor_gettext import tree_messages
from bench.refactor_projects import PROJECTS, Project, unpacked
from bench.refactor_steps import (
    PYDANTIC_PIN,
    SKIPPED_DIRS,
    Regression,
    SuiteRun,
    Tools,
    apply_fixes,
    changed_files,
    check_counts,
    checked,
    environ,
    fix_refusals,
    import_error,
    imports_pydantic,
    install,
    installed,
    make_venv,
    module_names,
    parse_errors,
    refusals,
    regressions,
    run_suite,
    snapshot,
    unified_diff,
)

ROOT = Path(__file__).resolve().parents[1]
MODEL_CODES = ("STD101", "STD102")
CONSTANT_CODES = ("STD201", "STD202", "STD203")
UNDECLARED = "imports an undeclared dependency (pydantic)"


class ProjectResult(BaseModel):
    """Everything measured on one project."""

    project: str
    expected_baseline: str
    codes: list[str] | None = None
    """The codes whose fixes were applied (None: all)."""
    before: SuiteRun | None = None
    after: SuiteRun | None = None
    regressions: list[Regression] = Field(default_factory=list)
    findings_before: dict[str, int] = Field(default_factory=dict)
    findings_after: dict[str, int] = Field(default_factory=dict)
    fixable_before: dict[str, int] = Field(default_factory=dict)
    refused: dict[str, int] = Field(default_factory=dict)
    fix_output: str = ""
    fix_refused: dict[str, int] = Field(default_factory=dict)
    """The conversions `fix` refused, by code and reason (what it printed)."""
    changed: list[str] = Field(default_factory=list)
    changed_outside: list[str] = Field(default_factory=list)
    """Files changed outside the source folder (packaging files, tests), relative to the copy."""
    diff: str = ""
    """What the fix changed, as a unified diff."""
    parse_errors: dict[str, str] = Field(default_factory=dict)
    pydantic_importers: list[str] = Field(default_factory=list)
    pydantic_declared: bool | None = None
    import_error: str | None = None
    optional_modules: list[str] = Field(default_factory=list)
    """Changed modules that do not import before the fix either (an optional dependency)."""
    gettext_lost: list[list[str]] = Field(default_factory=list)
    gettext_before: int = 0
    control: SuiteRun | None = None
    """The suite after regenerating the catalogues of the unfixed source (should be the baseline)."""
    control_regressions: list[Regression] = Field(default_factory=list)
    after_catalogues: SuiteRun | None = None
    """The suite after the fix and then regenerating the catalogues, as a maintainer's next
    translation update would."""
    catalogue_regressions: list[Regression] = Field(default_factory=list)
    catalogue_note: str = ""
    error: str | None = None
    work: str = ""

    def fixed(self, codes: tuple[str, ...]) -> int:
        """Findings of `codes` gone after the fix (before minus after)."""
        return sum(self.findings_before.get(c, 0) - self.findings_after.get(c, 0) for c in codes)

    @property
    def defects(self) -> list[str]:
        """What the benchmark reports as wrong, besides the regressions."""
        found = []
        if self.pydantic_importers and not self.pydantic_declared:
            found.append(f"{UNDECLARED}: {', '.join(self.pydantic_importers)}")
        found += [f"does not parse: {name}: {why}" for name, why in self.parse_errors.items()]
        if self.import_error:
            found.append(f"does not import with its declared dependencies: {self.import_error}")
        if self.control_regressions:
            found.append(
                f"{len(self.control_regressions)} tests fail with regenerated catalogues before any fix (the control)"
            )
        if self.gettext_lost:
            found.append(f"{len(self.gettext_lost)} gettext messages no longer extractable")
        return found


class BenchRun(BaseModel):
    """One run of the benchmark."""

    started: str
    commit: str
    codes: str | None
    results: list[ProjectResult]


def _copy(origin: Path, destination: Path) -> None:
    shutil.copytree(origin, destination, ignore=shutil.ignore_patterns(*SKIPPED_DIRS))


def _baseline(project: Project, copy: Path, tools: Tools) -> tuple[Path, SuiteRun]:
    """The suite's venv (the project editable, its test pins) and the suite's first run."""
    python = make_venv(copy.parent / "venv", ["-e", str(copy), *project.pip], tools)
    return python, run_suite(project, copy, python, tools)


def _record_findings(result: ProjectResult, findings: list[dict], before: bool) -> None:
    counts = Counter(finding["code"] for finding in findings)
    if before:
        result.findings_before = dict(sorted(counts.items()))
        fixable = Counter(finding["code"] for finding in findings if finding["fix"] is not None)
        result.fixable_before = dict(sorted(fixable.items()))
        result.refused = dict(refusals(findings).most_common())
    else:
        result.findings_after = dict(sorted(counts.items()))


def _inspect(result: ProjectResult, project: Project, old: dict, new: dict) -> None:
    """Parse, pydantic and gettext checks of what the fix changed."""
    result.parse_errors = parse_errors(new, result.changed)
    result.pydantic_importers = [
        f"{project.source}/{name}"
        for name in result.changed
        if name.endswith(".py") and name in new and imports_pydantic(new[name])
    ]
    if project.gettext_keywords:
        before = tree_messages(old, project.gettext_keywords)
        after = tree_messages(new, project.gettext_keywords)
        result.gettext_before = len(before)
        result.gettext_lost = [list(message) for message in sorted(before - after)]


def _declared_import(result: ProjectResult, project: Project, copy: Path, tools: Tools) -> None:
    """Install the fixed copy alone (its declared dependencies only) and import it, with each
    changed module. A changed module that needs an optional dependency (`structlog.twisted`
    imports twisted) does not import before the fix either: it is tried in the pristine
    package, and left out of the check when it fails there too."""
    python = make_venv(copy.parent / "venv-declared", [str(copy)], tools)
    result.pydantic_declared = "pydantic" in installed(python, tools)
    modules = module_names(project, result.changed)
    error = import_error(python, modules, copy.parent, tools)
    if error is not None:
        pristine = copy.parent / "pristine"
        _copy(unpacked(project), pristine)
        before = make_venv(copy.parent / "venv-pristine", [str(pristine)], tools)
        result.optional_modules = [
            module for module in modules if import_error(before, [module], copy.parent, tools)
        ]
        kept = [module for module in modules if module not in result.optional_modules]
        error = import_error(python, kept, copy.parent, tools) if kept else None
    result.import_error = error


def _fix_and_inspect(
    result: ProjectResult, project: Project, copy: Path, options: argparse.Namespace
) -> None:
    """check, fix, check; then what changed, whether it parses and imports."""
    tools: Tools = options.tools
    _counts, findings = check_counts(copy, project.source, tools)
    _record_findings(result, findings, before=True)
    old, whole_old = snapshot(copy / project.source), snapshot(copy)
    result.fix_output = apply_fixes(copy, project.source, options.codes, tools)
    new, whole_new = snapshot(copy / project.source), snapshot(copy)
    result.fix_refused = dict(fix_refusals(result.fix_output).most_common())
    result.changed = changed_files(old, new)
    inside = f"{project.source}/"
    outside_old = {name: data for name, data in whole_old.items() if not name.startswith(inside)}
    outside_new = {name: data for name, data in whole_new.items() if not name.startswith(inside)}
    result.changed_outside = changed_files(outside_old, outside_new)
    result.diff = unified_diff(old, new, project.source) + unified_diff(
        outside_old, outside_new, "."
    )
    _counts, findings = check_counts(copy, project.source, tools)
    _record_findings(result, findings, before=False)
    _inspect(result, project, old, new)
    _declared_import(result, project, copy, tools)


def catalogue_blocker(project: Project) -> str:
    """Why the catalogues cannot be regenerated here ("" when they can, or there are none)."""
    missing = [tool for tool in project.catalogue_tools if shutil.which(tool) is None]
    return f"catalogues not regenerated: {', '.join(missing)} not on PATH" if missing else ""


def _with_catalogues(project: Project, copy: Path, python: Path, tools: Tools) -> SuiteRun:
    """Regenerate the translation catalogues from the current source, then run the suite."""
    checked(list(project.catalogues), copy, tools)
    return run_suite(project, copy, python, tools)


def run_project(project: Project, work: Path, options: argparse.Namespace) -> ProjectResult:
    """Baseline, fix, inspections and the second run of one project's suite."""
    result = ProjectResult(project=project.folder, expected_baseline=project.baseline)
    if options.codes:
        result.codes = [code.strip() for code in options.codes.split(",")]
    tools: Tools = options.tools
    folder = work / project.folder
    folder.mkdir()
    result.work = str(folder)
    copy = folder / project.folder
    try:
        _copy(unpacked(project), copy)
        python, result.before = _baseline(project, copy, tools)
        result.catalogue_note = catalogue_blocker(project)
        if project.catalogues and not result.catalogue_note:
            result.control = _with_catalogues(project, copy, python, tools)
            result.control_regressions = regressions(result.before, result.control)
        _fix_and_inspect(result, project, copy, options)
        if result.pydantic_importers and "pydantic" not in installed(python, tools):
            install(python, [PYDANTIC_PIN], tools)
        result.after = run_suite(project, copy, python, tools)
        result.regressions = regressions(result.before, result.after)
        if result.control is not None:
            result.after_catalogues = _with_catalogues(project, copy, python, tools)
            result.catalogue_regressions = regressions(result.before, result.after_catalogues)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        result.error = f"{type(error).__name__}: {error}"
    return result


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def not_applied(result: ProjectResult) -> dict[str, int]:
    """Per code: findings offered a fix before whose count did not go down by as much."""
    left = {}
    for code, offered in result.fixable_before.items():
        if result.codes is not None and code not in result.codes:
            continue
        missing = offered - result.fixed((code,))
        if missing > 0:
            left[code] = missing
    return left


def _refused_cell(result: ProjectResult) -> str:
    """The refusals the findings give, the conversions `fix` refused (by reason), fixes offered
    and neither applied nor refused, then the last line `fix` printed (the rest is under the
    table)."""
    reasons = [
        f"{count} x {reason}"
        for reason, count in result.refused.items()
        if result.codes is None or reason.split(":")[0] in result.codes
    ]
    reasons += [f"{count} x {reason} (fix)" for reason, count in result.fix_refused.items()]
    refused_by_fix: Counter[str] = Counter()
    for reason, count in result.fix_refused.items():
        refused_by_fix[reason.split(":")[0]] += count
    reasons += [
        f"{count - refused_by_fix[code]} x {code}: offered, not applied"
        for code, count in not_applied(result).items()
        if count > refused_by_fix[code]
    ]
    printed = result.fix_output.strip().splitlines()
    summary = printed[-1] if printed else ""
    return f"{'; '.join(reasons) or 'none given'}; fix: '{summary}'"


def _regression_cell(result: ProjectResult) -> str:
    """pass→fail count; with catalogues, also the count after regenerating them."""
    if result.after is None:
        return "-"
    cell = str(len(result.regressions))
    if result.after_catalogues is not None:
        cell += f" ({len(result.catalogue_regressions)} after catalogue update)"
    return cell


def table_row(result: ProjectResult) -> str:
    """One Markdown row of the summary table."""
    before = result.before.counts() if result.before else "-"
    after = result.after.counts() if result.after else "-"
    imports = None if result.pydantic_declared is None else result.import_error is None
    cells = [
        result.project,
        before,
        after,
        _regression_cell(result),
        str(result.fixed(MODEL_CODES)),
        str(result.fixed(CONSTANT_CODES)),
        _refused_cell(result),
        str(len(result.changed) + len(result.changed_outside)),
        _yes_no(not result.parse_errors) if result.changed or result.after else "-",
        _yes_no(imports),
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


TABLE_HEAD = (
    "| project | tests before (pass/fail/skip) | after | pass→fail | STD101/102 fixed "
    "| STD201-203 fixed | refused (by reason) | files changed | all parse "
    "| imports with declared deps |\n| --- | --- | --- | ---: | ---: | ---: | --- | ---: | --- | --- |"
)


def details(result: ProjectResult) -> list[str]:
    """The lines under the table for one project: errors, defects, regressions."""
    lines = [f"\n### {result.project}", ""]
    if result.error:
        lines.append(f"- ERROR: {result.error}")
    if result.before and result.before.summary != result.expected_baseline:
        lines.append(
            f"- baseline `{result.before.summary}` (recorded: `{result.expected_baseline}`)"
        )
    if result.after:
        lines.append(f"- after: `{result.after.summary}` (exit {result.after.exit_code})")
    counts = {
        code: f"{result.findings_before.get(code, 0)}→{result.findings_after.get(code, 0)}"
        for code in sorted(result.findings_before.keys() | result.findings_after.keys())
    }
    lines.append(f"- findings before→after: {counts}")
    lines.append(f"- changed: {', '.join(result.changed) or 'nothing'}")
    if result.changed_outside:
        lines.append(f"- changed outside the source: {', '.join(result.changed_outside)}")
    if result.optional_modules:
        shown = ", ".join(result.optional_modules)
        lines.append(f"- not imported (no import before the fix either, optional deps): {shown}")
    lines += [f"- fix printed: {line}" for line in result.fix_output.strip().splitlines()[:-1]]
    lines += [f"- DEFECT: {defect}" for defect in result.defects]
    lines += [f"  - lost msgid {message}" for message in result.gettext_lost]
    lines += [f"- PASS→{r.after.upper()}: `{r.test}`: {r.message}" for r in result.regressions]
    if result.catalogue_note:
        lines.append(f"- {result.catalogue_note}")
    if result.control is not None:
        lines.append(
            f"- catalogues regenerated before the fix (control): `{result.control.summary}`, "
            f"{len(result.control_regressions)} pass→fail"
        )
    if result.after_catalogues is not None:
        lines.append(f"- catalogues regenerated after the fix: `{result.after_catalogues.summary}`")
        lines += [
            f"- PASS→{r.after.upper()} after catalogue update: `{r.test}`: {r.message}"
            for r in result.catalogue_regressions
        ]
    return lines


def render(run: BenchRun) -> str:
    """The table and the per-project details, in Markdown."""
    head = f"refactor suites at {run.commit[:12]}, fixes: {run.codes or 'all'} (--unsafe)\n"
    rows = [table_row(result) for result in run.results]
    body = [line for result in run.results for line in details(result)]
    return "\n".join([head, TABLE_HEAD, *rows, *body])


def find_uv(override: str | None) -> tuple[str, ...]:
    """`PYTHON -m uv` for the first interpreter that has uv (or the `--uv` command)."""
    if override:
        return tuple(shlex.split(override))
    candidates = [sys.executable, getattr(sys, "_base_executable", ""), shutil.which("python3")]
    for python in filter(None, candidates):
        done = subprocess.run([python, "-m", "uv", "--version"], capture_output=True, check=False)
        if done.returncode == 0:
            return (python, "-m", "uv")
    raise SystemExit("no Python with uv found: pass --uv 'PYTHON -m uv'")


def standards_lsp_command(override: str | None) -> tuple[str, ...]:
    """This environment's `standards-lsp` script (the project under test), or `--standards-lsp`."""
    if override:
        return tuple(shlex.split(override))
    script = Path(sys.executable).parent / "standards-lsp"
    if not script.exists():
        raise SystemExit("standards-lsp is not installed here: run with `uv run`")
    return (str(script),)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with the resolved tools attached as `tools`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = ",".join(project.name for project in PROJECTS)
    parser.add_argument("--only", help=f"comma-separated project names (of {names})")
    parser.add_argument(
        "--codes", help="apply only these fixes (`fix --select`), e.g. STD201,STD202"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--python", default="3.12", help="interpreter of the suites' venvs")
    parser.add_argument("--uv", help="command running uv (default: PYTHON -m uv)")
    parser.add_argument("--standards-lsp", help="command running standards-lsp")
    options = parser.parse_args(argv)
    options.tools = Tools(
        uv=find_uv(options.uv),
        standards_lsp=standards_lsp_command(options.standards_lsp),
        python=options.python,
        env=environ(),
    )
    return options


def selected(only: str | None) -> list[Project]:
    """The projects named by `--only` (all when it is not given)."""
    if not only:
        return list(PROJECTS)
    wanted = {name.strip() for name in only.split(",")}
    unknown = wanted - {project.name for project in PROJECTS}
    if unknown:
        raise SystemExit(f"unknown project(s): {', '.join(sorted(unknown))}")
    return [project for project in PROJECTS if project.name in wanted]


def commit() -> str:
    """The checked-out commit of the project under test."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    """Run every selected project; print the table; exit 1 on any regression or defect."""
    options = parse_arguments(argv)
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    work = Path(tempfile.mkdtemp(prefix="refactor-suites-"))
    results = []
    try:
        for project in selected(options.only):
            print(f"… {project.folder}", file=sys.stderr, flush=True)
            results.append(run_project(project, work, options))
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = BenchRun(started=started, commit=commit(), codes=options.codes, results=results)
    print(render(report))
    if options.keep:
        print(f"\nkept: {work}")
    if options.json:
        options.json.write_text(report.model_dump_json(indent=1), encoding="utf-8")
    bad = any(
        result.regressions or result.catalogue_regressions or result.defects or result.error
        for result in results
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
