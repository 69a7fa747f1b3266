"""STD503: invalid `[tool.standards-lsp]` settings in pyproject.toml (or a pyproject.toml that
is not valid TOML at all)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.config import PYPROJECT_FILE, parse_tool_settings
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import first_line_range
from rules.registry import register
from rules.rule import FileContext, FileRule

BINARY_MESSAGE = "pyproject.toml is not a UTF-8 text file"
STD503 = "STD503"


@register
class InvalidToolSettings(FileRule):
    code = STD503
    name = "invalid-tool-settings"
    summary = "pyproject.toml is not valid TOML, or [tool.standards-lsp] has invalid settings"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.ERROR
    )
    patterns = (PYPROJECT_FILE,)
    doc = RuleDoc(
        what=(
            "Reports a `pyproject.toml` that is not valid TOML (at the parser's position; the "
            "other pyproject rules are silent until it parses) and every invalid setting of "
            "its `[tool.standards-lsp]` table: unknown keys and values of the wrong type."
        ),
        why=(
            "A setting this server cannot read would otherwise be ignored silently: the rule "
            "you meant to turn off stays on, the magic value you allowed is still flagged."
        ),
        bad=[
            RuleExample(
                source='[tool.standards-lsp]\nselect = ["STD2"]\nallowed-magic-value = [42]\n',
                path=PYPROJECT_FILE,
                expected_codes=[STD503],
            ),
            RuleExample(
                source='[project]\nname = "svc\n',
                path=PYPROJECT_FILE,
                expected_codes=[STD503],
            ),
        ],
        good=[
            RuleExample(
                source='[tool.standards-lsp]\nselect = ["STD2"]\nallowed-magic-values = [42]\n',
                path=PYPROJECT_FILE,
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            yield self.finding(BINARY_MESSAGE, first_line_range(None))
            return
        parsed = parse_tool_settings(context.text, context.path or PYPROJECT_FILE)
        if parsed is None:
            return
        for problem in parsed.problems:
            yield self.finding(problem.message, problem.range)
