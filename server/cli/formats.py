"""The CI formats beside text, JSON and SARIF: GitHub workflow annotations, GitLab Code Quality,
JUnit XML and reviewdog's diagnostic format (rdjson).

Every format reads the same `Located` findings: a finding with its file's lines (read once per
file) and its fingerprint (`rules.fingerprint`: the rule and the code around the finding, so a
finding keeps its identity when lines above it come and go).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rules.docs import rule_url
from rules.fingerprint import fingerprints
from rules.models import Finding, Fix, Position, Safety, Severity, TextEdit
from rules.registry import Registry
from rules.source import char_to_byte_column, split_lines
from server.batch import BatchReport, FileReport, read_source

TOOL_NAME = "standards-lsp"
TOOL_URI = "https://github.com/progression-labs/standards-lsp"

type FixResolver = Callable[["Located"], Fix | None]


@dataclass(frozen=True)
class Located:
    """A finding with what the CI formats need around it."""

    report: FileReport
    finding: Finding
    lines: list[str]
    fingerprint: str

    @property
    def path(self) -> str:
        """The file, relative to the current directory."""
        return self.report.display_path

    @property
    def text(self) -> str:
        """The file's text, as checked."""
        return "".join(self.lines)


def locate(batch: BatchReport) -> list[Located]:
    """Every finding of the run, in the report's order, with its file's lines and fingerprint."""
    by_file: dict[str, list[Finding]] = {}
    reports: dict[str, FileReport] = {}
    for report, finding in batch.findings:
        by_file.setdefault(report.display_path, []).append(finding)
        reports[report.display_path] = report
    located: list[Located] = []
    for path, findings in by_file.items():
        report = reports[path]
        text, _ = read_source(report.path)
        lines = split_lines(text or "")
        for finding, fingerprint in zip(findings, fingerprints(findings, lines), strict=True):
            located.append(Located(report, finding, lines, fingerprint))
    return located


def safe_edits(item: Located, resolve: FixResolver) -> list[TextEdit]:
    """The text edits of a finding's safe fix within its own file (empty when there is none,
    or when the fix also creates or renames files)."""
    fix = item.finding.offered_fix
    if fix is None or fix.safety is not Safety.SAFE:
        return []
    if fix.edits is None:
        fix = resolve(item)
    if fix is None or fix.file_operations or not fix.edits:
        return []
    return list(fix.edits)


# GitHub: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
# GitHub shows at most 10 error and 10 warning annotations of a step (50 of a job) on a pull
# request, so the order matters: errors first, then warnings, then notices; within a level, by
# file and line. Every finding is still printed (the log keeps them all).
GITHUB_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}
_GITHUB_ORDER = {"error": 0, "warning": 1, "notice": 2}


def github_escape_data(value: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(value: str) -> str:
    """A workflow command's property value, escaped as the runner unescapes it."""
    return github_escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(located: list[Located], registry: Registry) -> str:
    """One `::error file=...,line=...::message` workflow command per finding, then a summary."""

    def order(item: Located) -> tuple[int, str, int, int]:
        start = item.finding.range.start
        level = _GITHUB_ORDER[GITHUB_LEVELS[item.finding.severity]]
        return (level, item.path, start.line, start.character)

    lines = []
    for item in sorted(located, key=order):
        finding = item.finding
        start, end = finding.range.start, finding.range.end
        rule = registry.get(finding.code)
        title = f"{finding.code} {rule.name}" if rule else finding.code
        properties = [
            ("file", item.path),
            ("line", str(start.line + 1)),
            ("endLine", str(end.line + 1)),
        ]
        if start.line == end.line:  # GitHub reads columns only within one line
            properties += [("col", str(start.character + 1)), ("endColumn", str(end.character + 1))]
        properties.append(("title", title))
        joined = ",".join(f"{key}={github_escape_property(value)}" for key, value in properties)
        level = GITHUB_LEVELS[finding.severity]
        lines.append(f"::{level} {joined}::{github_escape_data(finding.message)}")
    count = len(located)
    lines.append(f"standards-lsp: {count} finding{'' if count == 1 else 's'}.")
    return "\n".join(lines)


# GitLab Code Quality: https://docs.gitlab.com/ci/testing/code_quality/ (the report format)
GITLAB_SEVERITIES = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFORMATION: "info",
    Severity.HINT: "info",
}


def render_gitlab(located: list[Located], registry: Registry) -> str:
    """A Code Quality report: a JSON array of issues with stable fingerprints."""
    issues = []
    for item in located:
        finding = item.finding
        start, end = finding.range.start, finding.range.end
        rule = registry.get(finding.code)
        issues.append(
            {
                "type": "issue",
                "check_name": finding.code,
                "description": f"{finding.code} {finding.message}",
                "content": {"body": rule.doc.why if rule else ""},
                "categories": ["Style"],
                "severity": GITLAB_SEVERITIES[finding.severity],
                "fingerprint": _digest(item.path, item.fingerprint),
                "location": {
                    "path": item.path,
                    "positions": {
                        "begin": {"line": start.line + 1, "column": start.character + 1},
                        "end": {"line": end.line + 1, "column": end.character + 1},
                    },
                },
            }
        )
    return json.dumps(issues, indent=1)


