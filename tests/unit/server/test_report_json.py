"""`check --format json`: the document `render_json` writes, whichever JSON writer wrote it."""

from __future__ import annotations

import json
from pathlib import Path

from rules.models import Finding, Position, Range
from server.batch import BatchReport, FileReport
from server.cli.report import JsonReport, render_json

LONE_SURROGATE = "\ud800"


def _report(message: str) -> BatchReport:
    finding = Finding(
        code="STD201",
        message=message,
        range=Range(start=Position(line=2, character=4), end=Position(line=2, character=8)),
    )
    file_report = FileReport(path=Path("/p/a.py"), display_path="a.py", findings=[finding])
    return BatchReport(files=[file_report], problems=[], unconfigured_roots=[], file_count=1)


def test_the_document_is_compact_utf8_json_of_the_report_model() -> None:
    message = 'a "quoted" é 😀 message\twith\ncontrol \x00 characters'
    text = render_json(_report(message))
    document = JsonReport.model_validate_json(text)
    assert document.summary.findings == 1
    finding = document.findings[0]
    assert (finding.path, finding.code, finding.message) == ("a.py", "STD201", message)
    assert (finding.start.line, finding.start.column) == (3, 5)
    assert "é 😀" in text  # kept as is, not escaped
    assert ": " not in text
    assert ", " not in text


def test_a_message_no_utf8_writer_can_hold_is_still_written() -> None:
    text = render_json(_report(f"broken {LONE_SURROGATE} text"))
    assert json.loads(text)["findings"][0]["message"] == f"broken {LONE_SURROGATE} text"
