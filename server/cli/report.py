"""The command line's output formats: text (like ruff's), JSON (design map section 7), SARIF."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rules.docs import rule_url
from rules.models import Finding, Severity
from rules.registry import Registry
from server.batch import BatchReport, FileReport

JSON_FORMAT_VERSION = 1
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "standards-lsp"
TOOL_URI = "https://github.com/progression-labs/standards-lsp"
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


class JsonLocation(BaseModel):
    """A 1-based line and column (code points)."""

    line: int
    column: int


class JsonFix(BaseModel):
    """A fix as the JSON format shows it."""

    title: str
    safety: str


class JsonFinding(BaseModel):
    """One finding as the JSON format shows it."""

    path: str
    code: str
    severity: str
    message: str
    start: JsonLocation
    end: JsonLocation
    fix: JsonFix | None


class JsonSummary(BaseModel):
    """How many files and findings."""

    files: int
    findings: int


class JsonReport(BaseModel):
    """The whole JSON document."""

    version: int = JSON_FORMAT_VERSION
    findings: list[JsonFinding] = Field(default_factory=list)
    summary: JsonSummary


def _json_finding(report: FileReport, finding: Finding) -> JsonFinding:
    # every field comes from a validated finding: validating it again cost a CI run of the
    # stdlib's 23,000 findings more than half a second
    start, end = finding.range.start, finding.range.end
    fix = finding.fix
    return JsonFinding.model_construct(
        path=report.display_path,
        code=finding.code,
        severity=finding.severity.value,
        message=finding.message,
        start=JsonLocation.model_construct(line=start.line + 1, column=start.character + 1),
        end=JsonLocation.model_construct(line=end.line + 1, column=end.character + 1),
        fix=JsonFix.model_construct(title=fix.title, safety=fix.safety.value) if fix else None,
    )


def render_json(batch: BatchReport) -> str:
    """The design map's JSON document."""
    findings = [_json_finding(report, finding) for report, finding in batch.findings]
    document = JsonReport(
        findings=findings, summary=JsonSummary(files=batch.file_count, findings=len(findings))
    )
    return document.model_dump_json(indent=None)


def render_text(batch: BatchReport, colour: bool) -> str:
    """One line per finding, `path:line:col: CODE message`, then a summary."""
    lines = []
    fixable = 0
    for report, finding in batch.findings:
        start = finding.range.start
        mark = ""
        if finding.fix is not None:
            fixable += 1
            mark = f" {FIXABLE_MARK}" if finding.fix.safety.value == "safe" else ""
        location = f"{report.display_path}:{start.line + 1}:{start.character + 1}:"
        code = finding.code
        if colour:
            location = f"{_BOLD}{location}{_RESET}"
            code = f"{_COLOURS[finding.severity]}{code}{_RESET}"
        lines.append(f"{location} {code}{mark} {finding.message}")
    count = len(lines)
    if count == 0 and batch.path_errors:
        unchecked = len(batch.path_errors)
        noun = "path" if unchecked == 1 else "paths"
        lines.append(f"No findings, but {unchecked} {noun} could not be checked.")
    elif count == 0:
        lines.append("All checks passed!")
    else:
        noun = "finding" if count == 1 else "findings"
        summary = f"Found {count} {noun} in {batch.file_count} files."
        if fixable:
            summary += f" {fixable} fixable with `standards-lsp fix` (add --unsafe for all)."
        lines.append(f"{_DIM}{summary}{_RESET}" if colour else summary)
    return "\n".join(lines)


class SarifText(BaseModel):
    """A SARIF message."""

    text: str


class SarifRule(BaseModel):
    """A rule in SARIF's tool description."""

    id: str
    name: str
    short_description: SarifText = Field(serialization_alias="shortDescription")
    full_description: SarifText = Field(serialization_alias="fullDescription")
    help_uri: str = Field(serialization_alias="helpUri")
    help: SarifText


class SarifRegion(BaseModel):
    """1-based lines and columns of a result."""

    start_line: int = Field(serialization_alias="startLine")
    start_column: int = Field(serialization_alias="startColumn")
    end_line: int = Field(serialization_alias="endLine")
    end_column: int = Field(serialization_alias="endColumn")


class SarifArtifact(BaseModel):
    """The file of a result, relative to the checked directory."""

    uri: str


class SarifPhysicalLocation(BaseModel):
    """Where a result is."""

    artifact_location: SarifArtifact = Field(serialization_alias="artifactLocation")
    region: SarifRegion


class SarifLocation(BaseModel):
    """SARIF wraps each physical location."""

    physical_location: SarifPhysicalLocation = Field(serialization_alias="physicalLocation")


class SarifResult(BaseModel):
    """One finding."""

    rule_id: str = Field(serialization_alias="ruleId")
    level: str
    message: SarifText
    locations: list[SarifLocation]


class SarifDriver(BaseModel):
    """The tool that produced the log."""

    name: str = TOOL_NAME
    information_uri: str = Field(default=TOOL_URI, serialization_alias="informationUri")
    rules: list[SarifRule]


class SarifTool(BaseModel):
    """SARIF's tool object."""

    driver: SarifDriver


class SarifRun(BaseModel):
    """One run of one tool."""

    tool: SarifTool
    results: list[SarifResult]


class SarifLog(BaseModel):
    """A SARIF 2.1.0 log."""

    schema_uri: str = Field(default=SARIF_SCHEMA, serialization_alias="$schema")
    version: str = SARIF_VERSION
    runs: list[SarifRun]


def render_sarif(batch: BatchReport, registry: Registry) -> str:
    """A SARIF 2.1.0 log, as GitHub code scanning reads it."""
    rules = [
        SarifRule(
            id=rule.code,
            name=rule.name,
            short_description=SarifText(text=rule.summary),
            full_description=SarifText(text=rule.doc.what),
            help_uri=rule_url(rule.code),
            help=SarifText(text=rule.doc.why),
        )
        for rule in registry.rules
    ]
    results = [_sarif_result(report, finding) for report, finding in batch.findings]
    log = SarifLog(
        runs=[SarifRun(tool=SarifTool(driver=SarifDriver(rules=rules)), results=results)]
    )
    return log.model_dump_json(by_alias=True, indent=2)


def _sarif_result(report: FileReport, finding: Finding) -> SarifResult:
    start, end = finding.range.start, finding.range.end
    region = SarifRegion(
        start_line=start.line + 1,
        start_column=start.character + 1,
        end_line=end.line + 1,
        end_column=end.character + 1,
    )
    location = SarifPhysicalLocation(
        artifact_location=SarifArtifact(uri=report.display_path), region=region
    )
    return SarifResult(
        rule_id=finding.code,
        level=SARIF_LEVELS[finding.severity],
        message=SarifText(text=finding.message),
        locations=[SarifLocation(physical_location=location)],
    )
