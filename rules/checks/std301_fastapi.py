"""STD301: FastAPI used directly (only the llm package may)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks._imports import imported_packages
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import UnitContext, UnitRule

FASTAPI_PACKAGES = frozenset({"fastapi"})
# The one project allowed to build on FastAPI, by its distribution name.
LLM_PACKAGE_NAMES = frozenset({"llm", "progression-labs-llm"})


@register
class DirectFastApi(UnitRule):
    code = "STD301"
    name = "direct-fastapi"
    summary = "FastAPI used directly: build APIs in TypeScript (Fastify); only the llm package uses FastAPI"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    doc = RuleDoc(
        what="Flags imports of `fastapi` outside the `llm` package.",
        why=(
            "Backend APIs are built in TypeScript with `progression-labs/fastify-api`. FastAPI is "
            "used only inside `progression-labs/llm`; a FastAPI service anywhere else is a second "
            "stack to secure, deploy and maintain."
        ),
        bad=[
            RuleExample(
                source="from fastapi import FastAPI\n\napp = FastAPI()\n",
                expected_codes=["STD301"],
            ),
        ],
        good=[RuleExample(source="from llm.server import create_app\n\napp = create_app()\n")],
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if context.settings.project_name in LLM_PACKAGE_NAMES:
            return
        for imported in imported_packages(context):
            if imported.package in FASTAPI_PACKAGES:
                yield self.finding(
                    "FastAPI is only for the llm package: build APIs with progression-labs/fastify-api",
                    context.range_of(imported.node),
                )
