"""The command line's output formats: text (like ruff's), JSON (design map section 7), SARIF."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticSerializationError, to_json

from rules.docs import render_rule, rule_url
from rules.models import Finding, Severity, TextEdit
from rules.registry import Registry
from rules.rule import Rule
from server.batch import BatchReport, FileReport
from server.cli.formats import TOOL_NAME, TOOL_URI, FixResolver, Located, safe_edits

JSON_FORMAT_VERSION = 1
COMPACT_SEPARATORS = (",", ":")
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}
_COLOURS = {
    Severity.ERROR: "\033[31m",
    Severity.WARNING: "\033[33m",
    Severity.INFORMATION: "\033[36m",
    Severity.HINT: "\033[36m",
}
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"
FIXABLE_MARK = "[*]"


class _OutputModel(BaseModel):
    """A model of an output document, its validation built when first used: every `check`
    imports this module, and building the schemas of the JSON and SARIF documents' 22 models
    cost each run 8 ms, a run in another format or with no finding all of it for nothing."""

    model_config = ConfigDict(defer_build=True)


class JsonLocation(_OutputModel):
    """A 1-based line and column (code points)."""

    line: int
    column: int


class JsonFix(_OutputModel):
    """A fix as the JSON format shows it."""

    title: str
    safety: str


class JsonFinding(_OutputModel):
    """One finding as the JSON format shows it."""

    path: str
    cell: int | None = Field(default=None, description="a notebook's cell (1-based), when in one")
    code: str
    severity: str
    message: str
    start: JsonLocation
    end: JsonLocation
    fix: JsonFix | None


class JsonSummary(_OutputModel):
    """How many files and findings."""

    files: int
    findings: int


class JsonReport(_OutputModel):
    """The whole JSON document."""

    version: int = JSON_FORMAT_VERSION
    findings: list[JsonFinding] = Field(default_factory=list)
    summary: JsonSummary


def _json_finding(report: FileReport, finding: Finding) -> dict[str, object]:
    """One finding as `JsonFinding` has it, as plain data: every field comes from a validated
    finding, and building models only to dump them cost a CI run of the stdlib's findings
    half a second."""
    start, end = finding.range.start, finding.range.end
    fix = finding.offered_fix
    return {
        "path": report.display_path,
        **({"cell": finding.cell} if finding.cell is not None else {}),
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "start": {"line": start.line + 1, "column": start.character + 1},
        "end": {"line": end.line + 1, "column": end.character + 1},
        "fix": {"title": fix.title, "safety": fix.safety.value} if fix else None,
    }


def render_json(batch: BatchReport) -> str:
    """The design map's JSON document (`JsonReport`), written in one pass: compact, UTF-8 kept
    as is, as pydantic's `model_dump_json` writes it."""
    findings = [_json_finding(report, finding) for report, finding in batch.findings]
    document = {
        "version": JSON_FORMAT_VERSION,
        "findings": findings,
        "summary": {"files": batch.file_count, "findings": len(findings)},
    }
    try:
        # pydantic-core's writer: the same text as `json.dumps` below, in a third of the time
        # (a warm check of the standard library writes 15,000 findings)
        return to_json(document).decode()
    except PydanticSerializationError:  # a lone surrogate, which UTF-8 cannot hold
        return json.dumps(document, ensure_ascii=False, separators=COMPACT_SEPARATORS)


