"""STD902: a `# noqa: STDxxx` without a reason, where the tier asks for one (production)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.models import Finding, Position, Range, RuleDoc, RuleExample, Severity, TierSeverities
from rules.noqa import STANDARDS_CODE
from rules.registry import register
from rules.rule import SuppressionContext, SuppressionRule

STD902 = "STD902"


@register
class NoqaWithoutReason(SuppressionRule):
    code = STD902
    name = "noqa-without-reason"
    summary = "A `# noqa: STDxxx` with no reason after `--`"
    severities = TierSeverities(production=Severity.WARNING, internal=None, prototype=None)
    doc = RuleDoc(
        what=(
            "Flags a `# noqa:` comment naming a standards code that gives no reason after its "
            "codes: `# noqa: STD201 -- the vendor's documented page size`. On in the "
            'production tier; another project turns it on with `extend-select = ["STD902"]` '
            "in `[tool.standards-lsp]`."
        ),
        why=(
            "Production code is read by people who did not write it: an exception to the "
            "standard says why it is one, so a reviewer can judge it and a later reader knows "
            "when it stops being needed."
        ),
        bad=[RuleExample(source="PAGE = 100  # noqa: STD201\n", expected_codes=[STD902])],
        good=[
            RuleExample(source="PAGE = 100  # noqa: STD201 -- the vendor's page size\n"),
            RuleExample(source="PAGE = 100  # noqa: E501\n"),
        ],
    )

    def check_suppressions(self, context: SuppressionContext) -> Iterator[Finding]:
        for comment in context.comments():
            codes = [code for code in comment.codes if STANDARDS_CODE.fullmatch(code.code)]
            if not codes or comment.reason:
                continue
            where = Range(
                start=Position(line=comment.line, character=comment.start),
                end=Position(line=comment.line, character=comment.end),
            )
            named = ", ".join(code.code for code in codes)
            yield self.finding(f"`# noqa: {named}` gives no reason: add one after `--`", where)
