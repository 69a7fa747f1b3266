"""The three tiers' published values (`rulesets.md`), built in so nothing is fetched."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from rules.models import Tier


class TierValues(BaseModel):
    """One tier's settings as the organisation's standards registry publishes them."""

    model_config = ConfigDict(frozen=True)

    ruleset: str
    ruff_select: tuple[str, ...]
    ruff_ignore: tuple[str, ...]
    max_complexity: int | None
    max_args: int | None
    max_branches: int | None
    max_returns: int | None
    max_statements: int | None
    type_checking: bool
    unused_code: bool
    dependency_audit: bool
    secrets_scan: bool
    snake_case_names: bool
    forbidden_lockfiles: tuple[str, ...]
    blocked_imports: tuple[str, ...]
    blocked_import_advice: str
    testing: bool


FORBIDDEN_LOCKFILES = ("requirements.txt", "Pipfile", "Pipfile.lock", "poetry.lock")
BLOCKED_IMPORTS = ("openai", "anthropic", "langfuse")
BLOCKED_IMPORT_ADVICE = "Use the llm package"

PRODUCTION = TierValues(
    ruleset="python-production",
    ruff_select=("E", "F", "I", "UP", "B", "SIM", "S", "C4", "C90", "PLR", "RUF"),
    ruff_ignore=("E501",),
    max_complexity=10,
    max_args=4,
    max_branches=10,
    max_returns=6,
    max_statements=50,
    type_checking=True,
    unused_code=True,
    dependency_audit=True,
    secrets_scan=True,
    snake_case_names=True,
    forbidden_lockfiles=FORBIDDEN_LOCKFILES,
    blocked_imports=BLOCKED_IMPORTS,
    blocked_import_advice=BLOCKED_IMPORT_ADVICE,
    testing=True,
)

# The internal tier is production with looser limits and without C4 and RUF.
INTERNAL = PRODUCTION.model_copy(
    update={
        "ruleset": "python-internal",
        "ruff_select": ("E", "F", "I", "UP", "B", "SIM", "S", "C90", "PLR"),
        "max_complexity": 15,
        "max_args": 5,
        "max_branches": 12,
        "max_returns": 8,
        "max_statements": 60,
    }
)

TIERS: dict[Tier, TierValues] = {
    Tier.PRODUCTION: PRODUCTION,
    Tier.INTERNAL: INTERNAL,
    Tier.PROTOTYPE: TierValues(
        ruleset="python-prototype",
        ruff_select=("E", "F"),
        ruff_ignore=("E501", "F401", "F841"),
        max_complexity=None,
        max_args=None,
        max_branches=None,
        max_returns=None,
        max_statements=None,
        type_checking=False,
        unused_code=False,
        dependency_audit=False,
        secrets_scan=True,
        snake_case_names=False,
        forbidden_lockfiles=FORBIDDEN_LOCKFILES,
        blocked_imports=(),
        blocked_import_advice="",
        testing=False,
    ),
}

RULESET_TIERS: dict[str, Tier] = {values.ruleset: tier for tier, values in TIERS.items()}
BASE_RULESET_TIERS: dict[str, Tier] = {f"base-{tier.value}": tier for tier in Tier}
DEFAULT_TIER = Tier.INTERNAL
