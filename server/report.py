"""The command line's output formats: text (like ruff's), JSON (design map section 7), SARIF."""

from __future__ import annotations

import json

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
    start, end = finding.range.start, finding.range.end
    fix = finding.fix
    return JsonFinding(
        path=report.display_path,
        code=finding.code,
        severity=finding.severity.value,
        message=finding.message,
        start=JsonLocation(line=start.line + 1, column=start.character + 1),
        end=JsonLocation(line=end.line + 1, column=end.character + 1),
        fix=JsonFix(title=fix.title, safety=fix.safety.value) if fix else None,
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
    if count == 0:
        lines.append("All checks passed!")
    else:
        noun = "finding" if count == 1 else "findings"
        summary = f"Found {count} {noun} in {batch.file_count} files."
        if fixable:
            summary += f" {fixable} fixable with `standards-lsp fix` (add --unsafe for all)."
        lines.append(f"{_DIM}{summary}{_RESET}" if colour else summary)
    return "\n".join(lines)


def render_sarif(batch: BatchReport, registry: Registry) -> str:
    """A SARIF 2.1.0 log, as GitHub code scanning reads it."""
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc.what},
            "helpUri": rule_url(rule.code),
            "help": {"text": rule.doc.why},
        }
        for rule in registry.rules
    ]
    results = [_sarif_result(report, finding) for report, finding in batch.findings]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "informationUri": TOOL_URI, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2)


def _sarif_result(report: FileReport, finding: Finding) -> dict[str, object]:
    start, end = finding.range.start, finding.range.end
    return {
        "ruleId": finding.code,
        "level": SARIF_LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": report.display_path},
                    "region": {
                        "startLine": start.line + 1,
                        "startColumn": start.character + 1,
                        "endLine": end.line + 1,
                        "endColumn": end.character + 1,
                    },
                }
            }
        ],
    }
