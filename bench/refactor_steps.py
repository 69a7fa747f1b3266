"""The steps of `bench.refactor_suites` for one project: venvs, pytest, check, fix, inspections.

Every command runs in a subprocess; nothing here installs into a shared Python. uv is called as
`PYTHON -m uv` with `UV_PYTHON_DOWNLOADS=never`.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from pydantic import BaseModel, Field

from bench.refactor_projects import Project

PYTEST_TIMEOUT = 900
INSTALL_TIMEOUT = 900
CHECK_TIMEOUT = 900
PYDANTIC_PIN = "pydantic==2.14.4"
"""What a suite's venv gets when a fix added models and the project does not declare pydantic."""
SKIPPED_DIRS = frozenset({"__pycache__", ".standards-lsp-cache"})
PASSED, FAILED, SKIPPED, MISSING = "passed", "failed", "skipped", "not run"
SUMMARY_TIME = re.compile(r"\s+in\s+[\d.]+s(\s+\(.*\))?$")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
BLOCKERS = re.compile(r"\(no automatic fix: (.*)\)$")
# `fix` prints each refused fix as `path:line: CODE not converted: reason` (a model
# conversion) or `path:line: CODE not fixed: reason`.
NOT_CONVERTED = re.compile(r"^\S+:\d+: (STD\d+) not (?:converted|fixed): (.*)$")
# What differs between two refusals of one kind: the names and places they quote.
QUOTED_NAME = re.compile(r"`[^`]*`")
PLACE = re.compile(r"\b[\w./-]+\.py:\d+\b|\(\S+:\d+( and \d+ more)?\)|\bline \d+\b")
KEEP_TAIL = 3000
# How much of a collection error a regression row quotes.
MAX_MESSAGE_LENGTH = 500
PY = ".py"
PYDANTIC = "pydantic"


@dataclass(frozen=True)
class Tools:
    """How to run uv and standards-lsp, and the environment every command gets."""

    uv: tuple[str, ...]
    standards_lsp: tuple[str, ...]
    python: str
    env: dict[str, str]


class Outcome(BaseModel):
    """One test's outcome and, when it did not pass, the first line of its error."""

    outcome: str
    message: str = ""
    detail: str = Field(default="", exclude=True)
    """The report's tail (kept in a regression, left out of a run's JSON)."""


class SuiteRun(BaseModel):
    """One run of a project's test suite."""

    exit_code: int
    summary: str
    tests: dict[str, Outcome] = Field(default_factory=dict)
    collection_errors: dict[str, str] = Field(default_factory=dict)

    def count(self, outcome: str) -> int:
        """How many tests ended with `outcome`."""
        return sum(1 for test in self.tests.values() if test.outcome == outcome)

    def counts(self) -> str:
        """`passed/failed/skipped`."""
        return f"{self.count(PASSED)}/{self.count(FAILED)}/{self.count(SKIPPED)}"


class Regression(BaseModel):
    """A test that passed before the fixes and did not after."""

    test: str
    after: str
    message: str
    detail: str = ""


def run(command: list[str], cwd: Path, tools: Tools, timeout: int) -> subprocess.CompletedProcess:
    """Run `command`, capturing its output as text (never raising on a non-zero exit)."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=tools.env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def checked(command: list[str], cwd: Path, tools: Tools, timeout: int = INSTALL_TIMEOUT) -> str:
    """Run `command`; raise with its stderr when it fails; return its stdout."""
    done = run(command, cwd, tools, timeout)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout)[-KEEP_TAIL:]
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{tail}")
    return done.stdout


def make_venv(venv: Path, requirements: list[str], tools: Tools) -> Path:
    """A new venv at `venv` holding `requirements`; returns its interpreter."""
    checked([*tools.uv, "venv", "-q", "--python=" + tools.python, str(venv)], venv.parent, tools)
    python = venv / "bin" / "python"
    if requirements:
        install(python, requirements, tools)
    return python


def uv_pip(python: Path, arguments: list[str], tools: Tools) -> str:
    """`uv pip ARGUMENTS` on the venv of `python`: its stdout."""
    command = [*tools.uv, "pip", *arguments, f"--python={python}"]
    return checked(command, python.parent, tools)


def install(python: Path, requirements: list[str], tools: Tools) -> None:
    """`uv pip install` into the venv of `python`."""
    uv_pip(python, ["install", "-q", *requirements], tools)


def installed(python: Path, tools: Tools) -> set[str]:
    """The normalised names of the distributions in the venv of `python`."""
    frozen = uv_pip(python, ["freeze"], tools)
    names = set()
    for line in frozen.splitlines():
        name = re.split(r"[=@ ]", line.strip(), maxsplit=1)[0]
        names.add(re.sub(r"[-_.]+", "-", name).lower())
    return names


def run_suite(project: Project, copy: Path, python: Path, tools: Tools) -> SuiteRun:
    """Run the project's tests in `copy`, reading each test's outcome from a JUnit XML file."""
    report = copy.parent / f"junit-{len(list(copy.parent.glob('junit-*.xml')))}.xml"
    command = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-q", *project.pytest]
    done = run([*command, f"--junitxml={report}"], copy, tools, PYTEST_TIMEOUT)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = SUMMARY_TIME.sub("", lines[-1].strip("= ")) if lines else "(no output)"
    result = SuiteRun(exit_code=done.returncode, summary=summary)
    if report.exists():
        _read_junit(report, result)
    return result


def _read_junit(report: Path, result: SuiteRun) -> None:
    """Fill `result` from pytest's JUnit XML (our own file, written a moment ago)."""
    tree = ElementTree.parse(report)  # noqa: S314 - pytest's report of our own run
    for case in tree.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = Outcome(outcome=PASSED)
        for child in case:
            if child.tag in {"failure", "error"}:
                message = (child.get("message") or child.text or "").strip()
                first = message.splitlines()[0] if message else child.tag
                outcome = Outcome(
                    outcome=FAILED, message=first, detail=(child.text or "")[-KEEP_TAIL:]
                )
                break
            if child.tag == "skipped":
                outcome = Outcome(outcome=SKIPPED, message=child.get("message") or "")
        if not case.get("classname") and outcome.outcome == FAILED:
            result.collection_errors[case.get("name", "")] = outcome.message
            continue
        result.tests[name] = outcome