def _digest(path: str, fingerprint: str) -> str:
    return hashlib.md5(f"{path}\0{fingerprint}".encode(), usedforsecurity=False).hexdigest()


def render_junit(batch: BatchReport, located: list[Located]) -> str:
    """JUnit XML: a test case per checked file (a failure per finding), so each file shows once
    in a CI's test report however its findings move."""
    from xml.etree import ElementTree  # here: only this format writes XML

    by_file: dict[str, list[Located]] = {report.display_path: [] for report in batch.files}
    for item in located:
        by_file.setdefault(item.path, []).append(item)
    failures = sum(1 for items in by_file.values() if items)
    suites = ElementTree.Element(
        "testsuites", name=TOOL_NAME, tests=str(len(by_file)), failures=str(failures), errors="0"
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=TOOL_NAME,
        tests=str(len(by_file)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    ElementTree.SubElement(
        ElementTree.SubElement(suite, "properties"),
        "property",
        name="files_checked",
        value=str(batch.file_count),
    )
    for path, items in sorted(by_file.items()):
        case = ElementTree.SubElement(suite, "testcase", classname=TOOL_NAME, name=path)
        for item in items:
            start = item.finding.range.start
            where = f"{path}:{start.line + 1}:{start.character + 1}"
            failure = ElementTree.SubElement(
                case, "failure", message=f"{item.finding.code} {item.finding.message}"
            )
            failure.set("type", item.finding.code)
            failure.text = f"{where}: {item.finding.code} {item.finding.message}"
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)


# reviewdog: https://github.com/reviewdog/reviewdog/tree/master/proto/rdf (columns in UTF-8 bytes)
RDJSON_SEVERITIES = {
    Severity.ERROR: "ERROR",
    Severity.WARNING: "WARNING",
    Severity.INFORMATION: "INFO",
    Severity.HINT: "INFO",
}


def _rd_position(lines: list[str], position: Position) -> dict[str, int]:
    line = lines[position.line] if 0 <= position.line < len(lines) else ""
    return {"line": position.line + 1, "column": char_to_byte_column(line, position.character) + 1}


def render_rdjson(located: list[Located], resolve: FixResolver) -> str:
    """reviewdog's diagnostic result, with the safe fixes as suggestions."""
    diagnostics = []
    for item in located:
        finding = item.finding
        diagnostic: dict[str, object] = {
            "message": finding.message,
            "location": {
                "path": item.path,
                "range": {
                    "start": _rd_position(item.lines, finding.range.start),
                    "end": _rd_position(item.lines, finding.range.end),
                },
            },
            "severity": RDJSON_SEVERITIES[finding.severity],
            "code": {"value": finding.code, "url": rule_url(finding.code)},
        }
        suggestions = [
            {
                "range": {
                    "start": _rd_position(item.lines, edit.range.start),
                    "end": _rd_position(item.lines, edit.range.end),
                },
                "text": edit.new_text,
            }
            for edit in safe_edits(item, resolve)
        ]
        if suggestions:
            diagnostic["suggestions"] = suggestions
        diagnostics.append(diagnostic)
    document = {"source": {"name": TOOL_NAME, "url": TOOL_URI}, "diagnostics": diagnostics}
    return json.dumps(document, indent=1)


def render_statistics(batch: BatchReport, registry: Registry) -> str:
    """How many findings of each rule, most first (as `ruff --statistics` shows them)."""
    counts = Counter(finding.code for _report, finding in batch.findings)
    fixable = Counter(
        finding.code
        for _report, finding in batch.findings
        if finding.offered_fix is not None and finding.offered_fix.safety is Safety.SAFE
    )
    lines = []
    for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        rule = registry.get(code)
        name = rule.name if rule else ""
        mark = "[*]" if fixable[code] else "   "
        lines.append(f"{count:>5}  {code:<12} {mark} {name}".rstrip())
    return "\n".join(lines)


def render_fixes(batch: BatchReport) -> str:
    """The fixes `standards-lsp fix` would apply (and the unsafe ones), per rule."""
    safe: Counter[tuple[str, str]] = Counter()
    unsafe: Counter[tuple[str, str]] = Counter()
    for _report, finding in batch.findings:
        fix = finding.offered_fix
        if fix is None:
            continue
        target = safe if fix.safety is Safety.SAFE else unsafe
        target[(finding.code, fix.title)] += 1
    lines = []
    for heading, counts in (("Safe fixes", safe), ("Unsafe fixes (--unsafe)", unsafe)):
        if counts:
            lines.append(f"{heading}:")
            lines += [
                f"  {count:>4}  {code} {title}" for (code, title), count in sorted(counts.items())
            ]
    return "\n".join(lines) if lines else "No fixes available."
