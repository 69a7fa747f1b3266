"""STD301: FastAPI used directly (only the llm package may)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.imports.imported_packages import imported_packages
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import PYPROJECT, declared_dependencies, dependency_range, parse_toml
from rules.registry import register
from rules.rule import FileContext, FileRule, UnitContext, UnitRule

FASTAPI_PACKAGES = frozenset({"fastapi"})
# The one project allowed to build on FastAPI, by its distribution name.
LLM_PACKAGE_NAMES = frozenset({"llm", "progression-labs-llm"})
STD301 = "STD301"
FAST_API_IS_ONLY_MESSAGE = (
    "FastAPI is only for the llm package: build APIs with progression-labs/fastify-api"
)


@register
class DirectFastApi(UnitRule, FileRule):
    """Both kinds: imports in `.py` units, and the dependency in `pyproject.toml`."""

    code = STD301
    name = "direct-fastapi"
    summary = "FastAPI used directly: build APIs in TypeScript (Fastify); only the llm package uses FastAPI"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (PYPROJECT,)
    doc = RuleDoc(
        what=(
            "Flags imports of `fastapi` outside the `llm` package, and `fastapi` declared as a "
            "dependency (runtime, optional or a dependency group) in `pyproject.toml`."
        ),
        why=(
            "Backend APIs are built in TypeScript with `progression-labs/fastify-api`. FastAPI is "
            "used only inside `progression-labs/llm`; a FastAPI service anywhere else is a second "
            "stack to secure, deploy and maintain."
        ),
        bad=[
            RuleExample(
                source="from fastapi import FastAPI\n\napp = FastAPI()\n",
                expected_codes=[STD301],
            ),
            RuleExample(
                source=(
                    '[project]\nname = "svc"\nrequires-python = ">=3.12"\n'
                    'dependencies = ["fastapi>=0.110", "pydantic"]\n'
                ),
                path=PYPROJECT,
                expected_codes=[STD301],
            ),
        ],
        good=[
            RuleExample(source="from llm.server import create_app\n\napp = create_app()\n"),
            RuleExample(
                source='[project]\nname = "svc"\ndependencies = ["llm", "pydantic"]\n',
                path=PYPROJECT,
            ),
        ],
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if context.settings.project_name in LLM_PACKAGE_NAMES:
            return
        for imported in imported_packages(context):
            if imported.package in FASTAPI_PACKAGES:
                yield self.finding(
                    FAST_API_IS_ONLY_MESSAGE,
                    context.range_of(imported.node),
                )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.settings.project_name in LLM_PACKAGE_NAMES or context.text is None:
            return
        for dependency in declared_dependencies(parse_toml(context.text)):
            if dependency.name in FASTAPI_PACKAGES:
                yield self.finding(
                    FAST_API_IS_ONLY_MESSAGE,
                    dependency_range(context.text, dependency),
                )
