"""A huge document is analysed where it blocks nothing: another document's hover, code actions
and diagnostics are answered while it is still being analysed, and its own diagnostics and
fixes are those of a fresh check (issue 13)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from server.scheduling import HUGE_TEXT_CHARACTERS
from tests.support.lsp import (
    WAIT_LIMIT,
    RecordingClient,
    code_actions,
    codes,
    diagnostics_for,
    initialize,
    open_document,
    span,
)

HUGE_WAIT_LIMIT = 300.0  # a hang guard for a fresh check of the huge document on a busy machine
PADDING_LINE = "# " + "padding " * 12 + "\n"


def _huge_text(gate: Path) -> str:
    """A text of more than `HUGE_TEXT_CHARACTERS` (cheap to check: comments) whose analysis
    waits for `gate` (the test plugin's STD997), with a `print` to find at its end."""
    head = f"value = 1  # wait_for_gate {gate}\n"
    padding = PADDING_LINE * (HUGE_TEXT_CHARACTERS // len(PADDING_LINE) + 1)
    return head + padding + "print(value)\n"


async def test_other_documents_are_answered_while_a_huge_one_is_analysed(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    small = open_document(client, project / "small.py", "print(1)\n")
    assert codes(await diagnostics_for(client, small, 1)) == ["STD990"]
    gate = project / "gate"
    text = _huge_text(gate)
    huge = open_document(client, project / "huge.py", text)
    # the huge document's analysis waits for the gate: every answer below comes while it runs
    # (each under a hang guard: queued behind the huge analysis, they waited for the gate)
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=small),
                position=types.Position(line=0, character=1),
            )
        ),
        WAIT_LIMIT,
    )
    assert hover is not None
    actions = await asyncio.wait_for(code_actions(client, small, span(0, 0, 0, 5)), WAIT_LIMIT)
    assert "Call log instead of print" in [action.title for action in actions]
    report = await asyncio.wait_for(
        client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=small))
        ),
        WAIT_LIMIT,
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert codes(report.items) == ["STD990"]
    assert huge not in client.published  # still being analysed
    gate.touch()
    found = await diagnostics_for(client, huge, 1, HUGE_WAIT_LIMIT)
    last_line = text.count("\n") - 1
    assert [(d.code, d.range.start.line) for d in found] == [("STD990", last_line)]
    fixes = await code_actions(client, huge, span(last_line, 0, last_line, 5))
    assert "Call log instead of print" in [action.title for action in fixes]
