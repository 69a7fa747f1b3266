"""STD201: a magic number in executable code (extract it to a module constant)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.constants.extracting import (
    ExtractingRule,
    build_extraction,
    offer_extractions,
    unit_literals,
)
from rules.checks.constants.literals import is_magic_number
from rules.models import Finding, Fix, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import RefactorOffer, RefactorRequest, UnitContext, UnitRule

_OPTIONS_DOC = (
    "`allowed-magic-values` (list of numbers, default none besides 0, 1 and -1): numbers never "
    "flagged. `flag-default-arguments` (bool, default false): also flag numbers in default "
    "argument values and class field defaults."
)
STD201 = "STD201"


@register
class MagicNumber(ExtractingRule, UnitRule):
    code = STD201
    name = "magic-number"
    summary = "A number in a function or class body that should be a named module constant"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.WARNING, prototype=None
    )
    doc = RuleDoc(
        what=(
            "Flags int and float literals (including negative ones) in executable code inside "
            "a function or class body. Not flagged: 0, 1, -1 and the configured "
            "`allowed-magic-values`; module-level `NAME = literal` (that is the constant); "
            "UPPER_CASE class constants and enum member values; default argument values and "
            "class field defaults; subscripts and slices; `range(n)` bounds up to 2; the digits "
            "of `round(x, n)` and the base of `int(s, base)`; version comparisons; halving, "
            "doubling, parity and squaring by 2; bit shifts and masks; arguments of `Field(...)`, "
            "`Annotated[...]` metadata, `pytest.mark.parametrize` data; test files. "
            "The fix moves the number to a module constant named from its context."
        ),
        why=(
            "The standard: never hard-code values that may need to change; define constants at "
            "the module level. A named constant says what the number means and is changed in "
            "one place."
        ),
        bad=[
            RuleExample(
                source=("def calculate_fee(amount: int) -> int:\n    return int(amount * 0.025)\n"),
                expected_codes=[STD201],
                fixed=(
                    "CALCULATE_FEE_RATE = 0.025\n\n\n"
                    "def calculate_fee(amount: int) -> int:\n"
                    "    return int(amount * CALCULATE_FEE_RATE)\n"
                ),
            ),
            RuleExample(
                source=(
                    "import httpx\n\n\ndef fetch(url: str) -> str:\n"
                    "    return httpx.get(url, timeout=30).text\n"
                ),
                expected_codes=[STD201],
                fixed=(
                    "import httpx\n\nTIMEOUT = 30\n\n\ndef fetch(url: str) -> str:\n"
                    "    return httpx.get(url, timeout=TIMEOUT).text\n"
                ),
            ),
        ],
        good=[
            RuleExample(
                source=(
                    "TRANSACTION_FEE_RATE = 0.025\n\n\n"
                    "def calculate_fee(amount: int) -> int:\n"
                    "    return int(amount * TRANSACTION_FEE_RATE)\n"
                )
            ),
            RuleExample(
                source=(
                    "def last_two(items: list[int], retries: int = 3) -> list[int]:\n"
                    "    return items[-2:] if len(items) > 1 else items[:0]\n"
                )
            ),
        ],
        options=_OPTIONS_DOC,
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if context.settings.is_test:
            return
        options = context.settings.options
        for literal in unit_literals(context):
            if is_magic_number(literal, options) and not context.is_set_aside(literal.node):
                yield self.finding_for(
                    literal,
                    f"Magic number `{literal.display}`: name it as a module constant",
                    context.range_of(literal.node),
                )

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        return offer_extractions(self.code, request)

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        return build_extraction(request, offer)
