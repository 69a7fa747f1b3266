"""Findings as LSP diagnostics (the one place a finding becomes a diagnostic), rendered to JSON
once per finding.

The engine hands back the very same `Finding` objects for units an edit did not touch (at
unchanged lines), so the JSON of a diagnostic is cached per finding object: a one-character edit
on a 20,000-line file renders the few findings of the edited unit, not thousands. The cache is
keyed by `id()` and holds the finding itself, so an id cannot be reused while its entry lives.

A diagnostic carries no document version (code actions carry theirs), so the JSON of an
unchanged finding is the same from version to version, and so is a result whose findings all
stand: a pull then gets an "unchanged" report instead of the whole list again.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.protocol import default_converter

from rules.docs import rule_url
from rules.models import Finding, Position, Range, Severity
from rules.registry import CODE_PATTERN
from rules.source import strip_line_break
from server.documents import PositionCodec

if TYPE_CHECKING:
    from cattrs import Converter

SOURCE = "standards"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def _line(lines: list[str], index: int) -> str:
    return strip_line_break(lines[index]) if 0 <= index < len(lines) else ""


def client_position(position: Position, lines: list[str], codec: PositionCodec) -> types.Position:
    """An engine position (code points) in the client's encoding."""
    character = codec.to_client_column(_line(lines, position.line), position.character)
    return types.Position(line=position.line, character=character)


def client_range(span: Range, lines: list[str], codec: PositionCodec) -> types.Range:
    """An engine range in the client's encoding."""
    return types.Range(
        start=client_position(span.start, lines, codec),
        end=client_position(span.end, lines, codec),
    )


def server_position(position: types.Position, lines: list[str], codec: PositionCodec) -> Position:
    """A client position in code points (clamped to its line)."""
    character = codec.from_client_column(_line(lines, position.line), position.character)
    return Position(line=max(position.line, 0), character=character)


def server_range(span: types.Range, lines: list[str], codec: PositionCodec) -> Range:
    """A client range in code points."""
    return Range(
        start=server_position(span.start, lines, codec),
        end=server_position(span.end, lines, codec),
    )


def _position_json(position: Position, lines: list[str], codec: PositionCodec) -> str:
    character = codec.to_client_column(_line(lines, position.line), position.character)
    return f'{{"line":{position.line},"character":{character}}}'


def diagnostic_json(
    finding: Finding, lines: list[str], codec: PositionCodec, code_description: bool = True
) -> str:
    """The JSON of a finding's diagnostic (`code_description`: with the link to the rule's
    page, which a client that says `codeDescriptionSupport: false` is not sent)."""
    start = _position_json(finding.range.start, lines, codec)
    end = _position_json(finding.range.end, lines, codec)
    fix = None
    if finding.offered_fix is not None:
        fix = {"title": finding.offered_fix.title, "safety": finding.offered_fix.safety.value}
    data = json.dumps({"finding": finding.data, "fix": fix})
    href = ""
    if code_description and CODE_PATTERN.fullmatch(finding.code):
        href = f',"codeDescription":{{"href":{json.dumps(rule_url(finding.code))}}}'
    return (
        f'{{"range":{{"start":{start},"end":{end}}},"severity":{SEVERITIES[finding.severity].value}'
        f',"code":{json.dumps(finding.code)}{href},"source":"{SOURCE}"'
        f',"message":{json.dumps(finding.message)},"data":{data}}}'
    )


def lsp_diagnostic(finding: Finding, lines: list[str], codec: PositionCodec) -> types.Diagnostic:
    """A finding's diagnostic as an lsprotocol object: the very diagnostic `diagnostic_json`
    writes (the one conversion; the JSON is the fast path, written per keystroke)."""
    return diagnostic_converter().structure(
        json.loads(diagnostic_json(finding, lines, codec)), types.Diagnostic
    )


@cache
def diagnostic_converter() -> Converter:
    """pygls' converter, built when first needed (not before the first diagnostics)."""
    return default_converter()


class DiagnosticRenderer:
    """Renders findings, reusing the JSON of finding objects rendered last time."""

    def __init__(self, codec: PositionCodec, code_description: bool = True) -> None:
        self.codec = codec
        self.code_description = code_description
        self._cache: dict[int, tuple[Finding, str]] = {}

    def render(self, findings: list[Finding], lines: list[str]) -> list[str]:
        """The diagnostics of `findings` as JSON (in order)."""
        previous = self._cache
        current: dict[int, tuple[Finding, str]] = {}
        rendered: list[str] = []
        for finding in findings:
            entry = previous.get(id(finding))
            if entry is None or entry[0] is not finding:
                entry = (
                    finding,
                    diagnostic_json(finding, lines, self.codec, self.code_description),
                )
            current[id(finding)] = entry
            rendered.append(entry[1])
        self._cache = current
        return rendered
