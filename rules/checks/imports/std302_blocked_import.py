"""STD302: a blocked import (openai, anthropic, langfuse: use the llm package)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.imports.imported_packages import imported_packages
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import PYPROJECT, declared_dependencies, dependency_range, parse_toml
from rules.registry import register
from rules.rule import FileContext, FileRule, UnitContext, UnitRule
from rules.tiers import BLOCKED_IMPORT_ADVICE, BLOCKED_IMPORTS

STD302 = "STD302"


@register
class BlockedImport(UnitRule, FileRule):
    """Both kinds: imports in `.py` units, and the dependencies in `pyproject.toml`."""

    code = STD302
    name = "blocked-import"
    summary = "An LLM vendor SDK imported directly instead of through the llm package"
    severities = TierSeverities(production=Severity.ERROR, internal=Severity.ERROR, prototype=None)
    patterns = (PYPROJECT,)
    doc = RuleDoc(
        what=(
            "Flags imports of `openai`, `anthropic` and `langfuse` (and their submodules), "
            "wherever they stand in a module, and the same packages declared as dependencies "
            "in `pyproject.toml`."
        ),
        why=(
            "The organisation reaches LLM vendors only through its `llm` package, which owns "
            "keys, retries, tracing and evaluation. A direct SDK import bypasses all of that."
        ),
        bad=[
            RuleExample(
                source="import openai\n\nclient = openai.OpenAI()\n",
                expected_codes=[STD302],
            ),
            RuleExample(
                source="from anthropic.types import Message\n",
                expected_codes=[STD302],
            ),
            RuleExample(
                source=(
                    '[project]\nname = "svc"\n\n[dependency-groups]\n'
                    'dev = [\n    "openai>=1.0",\n]\n'
                ),
                path=PYPROJECT,
                expected_codes=[STD302],
            ),
        ],
        good=[
            RuleExample(source="from llm import complete\n\nanswer = complete(prompt)\n"),
            RuleExample(
                source='[project]\nname = "svc"\ndependencies = ["llm>=2"]\n', path=PYPROJECT
            ),
        ],
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        for imported in imported_packages(context):
            if imported.package in BLOCKED_IMPORTS:
                yield self.finding(
                    f"`{imported.package}` is blocked: {BLOCKED_IMPORT_ADVICE}",
                    context.range_of(imported.node),
                )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            return
        for dependency in declared_dependencies(parse_toml(context.text)):
            if dependency.name in BLOCKED_IMPORTS:
                yield self.finding(
                    f"`{dependency.name}` is blocked: {BLOCKED_IMPORT_ADVICE}",
                    dependency_range(context.text, dependency),
                )
