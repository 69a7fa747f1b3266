"""STD201-STD203 fixes over a deterministic sample of the interpreter's standard library.

Every fix must give code that parses, remove its finding, bind a constant whose value equals the
literal's (compared with `ast.literal_eval`), leave every use of the constant's name resolving to
the module (no local, class or comprehension binding shadows it), and a second fix run must
change nothing. The whole library is run by `bench/corpus_constants.py`.
"""

from __future__ import annotations

import ast
import re
import sysconfig
from pathlib import Path

import pytest

from rules.checks.constants.literals import ModuleLiterals
from rules.checks.constants.rename import _Module
from rules.engine import Engine, SourceFile
from rules.fixer import fix_text
from rules.fixes import apply_edits
from rules.models import Finding
from rules.rule import FixRequest
from rules.syntax import reads_own_namespace
from tests.support.engine import CONSTANTS_SETTINGS

CODES = ("STD201", "STD202", "STD203")
SAMPLE_SIZE = 150
MAX_FILE_SIZE = 20_000  # libcst rewrites of the largest files would dominate the suite's time
FIXES_PER_RULE_AND_FILE = 1
FIX_EVERY_NTH_FILE = 3  # fixes are verified on every third sampled file, to bound the time
FIX_RUN_FILES = 5
MAX_FIX_RUN_FINDINGS = 6
_QUOTED = re.compile(r"`([^`]*)`")
_NAME_IN_TITLE = re.compile(r"`([A-Z_][A-Z0-9_]*)`$")


def _sample() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        path
        for path in root.rglob("*.py")
        if "site-packages" not in path.parts and path.stat().st_size <= MAX_FILE_SIZE
    )
    stride = max(len(files) // SAMPLE_SIZE, 1)
    return files[::stride][:SAMPLE_SIZE]


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
        ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return None
    return text


def _constant_value(tree: ast.Module, name: str) -> object:
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
        ):
            return ast.literal_eval(statement.value)
    raise AssertionError(f"no module-level {name}")


def _verify_fix(
    engine: Engine, text: str, findings: list[Finding], finding: Finding, path: Path
) -> None:
    literal = ModuleLiterals(text).at(finding.range)
    assert literal is not None, (path, finding)
    fix = engine.resolve_fix(FixRequest(text=text, finding=finding, settings=CONSTANTS_SETTINGS))
    assert fix is not None, (path, finding)
    # the check, unit by unit, knew what the whole module says: a new name would change what
    # a module listing its own names finds, so the fix was refused before it was asked for
    lists_names = reads_own_namespace(ast.parse(text))
    assert finding.fix is not None and finding.fix.applicable is not lists_names, (path, finding)
    if lists_names:
        assert fix.refused is not None and not fix.edits, (path, finding)
        return
    assert fix.edits is not None
    fixed = apply_edits(text, fix.edits)
    tree = ast.parse(fixed)  # it parses
    match = _NAME_IN_TITLE.search(fix.title)
    assert match is not None, fix.title
    name = match.group(1)
    value = _constant_value(tree, name)
    assert type(value) is type(literal.value) and value == literal.value, (path, name)
    module = _Module(fixed)
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name]
    assert uses
    assert all(module.resolves_to_module(use) for use in uses), (path, name)
    subject = _subject(finding)
    before = sum(1 for f in findings if _subject(f) == subject)
    after = sum(1 for f in _findings(engine, fixed) if _subject(f) == subject)
    if fix.safety == "safe":
        assert after <= before - 1, (path, finding.message, before, after)
    else:  # extract all: no repetition of that literal in that role is left
        group = _group(finding)
        after = sum(1 for f in _findings(engine, fixed) if _group(f) == group)
        assert after == 0, (path, finding.message, before, after)


def _subject(finding: Finding) -> tuple[str, str]:
    """The rule and the literal a finding is about (its first backquoted text)."""
    match = _QUOTED.search(finding.message)
    return (finding.code, match.group(1) if match else "")


def _group(finding: Finding) -> str:
    """A STD203 group: its value and role (the message without its line numbers)."""
    return finding.message.partition(" (lines ")[0]


_CHECKED: dict[str, list[Finding]] = {}


def _findings(engine: Engine, text: str) -> list[Finding]:
    """The findings of a text (each sampled file is checked once for both tests)."""
    found = _CHECKED.get(text)
    if found is None:
        found = engine.check(SourceFile(text=text, settings=CONSTANTS_SETTINGS)).findings
        _CHECKED[text] = found
    return found


@pytest.mark.corpus
def test_every_sampled_fix_is_correct() -> None:
    engine = Engine()
    verified = 0
    for path in _sample()[::FIX_EVERY_NTH_FILE]:
        text = _read(path)
        if text is None:
            continue
        findings = _findings(engine, text)
        for code in CODES:
            of_code = [f for f in findings if f.code == code and f.fix is not None]
            for finding in of_code[:FIXES_PER_RULE_AND_FILE]:
                _verify_fix(engine, text, findings, finding, path)
                verified += 1
    assert verified > 0


@pytest.mark.corpus
def test_a_second_fix_run_changes_nothing() -> None:
    engine = Engine()
    runs = 0
    for path in _sample():
        text = _read(path)
        if text is None:
            continue
        safe = [
            f
            for f in _findings(engine, text)
            if f.code in CODES and f.fix is not None and f.fix.safety == "safe"
        ]
        if not 0 < len(safe) <= MAX_FIX_RUN_FINDINGS:
            continue
        source = SourceFile(text=text, settings=CONSTANTS_SETTINGS)
        first = fix_text(engine, source, wanted=lambda f: f.code in CODES)
        assert first.changed
        ast.parse(first.text)
        second = fix_text(
            engine, source.model_copy(update={"text": first.text}), wanted=lambda f: f.code in CODES
        )
        assert not second.changed, (path, second.applied)
        assert [f for f in _findings(engine, first.text) if f.code in ("STD201", "STD202")] == []
        runs += 1
        if runs >= FIX_RUN_FILES:
            break
    assert runs > 0
