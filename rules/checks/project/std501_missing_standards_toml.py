"""STD501: no `standards.toml` at the project root, with fixes that create it.

The fix model holds one fix per finding, but the ruleset is the user's choice among three. The
finding's own fix creates the file for the tier in force (what the project is checked against
right now), and the other two rulesets are offered as refactorings (`quickfix` offers) at the
finding's range, so an editor lists exactly three "Create standards.toml (python-...)" actions.
The finding's `data` names all three so any client can build its own menu.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rules.models import (
    FileOperation,
    Finding,
    Fix,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TierSeverities,
)
from rules.project_files import (
    PROJECT_TABLE,
    PYPROJECT,
    STANDARDS_TOML,
    file_exists,
    header_range,
    is_project,
    parse_toml,
    project_root,
)
from rules.registry import register
from rules.rule import FileContext, FileRule, RefactorOffer, RefactorRequest
from rules.tiers import TIERS

RULESETS = tuple(values.ruleset for values in TIERS.values())
ROOT_KEY = "root"
RULESETS_KEY = "rulesets"
RULESET_KEY = "ruleset"
QUICKFIX_KIND = "quickfix"
STD501 = "STD501"
PROJECT_NAME_SVC_REQUIRES_MESSAGE = '[project]\nname = "svc"\nrequires-python = ">=3.12"\n'


def standards_content(ruleset: str) -> str:
    """A new `standards.toml` in the form the standard shows."""
    return f'[standards]\nruleset = "{ruleset}"\n'


def create_fix(root: str, ruleset: str) -> Fix:
    """The fix that creates `standards.toml` at `root` naming `ruleset` (unsafe: choosing the
    ruleset is the user's decision, so `fix` never does it without `--unsafe`)."""
    return Fix(
        title=f"Create standards.toml ({ruleset})",
        safety=Safety.UNSAFE,
        edits=[],
        file_operations=[
            FileOperation(
                kind="create",
                path=str(Path(root) / STANDARDS_TOML),
                content=standards_content(ruleset),
            )
        ],
        description=f"Creates {STANDARDS_TOML} at the project root with ruleset {ruleset}.",
    )


@register
class MissingStandardsToml(FileRule):
    code = STD501
    name = "missing-standards-toml"
    summary = "No standards.toml at the project root"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (PYPROJECT,)
    fix_title = "Create standards.toml (one action per ruleset)"
    doc = RuleDoc(
        what=(
            "Flags a project's `pyproject.toml` (on its `[project]` header) when there is no "
            "`standards.toml` at the project root: the directory of the `pyproject.toml`, or the "
            "uv workspace root for a workspace member. The fixes create it, one per ruleset "
            "(`python-production`, `python-internal`, `python-prototype`)."
        ),
        why=(
            "Every repository names its ruleset in a `standards.toml` at its root; the "
            "organisation's `conform` CLI and this server read the tier from it. Without it, the "
            "project is checked against a default tier nobody chose."
        ),
        bad=[
            RuleExample(
                source=PROJECT_NAME_SVC_REQUIRES_MESSAGE,
                path=f"service/{PYPROJECT}",
                expected_codes=[STD501],
            ),
        ],
        good=[
            RuleExample(
                source=PROJECT_NAME_SVC_REQUIRES_MESSAGE,
                path=f"service/{PYPROJECT}",
                files={STANDARDS_TOML: standards_content("python-internal")},
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None or not is_project(parse_toml(context.text)):
            return
        root = project_root(context.path)
        if root is None or file_exists(root / STANDARDS_TOML):
            return
        chosen = TIERS[context.settings.tier].ruleset
        finding = self.finding(
            f"no {STANDARDS_TOML} at the project root: create one naming the ruleset "
            f"({', '.join(RULESETS)})",
            header_range(context.text, PROJECT_TABLE),
            create_fix(str(root), chosen),
        )
        finding.data.update({ROOT_KEY: str(root), RULESETS_KEY: ",".join(RULESETS)})
        yield finding

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        """The other two rulesets' "create" actions, where this rule's finding stands."""
        if request.path is None or PurePosixPath(request.path.replace("\\", "/")).name != PYPROJECT:
            return []
        if not request.settings.is_active(self.code):
            return []
        context = FileContext(path=request.path, text=request.text, settings=request.settings)
        offers = []
        for finding in self.check_file(context):
            if not _overlaps(finding, request):
                continue
            chosen = TIERS[request.settings.tier].ruleset
            offers.extend(
                RefactorOffer(
                    code=self.code,
                    kind=QUICKFIX_KIND,
                    title=f"Create standards.toml ({ruleset})",
                    data={ROOT_KEY: str(finding.data[ROOT_KEY]), RULESET_KEY: ruleset},
                )
                for ruleset in RULESETS
                if ruleset != chosen
            )
        return offers

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        root, ruleset = offer.data.get(ROOT_KEY), offer.data.get(RULESET_KEY)
        if not isinstance(root, str) or ruleset not in RULESETS:
            return None
        return create_fix(root, str(ruleset))


def _overlaps(finding: Finding, request: RefactorRequest) -> bool:
    return (
        finding.range.start.line <= request.range.end.line
        and request.range.start.line <= finding.range.end.line
    )
