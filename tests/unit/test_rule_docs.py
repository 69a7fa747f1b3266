"""Every rule's documented examples are tests: bad ones find what they say, fixes give `fixed`."""

from __future__ import annotations

import ast

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


def _settings_for(rule: Rule, example: RuleExample) -> FileSettings:
    project = ProjectConfig(root="/project", tier=Tier.PRODUCTION)
    return resolve_settings(project, f"/project/{example.path}", None).model_copy(
        update={"severities": {rule.code: rule.severities.production or Severity.WARNING}}
    )


def _source(rule: Rule, example: RuleExample, text: str | None = None) -> SourceFile:
    return SourceFile(
        text=example.source if text is None else text,
        settings=_settings_for(rule, example),
        path=f"/project/{example.path}",
        project_root="/project",
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
def test_bad_example_finds_what_it_documents(rule: Rule, example: RuleExample) -> None:
    analysis = ENGINE.check(_source(rule, example))
    assert [finding.code for finding in analysis.findings] == example.expected_codes
    assert not analysis.failures


@pytest.mark.parametrize(("rule", "example"), _cases("good"))
def test_good_example_finds_nothing(rule: Rule, example: RuleExample) -> None:
    analysis = ENGINE.check(_source(rule, example))
    assert [finding.code for finding in analysis.findings] == []
    assert not analysis.failures


@pytest.mark.parametrize(
    ("rule", "example"),
    _cases("bad", only_fixed=True),
)
def test_fix_of_bad_example_gives_documented_result(rule: Rule, example: RuleExample) -> None:
    source = _source(rule, example)
    outcome = fix_text(ENGINE, source, unsafe=example.unsafe)
    assert outcome.text == example.fixed
    if example.path.endswith(".py"):
        ast.parse(outcome.text)
    after = ENGINE.check(_source(rule, example, outcome.text))
    assert [f.code for f in after.findings if f.code in {rule.code, SYNTAX_ERROR_CODE}] == []
    again = fix_text(ENGINE, _source(rule, example, outcome.text), unsafe=example.unsafe)
    assert again.text == outcome.text, "fixes must converge: a second run changes nothing"