def render_text(batch: BatchReport, colour: bool) -> str:
    """One line per finding, `path:line:col: CODE message` (`path:cell N:line:col:` in a\nnotebook), then a summary."""
    lines = []
    fixable = 0
    for report, finding in batch.findings:
        start = finding.range.start
        mark = ""
        fix = finding.offered_fix
        if fix is not None and not fix.file_operations:  # `fix` renames and creates no file
            fixable += 1
            mark = f" {FIXABLE_MARK}" if fix.safety.value == "safe" else ""
        cell = f"cell {finding.cell}:" if finding.cell is not None else ""
        location = f"{report.display_path}:{cell}{start.line + 1}:{start.character + 1}:"
        code = finding.code
        if colour:
            location = f"{_BOLD}{location}{_RESET}"
            code = f"{_COLOURS[finding.severity]}{code}{_RESET}"
        lines.append(f"{location} {code}{mark} {finding.message}")
    count = len(lines)
    if count == 0 and batch.path_errors:
        unchecked = len(batch.path_errors)
        lines.append(f"No findings, but {counted(unchecked, 'path')} could not be checked.")
    elif count == 0:
        lines.append("All checks passed!")
    else:
        summary = f"Found {counted(count, 'finding')} in {counted(batch.file_count, 'file')}."
        if fixable:
            summary += f" {fixable} fixable with `standards-lsp fix` (add --unsafe for all)."
        lines.append(f"{_DIM}{summary}{_RESET}" if colour else summary)
    return "\n".join(lines)


class SarifText(_OutputModel):
    """A SARIF message."""

    text: str


class SarifHelp(_OutputModel):
    """A rule's help, as text and as Markdown."""

    text: str
    markdown: str


class SarifRuleProperties(_OutputModel):
    """What GitHub code scanning reads of a rule besides SARIF's own fields."""

    tags: list[str]
    security_severity: str | None = Field(default=None, serialization_alias="security-severity")


class SarifRule(_OutputModel):
    """A rule in SARIF's tool description."""

    id: str
    name: str
    short_description: SarifText = Field(serialization_alias="shortDescription")
    full_description: SarifText = Field(serialization_alias="fullDescription")
    help_uri: str = Field(serialization_alias="helpUri")
    help: SarifHelp
    properties: SarifRuleProperties


class SarifRegion(_OutputModel):
    """1-based lines and columns of a result."""

    start_line: int = Field(serialization_alias="startLine")
    start_column: int = Field(serialization_alias="startColumn")
    end_line: int = Field(serialization_alias="endLine")
    end_column: int = Field(serialization_alias="endColumn")


class SarifArtifact(_OutputModel):
    """The file of a result, relative to the checked directory."""

    uri: str


class SarifPhysicalLocation(_OutputModel):
    """Where a result is."""

    artifact_location: SarifArtifact = Field(serialization_alias="artifactLocation")
    region: SarifRegion


class SarifLocation(_OutputModel):
    """SARIF wraps each physical location."""

    physical_location: SarifPhysicalLocation = Field(serialization_alias="physicalLocation")


class SarifContent(_OutputModel):
    """Inserted text."""

    text: str


class SarifReplacement(_OutputModel):
    """One edit of a fix."""

    deleted_region: SarifRegion = Field(serialization_alias="deletedRegion")
    inserted_content: SarifContent = Field(serialization_alias="insertedContent")


class SarifArtifactChange(_OutputModel):
    """A fix's edits of one file."""

    artifact_location: SarifArtifact = Field(serialization_alias="artifactLocation")
    replacements: list[SarifReplacement]


class SarifFix(_OutputModel):
    """A finding's safe fix."""

    description: SarifText
    artifact_changes: list[SarifArtifactChange] = Field(serialization_alias="artifactChanges")


class SarifResult(_OutputModel):
    """One finding."""

    rule_id: str = Field(serialization_alias="ruleId")
    level: str
    message: SarifText
    locations: list[SarifLocation]
    partial_fingerprints: dict[str, str] = Field(serialization_alias="partialFingerprints")
    fixes: list[SarifFix] | None = None


class SarifDriver(_OutputModel):
    """The tool that produced the log."""

    name: str = TOOL_NAME
    information_uri: str = Field(default=TOOL_URI, serialization_alias="informationUri")
    rules: list[SarifRule]


class SarifTool(_OutputModel):
    """SARIF's tool object."""

    driver: SarifDriver


