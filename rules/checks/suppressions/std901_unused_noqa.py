"""STD901: a `# noqa: STDxxx` that silences nothing (an unknown code, or no such finding on its
line), with a fix that takes the code (or the whole comment) out."""

from __future__ import annotations

from collections.abc import Iterator

from rules.models import (
    Finding,
    Fix,
    Position,
    Range,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TierSeverities,
)
from rules.noqa import STANDARDS_CODE, removal_edit
from rules.registry import register
from rules.rule import SuppressionContext, SuppressionRule

STD901 = "STD901"
FIX_TITLE = "Remove the unused suppression"
OTHER_TOOLS_CODE = "timeout = 30  # noqa: E501\n"


@register
class UnusedNoqa(SuppressionRule):
    code = STD901
    name = "unused-noqa"
    summary = "A `# noqa: STDxxx` that silences nothing"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.WARNING, prototype=Severity.INFORMATION
    )
    fix_title = FIX_TITLE
    doc = RuleDoc(
        what=(
            "Flags each standards code in a `# noqa:` comment that silenced no finding on its "
            "line in this check: a code no rule has (a typo), or the code of an active rule "
            "that found nothing there (the code it silenced was fixed or moved). Codes of "
            "rules that are off for the file (another tier's) and other tools' codes (`E501`) "
            "are left alone. The fix removes the code, or the whole comment when it was the "
            "only one."
        ),
        why=(
            "A suppression that silences nothing hides the next real finding on that line and "
            "tells readers an exception was needed where none is. A mistyped code silences "
            "nothing while looking as if it did."
        ),
        bad=[
            RuleExample(
                source="timeout = 30  # noqa: STD210\n",
                expected_codes=[STD901],
                fixed="timeout = 30\n",
            ),
            RuleExample(
                source="timeout = 30  # noqa: E501, STD210\n",
                expected_codes=[STD901],
                fixed=OTHER_TOOLS_CODE,
            ),
        ],
        good=[
            RuleExample(source=OTHER_TOOLS_CODE),
            RuleExample(source='HELP = "# noqa: STD210 in a string is not a comment"\n'),
        ],
    )

    def check_suppressions(self, context: SuppressionContext) -> Iterator[Finding]:
        for comment in context.comments():
            for code in comment.codes:
                if not STANDARDS_CODE.fullmatch(code.code):
                    continue
                known = code.code in context.known_codes
                if known and not context.settings.is_active(code.code):
                    continue
                if (comment.line, code.code) in context.used:
                    continue
                why = "silences nothing here" if known else "is not a rule's code"
                where = Range(
                    start=Position(line=comment.line, character=code.start),
                    end=Position(line=comment.line, character=code.end),
                )
                edit = removal_edit(comment, context.lines, code)
                fix = Fix(title=FIX_TITLE, safety=Safety.SAFE, edits=[edit])
                yield self.finding(f"`# noqa: {code.code}` {why}", where, fix)
