"""Hover: the rule's documentation on a finding's range or on a code inside `# noqa:`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from rules.docs import render_rule
from rules.models import Position, Range
from rules.noqa import NOQA_COMMENT
from rules.registry import CODE_PATTERN, default_registry
from rules.source import strip_line_break
from server.rendering import client_range, server_position

if TYPE_CHECKING:
    from server.language_server import StandardsServer

CODES = "codes"


def _contains(span: Range, position: Position) -> bool:
    start = (span.start.line, span.start.character)
    end = (span.end.line, span.end.character)
    return start <= (position.line, position.character) <= end


def noqa_code_at(line: str, line_number: int, column: int) -> tuple[str, Range] | None:
    """The rule code under `column` inside the line's `# noqa:` comment, with its range."""
    match = NOQA_COMMENT.search(line)
    if match is None:
        return None
    codes_start = match.start(CODES)
    for code in CODE_PATTERN.finditer(line, codes_start, match.end(CODES)):
        if code.start() <= column <= code.end():
            span = Range(
                start=Position(line=line_number, character=code.start()),
                end=Position(line=line_number, character=code.end()),
            )
            return code.group(0).upper(), span
    return None


def _markdown(code: str) -> str | None:
    rule = default_registry().get(code)
    return render_rule(rule) if rule is not None else None


def hover_contents(server: StandardsServer, markdown: str) -> types.MarkupContent:
    """Documentation in the format the client asked for: the first of its `contentFormat`
    this server can write (markdown is also valid plain text), markdown when it says none."""
    text_document = server.client_capabilities.text_document
    hover_capability = text_document.hover if text_document else None
    formats = (hover_capability.content_format if hover_capability else None) or []
    for kind in formats:
        if kind in {types.MarkupKind.Markdown, types.MarkupKind.PlainText}:
            return types.MarkupContent(kind=types.MarkupKind(kind), value=markdown)
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)


type HoverProvider = Callable[[StandardsServer, types.HoverParams], types.Hover | None]


def register(server: StandardsServer, hover_first: Sequence[HoverProvider] = ()) -> None:
    """Install the hover handler; `hover_first` are other features' hovers, asked in order
    before the rules' documentation."""

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        for provider in hover_first:
            answer = provider(server, params)
            if answer is not None:
                return answer
        return await rule_hover(server, params)


async def rule_hover(server: StandardsServer, params: types.HoverParams) -> types.Hover | None:
    """The documentation of the rule under the cursor: a code in `# noqa:` or a finding."""
    result = await server.scheduler.result_for(params.text_document.uri)
    if result is None:
        return None
    lines = result.lines
    position = server_position(params.position, lines, server.codec)
    found: tuple[str, Range] | None = None
    if 0 <= position.line < len(lines):
        line = strip_line_break(lines[position.line])
        found = noqa_code_at(line, position.line, position.character)
    if found is None:
        for finding in result.analysis.findings:
            if _contains(finding.range, position) and _markdown(finding.code):
                found = (finding.code, finding.range)
                break
    if found is None:
        return None
    markdown = _markdown(found[0])
    if markdown is None:
        return None
    return types.Hover(
        contents=hover_contents(server, markdown),
        range=client_range(found[1], lines, server.codec),
    )