class SarifRun(_OutputModel):
    """One run of one tool."""

    tool: SarifTool
    results: list[SarifResult]
    # columns count code points, as everywhere in standards-lsp (SARIF's default is UTF-16)
    column_kind: str = Field(default="unicodeCodePoints", serialization_alias="columnKind")


class SarifLog(_OutputModel):
    """A SARIF 2.1.0 log."""

    schema_uri: str = Field(default=SARIF_SCHEMA, serialization_alias="$schema")
    version: str = SARIF_VERSION
    runs: list[SarifRun]


# The fingerprint GitHub code scanning matches alerts by, across runs and moved lines.
SARIF_FINGERPRINT = "standardsLsp/v1"
SECURITY_TAG = "security"
# Only rules whose findings are security exposures carry a security severity (a CVSS-like
# score; GitHub files them as security alerts): STD302's direct vendor SDKs bypass the llm
# package that owns the keys.
SECURITY_SEVERITIES = {"STD302": "5.0"}


def _sarif_rule(rule: Rule) -> SarifRule:
    security = SECURITY_SEVERITIES.get(rule.code)
    tags = ["standards", f"{rule.code[:4]}xx"]
    if security is not None:
        tags.append(SECURITY_TAG)
    return SarifRule(
        id=rule.code,
        name=rule.name,
        short_description=SarifText(text=rule.summary),
        full_description=SarifText(text=rule.doc.what),
        help_uri=rule_url(rule.code),
        help=SarifHelp(text=f"{rule.doc.why}\n\n{rule_url(rule.code)}", markdown=render_rule(rule)),
        properties=SarifRuleProperties(tags=tags, security_severity=security),
    )


def render_sarif(located: list[Located], registry: Registry, resolve: FixResolver) -> str:
    """A SARIF 2.1.0 log, as GitHub code scanning reads it."""
    rules = [_sarif_rule(rule) for rule in registry.rules]
    results = [_sarif_result(item, resolve) for item in located]
    log = SarifLog(
        runs=[SarifRun(tool=SarifTool(driver=SarifDriver(rules=rules)), results=results)]
    )
    return log.model_dump_json(by_alias=True, indent=2, exclude_none=True)


def _sarif_region(
    start_line: int, start_column: int, end_line: int, end_column: int
) -> SarifRegion:
    return SarifRegion(
        start_line=start_line + 1,
        start_column=start_column + 1,
        end_line=end_line + 1,
        end_column=end_column + 1,
    )


def _sarif_fix(item: Located, resolve: FixResolver) -> list[SarifFix] | None:
    edits: list[TextEdit] = safe_edits(item, resolve)
    fix = item.finding.fix
    if not edits or fix is None:
        return None
    replacements = [
        SarifReplacement(
            deleted_region=_sarif_region(
                edit.range.start.line,
                edit.range.start.character,
                edit.range.end.line,
                edit.range.end.character,
            ),
            inserted_content=SarifContent(text=edit.new_text),
        )
        for edit in edits
    ]
    change = SarifArtifactChange(
        artifact_location=SarifArtifact(uri=item.path), replacements=replacements
    )
    return [SarifFix(description=SarifText(text=fix.title), artifact_changes=[change])]


def _sarif_result(item: Located, resolve: FixResolver) -> SarifResult:
    finding = item.finding
    start, end = finding.range.start, finding.range.end
    region = _sarif_region(start.line, start.character, end.line, end.character)
    location = SarifPhysicalLocation(artifact_location=SarifArtifact(uri=item.path), region=region)
    return SarifResult(
        rule_id=finding.code,
        level=SARIF_LEVELS[finding.severity],
        message=SarifText(text=finding.message),
        locations=[SarifLocation(physical_location=location)],
        partial_fingerprints={SARIF_FINGERPRINT: item.fingerprint},
        fixes=_sarif_fix(item, resolve),
    )


def counted(count: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
