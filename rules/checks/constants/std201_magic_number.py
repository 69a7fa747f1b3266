"""STD201: a magic number in executable code (extract it to a module constant)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.constants.exemptions import is_magic_number, status_member_of
from rules.checks.constants.extracting import (
    ExtractingRule,
    build_extraction,
    offer_extractions,
    parse_module,
    unit_literals,
)
from rules.checks.constants.http_status import build_status_fix, status_title
from rules.models import Finding, Fix, RuleDoc, RuleExample, Safety, Severity, TierSeverities
from rules.registry import register
from rules.rule import FixRequest, RefactorOffer, RefactorRequest, UnitContext, UnitRule

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
            "a function or class body, and in the arguments of calls run at module level "
            "(`ToolRetryMiddleware(max_attempts=3)`). Not flagged: 0, 1, -1 and the configured "
            "`allowed-magic-values`; module-level `NAME = literal` (that is the constant); "
            "UPPER_CASE class constants and enum member values; default argument values and "
            "class field defaults; subscripts and slice bounds up to 16 (`x[-2:]`, "
            "`digest[:8]`; a longer bound such as `text[:200]` is a truncation limit and is "
            "flagged, named `MAX_TEXT_LENGTH`); `range(n)` bounds up to 2; the digits "
            "of `round(x, n)` and the base of `int(s, base)`; version comparisons; halving, "
            "doubling, parity and squaring by 2; `len(x) == 2` (a pair); bit shifts and masks; "
            "the exponent of `1024 ** 3`; arguments of `Field(...)`, "
            "`Annotated[...]` metadata, `pytest.mark.parametrize` data and translation "
            "functions; numbers in an `assert` (an assertion states an invariant of the code "
            "as written, not a setting: changing the bound means changing the code it "
            "guards); test files. "
            "The fix moves the number to a module constant named from its context. "
            "An HTTP status code (the value of `status_code=`/`status=`, the first argument of "
            "`abort(...)`/`HTTPException(...)`, compared with a `.status_code`/`.status`, or a "
            '`"statusCode"` of a response dict) is a protocol value, not a setting: the '
            "finding asks for its `HTTPStatus` member and the safe fix writes it, importing "
            "`from http import HTTPStatus` (an `IntEnum`: equal to the number, same hash, `str()` "
            "and JSON). A status class bound in an ordering comparison (`200 <= status < 300`, "
            "`status >= 500`) is not flagged: no member names a class of statuses. "
            "No fix adds a name to a module that enumerates its own names (`globals()`, a "
            "module-level `dir()`/`vars()`, `sys.modules[__name__]`): the new constant or "
            "import would be found among them (a module that looks its error classes up by "
            "enumeration would find `HTTPStatus`); the finding stays, to fix by hand, without "
            "the fixable mark, its quick fix shown disabled and `fix` saying why."
        ),
        why=(
            "The standard: never hard-code values that may need to change; define constants at "
            "the module level. A named constant says what the number means and is changed in "
            "one place."
        ),
        bad=[
            RuleExample(
                source="def preview(text: str) -> str:\n    return text[:200]\n",
                expected_codes=[STD201],
                fixed=(
                    "MAX_TEXT_LENGTH = 200\n\n\n"
                    "def preview(text: str) -> str:\n    return text[:MAX_TEXT_LENGTH]\n"
                ),
            ),
            RuleExample(
                source=(
                    "from agents import ToolRetryMiddleware\n\n"
                    "middleware = ToolRetryMiddleware(max_attempts=3)\n"
                ),
                expected_codes=[STD201],
                fixed=(
                    "from agents import ToolRetryMiddleware\n\n"
                    "MAX_ATTEMPTS = 3\n\n"
                    "middleware = ToolRetryMiddleware(max_attempts=MAX_ATTEMPTS)\n"
                ),
            ),
            RuleExample(
                source=("def elapsed_ms(seconds: float) -> float:\n    return seconds * 1000\n"),
                expected_codes=[STD201],
                fixed=(
                    "MILLISECONDS_PER_SECOND = 1000\n\n\n"
                    "def elapsed_ms(seconds: float) -> float:\n"
                    "    return seconds * MILLISECONDS_PER_SECOND\n"
                ),
            ),
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
            RuleExample(
                source=(
                    "def find(client, key: str) -> bytes | None:\n"
                    "    response = client.get(key)\n"
                    "    if response.status_code == 404:\n"
                    "        return None\n"
                    "    return response.content\n"
                ),
                expected_codes=[STD201],
                fixed=(
                    "from http import HTTPStatus\n\n\n"
                    "def find(client, key: str) -> bytes | None:\n"
                    "    response = client.get(key)\n"
                    "    if response.status_code == HTTPStatus.NOT_FOUND:\n"
                    "        return None\n"
                    "    return response.content\n"
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
                    "def check(items: list[int]) -> None:\n"
                    '    assert len(items) < 100, "a batch is small by construction"\n'
                )
            ),
            RuleExample(
                source=(
                    "def is_success(response) -> bool:\n"
                    "    return 200 <= response.status_code < 300\n"
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
            if not is_magic_number(literal, options) or context.is_set_aside(literal.node):
                continue
            member = status_member_of(literal)
            if member:
                yield Finding(
                    code=self.code,
                    message=(f"HTTP status code `{literal.display}`: use `HTTPStatus.{member}`"),
                    range=context.range_of(literal.node),
                    fix=Fix(title=status_title(member), safety=Safety.SAFE, adds_module_names=True),
                    data={"status": member},
                )
            else:
                yield self.finding_for(
                    literal,
                    f"Magic number `{literal.display}`: name it as a module constant",
                    context.range_of(literal.node),
                )

    def build_fix(self, request: FixRequest) -> Fix | None:
        member = request.finding.data.get("status")
        if not isinstance(member, str):
            return super().build_fix(request)
        module = parse_module(request.text)
        return build_status_fix(module, request.finding.range, member) if module else None

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        return offer_extractions(self.code, request)

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        return build_extraction(request, offer)