def regressions(before: SuiteRun, after: SuiteRun) -> list[Regression]:
    """Every test that passed before and failed, errored or was not run after."""
    collection = "; ".join(f"{where}: {why}" for where, why in after.collection_errors.items())
    found = []
    for name, outcome in sorted(before.tests.items()):
        if outcome.outcome != PASSED:
            continue
        now = after.tests.get(name)
        if now is None:
            message = f"not run after the fix ({collection or 'no collection error reported'})"
            found.append(Regression(test=name, after=MISSING, message=message[:MAX_MESSAGE_LENGTH]))
        elif now.outcome == FAILED:
            found.append(
                Regression(test=name, after=FAILED, message=now.message, detail=now.detail)
            )
    return found


def uncached(tools: Tools, verb: str) -> list[str]:
    """`standards-lsp VERB --no-cache` (the copies get no result cache)."""
    return [*tools.standards_lsp, verb, "--no-cache"]


def check_counts(copy: Path, source: str, tools: Tools) -> tuple[Counter[str], list[dict]]:
    """`check --format json` on the source folder: findings per code, and the findings."""
    command = [*uncached(tools, "check"), "--no-progress", "--format", "json"]
    done = run([*command, source], copy, tools, CHECK_TIMEOUT)
    if done.returncode not in {0, 1}:
        raise RuntimeError(f"check exited {done.returncode}: {done.stderr[-KEEP_TAIL:]}")
    findings = json.loads(done.stdout)["findings"]
    return Counter(finding["code"] for finding in findings), findings


def apply_fixes(copy: Path, source: str, codes: str | None, tools: Tools) -> str:
    """`fix --unsafe` on the source folder (`--select` when codes are given): what it printed."""
    command = [*uncached(tools, "fix"), "--unsafe"]
    if codes:
        command += ["--select", codes]
    done = run([*command, source], copy, tools, CHECK_TIMEOUT)
    printed = (done.stdout + done.stderr).strip()
    return f"{printed} [exit {done.returncode}]"


def refusals(findings: list[dict]) -> Counter[str]:
    """The reasons findings give for having no automatic fix, string literals made `"…"`."""
    reasons: Counter[str] = Counter()
    for finding in findings:
        if finding["fix"] is not None:
            continue
        match = BLOCKERS.search(finding["message"])
        if match:
            for reason in match.group(1).split("; "):
                reasons[f"{finding['code']}: {QUOTED.sub('"…"', reason)}"] += 1
    return reasons


def fix_refusals(printed: str) -> Counter[str]:
    """The fixes `fix` refused, by code and reason (names and places made `…`)."""
    reasons: Counter[str] = Counter()
    for line in printed.splitlines():
        match = NOT_CONVERTED.match(line.strip())
        if match:
            reason = PLACE.sub("…", QUOTED_NAME.sub("`…`", match.group(2)))
            reasons[f"{match.group(1)}: {reason}"] += 1
    return reasons


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), caches and bytecode left out."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not SKIPPED_DIRS.intersection(relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The files whose bytes differ, or that appeared or vanished."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def unified_diff(before: dict[str, bytes], after: dict[str, bytes], prefix: str) -> str:
    """The changes between two snapshots as one unified diff (paths under `prefix`)."""
    chunks = []
    for name in changed_files(before, after):
        old = before.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        new = after.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
        path = f"{prefix}/{name}"
        chunks += difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(chunks)


def parse_errors(files: dict[str, bytes], names: list[str]) -> dict[str, str]:
    """`ast.parse` of each named `.py` file: the ones that fail, with the error."""
    errors = {}
    for name in names:
        if name.endswith(PY) and name in files:
            try:
                ast.parse(files[name], filename=name)
            except SyntaxError as error:
                errors[name] = f"{error.msg} (line {error.lineno})"
    return errors


def imports_pydantic(text: bytes) -> bool:
    """Whether a module imports pydantic (at any depth of its tree)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == PYDANTIC for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PYDANTIC:
            return True
    return False


def module_names(project: Project, names: list[str]) -> list[str]:
    """The import names of the changed non-test modules (and the package itself)."""
    modules = [project.package]
    for name in names:
        parts = Path(name).with_suffix("").parts
        if not name.endswith(PY) or "tests" in parts or parts[-1].startswith("test_"):
            continue
        dotted = ".".join((project.package, *parts))
        dotted = dotted.removesuffix(".__init__")
        if dotted not in modules:
            modules.append(dotted)
    return modules


def import_error(python: Path, modules: list[str], work: Path, tools: Tools) -> str | None:
    """Import `modules` with `python -I` from `work`: None when they import, else the error."""
    statement = "; ".join(f"import {module}" for module in modules)
    done = run([str(python), "-I", "-c", statement], work, tools, CHECK_TIMEOUT)
    if done.returncode == 0:
        return None
    lines = done.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def environ() -> dict[str, str]:
    """This process's environment without its venv, with uv never downloading a Python."""
    env = {
        key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}
    }
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env
