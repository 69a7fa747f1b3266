"""STD502: an invalid `standards.toml` (TOML syntax, unknown tier or ruleset, tier and rulesets
disagreeing, keys the organisation's `conform` CLI would reject)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.config import STANDARDS_FILE, parse_standards_toml
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import first_line_range
from rules.registry import register
from rules.rule import FileContext, FileRule

BINARY_MESSAGE = "standards.toml is not a UTF-8 text file"
STD502 = "STD502"


@register
class InvalidStandardsToml(FileRule):
    code = STD502
    name = "invalid-standards-toml"
    summary = (
        "standards.toml is invalid: TOML error, unknown tier or ruleset, or a key conform rejects"
    )
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.ERROR
    )
    patterns = (STANDARDS_FILE,)
    doc = RuleDoc(
        what=(
            "Reports every problem of a `standards.toml`, at its place: TOML syntax errors at "
            "the position the parser gives, an unknown ruleset (`[standards] ruleset`, "
            "`[extends] rulesets`) or tier (`[metadata] tier`), a tier that disagrees with the "
            "rulesets' suffix, rulesets of mixed tiers, and any key or value the organisation's "
            "`conform` CLI would reject (its schema is strict at every level)."
        ),
        why=(
            "`standards.toml` decides how strictly the project is checked, here and in CI. A "
            "file `conform` rejects fails CI; a file this server cannot read silently falls back "
            "to a default tier. Settings of this language server belong in `pyproject.toml` "
            "under `[tool.standards-lsp]`, never in `standards.toml`."
        ),
        bad=[
            RuleExample(
                source='[standards]\nruleset = "python-prod"\n',
                path=STANDARDS_FILE,
                expected_codes=[STD502],
            ),
            RuleExample(
                source=(
                    '[metadata]\ntier = "production"\n\n[extends]\n'
                    'registry = "github:acme/standards"\n'
                    'rulesets = ["base-internal", "python-internal"]\n'
                ),
                path=STANDARDS_FILE,
                expected_codes=[STD502],
            ),
            RuleExample(
                source=(
                    '[metadata]\ntier = "internal"\nowner = "platform"\n\n[extends]\n'
                    'registry = "github:acme/standards"\n'
                    'rulesets = ["base-internal", "python-internal"]\n'
                ),
                path=STANDARDS_FILE,
                expected_codes=[STD502],
            ),
        ],
        good=[
            RuleExample(source='[standards]\nruleset = "python-production"\n', path=STANDARDS_FILE),
            RuleExample(
                source=(
                    '[metadata]\ntier = "internal"\n\n[extends]\n'
                    'registry = "github:acme/standards"\n'
                    'rulesets = ["base-internal", "python-internal"]\n\n'
                    '[code.linting.ruff.lint]\nselect = ["E", "F"]\n'
                ),
                path=STANDARDS_FILE,
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            yield self.finding(BINARY_MESSAGE, first_line_range(None))
            return
        parsed = parse_standards_toml(context.text, context.path or STANDARDS_FILE)
        for problem in parsed.problems:
            yield self.finding(problem.message, problem.range)
