"""The hand-judged STD101/STD102 findings on the corpus apps (`tests/verdicts/std101.toml`,
`std102.toml`): judged true positives are still reported, judged false positives are not, and
the precision over what is reported and judged is at least the issue's goal. A finding matches a
verdict by package, path, code and the `literal` name (the parameter or function the message
names first) within a few lines. Needs the corpus (`../shared/corpora/get`, cached in
~/.cache/standards-lsp-corpora): skipped without it, except in CI (`CI=true`), where it fails."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile, is_python
from rules.registry import Registry, default_registry
from rules.walk import iter_files
from tests.support.paths import TESTS

CODES = ("STD101", "STD102")
VERDICTS = TESTS / "verdicts"
CORPUS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "standards-lsp-corpora"
APPS = CORPUS / "apps"
GOAL = 0.9
NEAR_LINES = 3
_NAMED = re.compile(r"`([^`]+)`")
# Judged true, no longer reported, and why (the rule page's "Whose shape").
LOST_TRUE = {
    ("aws_lambda_powertools/logging/logger.py", "log_line"): (
        "its keys are written in another module (logging/buffer/functions.py)"
    ),
    ("deepeval/inspect/loader.py", "data"): "one key read (`testCases`)",
}
# Judged false and still reported, and why.
KEPT_FALSE = {
    ("deepeval/models/_summac_model.py", "score_one"): (
        "vendored code read as a dict elsewhere: nothing in the module tells"
    ),
}

type Reported = tuple[str, str, int, str, str]  # package, path, line (1-based), code, literal


def _verdicts() -> list[dict[str, str | int]]:
    judged: list[dict[str, str | int]] = []
    for code in CODES:
        data = tomllib.loads((VERDICTS / f"{code.lower()}.toml").read_text(encoding="utf-8"))
        judged.extend(data["finding"])
    return judged


def _reported() -> list[Reported]:
    if not APPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the corpus is not in {CORPUS}: run ../shared/corpora/get")
        pytest.skip(f"the corpus is not downloaded to {CORPUS} (../shared/corpora/get)")
    engine = Engine(Registry([rule for rule in default_registry().rules if rule.code in CODES]))
    resolver = ConfigResolver()
    reported: list[Reported] = []
    for package in sorted(path for path in APPS.iterdir() if path.is_dir()):
        for path in iter_files([package], lambda candidate: is_python(str(candidate))):
            text = path.read_text(encoding="utf-8", errors="replace")
            source = SourceFile(
                text=text,
                settings=resolver.settings_for(str(path)),
                path=str(path),
                project_root=str(package),
            )
            relative = path.relative_to(package).as_posix()
            for finding in engine.check(source).findings:
                if finding.code in CODES:
                    named = _NAMED.match(finding.message)
                    literal = named.group(1) if named else ""
                    line = finding.range.start.line + 1
                    reported.append((package.name, relative, line, finding.code, literal))
    return reported


def _matches(verdict: dict[str, str | int], found: Reported) -> bool:
    package, path, line, code, literal = found
    near = isinstance(verdict["line"], int) and abs(verdict["line"] - line) <= NEAR_LINES
    return (verdict["package"], verdict["path"], verdict["code"], verdict["literal"]) == (
        package,
        path,
        code,
        literal,
    ) and near


@pytest.fixture(scope="module")
def reported() -> list[Reported]:
    return _reported()


def test_judged_true_positives_are_still_reported(reported: list[Reported]) -> None:
    lost = [
        verdict
        for verdict in _verdicts()
        if verdict["verdict"] == "true"
        and (verdict["path"], verdict["literal"]) not in LOST_TRUE
        and not any(_matches(verdict, found) for found in reported)
    ]
    assert lost == []


def test_judged_false_positives_are_not_reported(reported: list[Reported]) -> None:
    verdicts = _verdicts()
    still = [
        found
        for found in reported
        if any(v["verdict"] == "false" and _matches(v, found) for v in verdicts)
        and (found[1], found[4]) not in KEPT_FALSE
    ]
    assert still == []


def test_every_reported_finding_is_judged_and_precision_meets_the_goal(
    reported: list[Reported],
) -> None:
    verdicts = _verdicts()
    unjudged = [found for found in reported if not any(_matches(v, found) for v in verdicts)]
    assert unjudged == []
    for code in CODES:
        mine = [found for found in reported if found[3] == code]
        true = [
            found
            for found in mine
            if any(v["verdict"] == "true" and _matches(v, found) for v in verdicts)
        ]
        assert mine
        assert len(true) / len(mine) >= GOAL, code


# The bench's suites (`std101-std102-suites.toml`): the corpus's, and the bench's own sdists,
# which only `python -m bench.refactor_suites` downloads (a project not there is not checked).
SUITES_VERDICTS = VERDICTS / "std101-std102-suites.toml"
SUITE_ROOTS = {
    "corpus": CORPUS / "suites",
    "extra": Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    / "standards-lsp-bench-suites",
}


def _suite_verdicts() -> tuple[dict[str, dict[str, str]], list[dict[str, str | int]]]:
    data = tomllib.loads(SUITES_VERDICTS.read_text(encoding="utf-8"))
    return data["folders"], data["finding"]


def _suite_folders() -> dict[Path, str]:
    """Each downloaded suite's unpacked sdist, with its source folder."""
    folders, _verdicts = _suite_verdicts()
    return {
        SUITE_ROOTS[source] / package: folder
        for source, packages in folders.items()
        for package, folder in packages.items()
        if (SUITE_ROOTS[source] / package).is_dir()
    }


def _suite_reported() -> list[Reported]:
    engine = Engine(Registry([rule for rule in default_registry().rules if rule.code in CODES]))
    resolver = ConfigResolver()
    reported: list[Reported] = []
    roots = _suite_folders()
    if not roots:
        pytest.skip("no suite of the bench is downloaded (../shared/corpora/get, bench)")
    for root, folder in sorted(roots.items()):
        for path in iter_files([root / folder], lambda candidate: is_python(str(candidate))):
            source = SourceFile(
                text=path.read_text(encoding="utf-8", errors="replace"),
                settings=resolver.settings_for(str(path)),
                path=str(path),
                project_root=str(root),
            )
            relative = path.relative_to(root).as_posix()
            for finding in engine.check(source).findings:
                named = _NAMED.match(finding.message)
                literal = named.group(1) if named else ""
                line = finding.range.start.line + 1
                reported.append((root.name, relative, line, finding.code, literal))
    return reported


def test_the_suites_verdicts_hold() -> None:
    """On each suite present: judged true still reported, judged false not (but for those
    kept knowingly), every finding judged."""
    _folders, verdicts = _suite_verdicts()
    reported = _suite_reported()
    present = {root.name for root in _suite_folders()}
    lost = [
        verdict
        for verdict in verdicts
        if verdict["package"] in present
        and verdict["verdict"] == "true"
        and not any(_matches(verdict, found) for found in reported)
    ]
    still = [
        found
        for found in reported
        if any(v["verdict"] == "false" and _matches(v, found) for v in verdicts)
    ]
    unjudged = [found for found in reported if not any(_matches(v, found) for v in verdicts)]
    assert (lost, still, unjudged) == ([], [], [])
