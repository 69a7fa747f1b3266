"""Every rule's documented examples are tests: bad ones find what they say, fixes give `fixed`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet

from rules.config import ProjectConfig, resolve_settings
from rules.engine import SYNTAX_ERROR_CODE, Engine, SourceFile
from rules.fixer import fix_text
from rules.models import RuleExample, Severity, Tier
from rules.registry import default_registry
from rules.rule import Rule
from rules.settings import FileSettings

ENGINE = Engine()
RULES = default_registry().rules


# Where examples live: a directory that does not exist, unless the example brings the other
# files of its project (`RuleExample.files`, e.g. a uv.lock), which are then written to a
# temporary directory (the example's own file too, so rules reading its directory see them).
NO_PROJECT = "/project"


def _settings_for(rule: Rule, example: RuleExample, root: str) -> FileSettings:
    project = ProjectConfig(root=root, tier=Tier.PRODUCTION)
    return resolve_settings(project, f"{root}/{example.path}", None).model_copy(
        update={"severities": {rule.code: rule.severities.production or Severity.WARNING}}
    )


def _project_root(example: RuleExample, tmp_path: Path) -> str:
    if not example.files:
        return NO_PROJECT
    target = tmp_path / example.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(example.source, encoding="utf-8")
    for relative, text in example.files.items():
        other = target.parent / relative
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text(text, encoding="utf-8")
    return str(tmp_path)


def _source(
    rule: Rule, example: RuleExample, text: str | None = None, root: str = NO_PROJECT
) -> SourceFile:
    return SourceFile(
        text=example.source if text is None else text,
        settings=_settings_for(rule, example, root),
        path=f"{root}/{example.path}",
        project_root=root,
    )


def _cases(kind: str, only_fixed: bool = False) -> list[ParameterSet]:
    return [
        pytest.param(rule, example, id=f"{rule.code}-{kind}{index}")
        for rule in RULES
        for index, example in enumerate(getattr(rule.doc, kind))
        if not only_fixed or example.fixed is not None
    ]


def test_every_rule_is_documented() -> None:
    for rule in RULES:
        assert rule.doc.what.strip(), rule.code
        assert rule.doc.why.strip(), rule.code
        assert rule.doc.bad, f"{rule.code} has no bad example"
        assert rule.doc.good, f"{rule.code} has no good example"


@pytest.mark.parametrize(("rule", "example"), _cases("bad"))
def test_bad_example_finds_what_it_documents(
    rule: Rule, example: RuleExample, tmp_path: Path
) -> None:
    analysis = ENGINE.check(_source(rule, example, root=_project_root(example, tmp_path)))
    assert [finding.code for finding in analysis.findings] == example.expected_codes
    assert not analysis.failures


@pytest.mark.parametrize(("rule", "example"), _cases("good"))
def test_good_example_finds_nothing(rule: Rule, example: RuleExample, tmp_path: Path) -> None:
    analysis = ENGINE.check(_source(rule, example, root=_project_root(example, tmp_path)))
    assert [finding.code for finding in analysis.findings] == []
    assert not analysis.failures


@pytest.mark.parametrize(
    ("rule", "example"),
    _cases("bad", only_fixed=True),
)
def test_fix_of_bad_example_gives_documented_result(
    rule: Rule, example: RuleExample, tmp_path: Path
) -> None:
    root = _project_root(example, tmp_path)
    source = _source(rule, example, root=root)
    outcome = fix_text(ENGINE, source, unsafe=example.unsafe)
    assert outcome.text == example.fixed
    if example.path.endswith(".py"):
        ast.parse(outcome.text)
    after = ENGINE.check(_source(rule, example, outcome.text, root))
    assert [f.code for f in after.findings if f.code in {rule.code, SYNTAX_ERROR_CODE}] == []
    again = fix_text(ENGINE, _source(rule, example, outcome.text, root), unsafe=example.unsafe)
    assert again.text == outcome.text, "fixes must converge: a second run changes nothing"
