"""The server keeps answering: a rule that raises, cancellation, huge and hostile input."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from tests.support.lsp import (
    RecordingClient,
    change_document,
    codes,
    diagnostics_for,
    eventually,
    initialize,
    open_document,
    span,
)

BIG_LINES = 50_000
CANCELLED_LINES = 5_000
HUGE_WAIT_LIMIT = 300.0  # a hang guard for a fresh check of 50,000 statements on a busy machine
LONG_LINE_LENGTH = 100_000
GARBAGE_SIZE = 20_000
SEED = 7


async def _still_answers(client: RecordingClient, uri: str) -> None:
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=0),
        )
    )
    assert hover is None or isinstance(hover, types.Hover)


async def test_a_crashing_rule_is_logged_and_the_others_still_report(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", "boom = 1\nprint(boom)\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD990"]
    message = await eventually(
        lambda: next((m for m in client.log_messages if "STD999" in m.message), None)
    )
    assert message.type == types.MessageType.Error
    assert "this rule always fails on boom" in message.message


async def test_cancelled_request_is_answered_as_cancelled(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    # the test plugin's slow rule keeps the analysis busy until the cancel has arrived
    text = "x = 1\n" * CANCELLED_LINES + "print(legacy)\ntake_your_time = 1\n"
    uri = open_document(client, project / "big.py", text)
    request_id = "cancel-me"
    pending = asyncio.ensure_future(
        client.protocol.send_request_async(
            types.TEXT_DOCUMENT_DIAGNOSTIC,
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)),
            msg_id=request_id,
        )
    )
    await asyncio.sleep(0)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=request_id))
    with pytest.raises(JsonRpcRequestCancelled):
        await pending
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD990", "STD991"]


async def test_huge_inputs_get_an_answer(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    big = "\n".join(f"value_{index} = {index}" for index in range(BIG_LINES)) + "\nprint(1)\n"
    big_uri = open_document(client, project / "big.py", big)
    diagnostics = await diagnostics_for(client, big_uri, 1, HUGE_WAIT_LIMIT)
    assert diagnostics[-1].range.start.line == BIG_LINES
    long_line = f"text = '{'a' * LONG_LINE_LENGTH}'; print(legacy)\n"
    long_uri = open_document(client, project / "long.py", long_line)
    assert codes(await diagnostics_for(client, long_uri, 1)) == ["STD990", "STD991"]
    garbage = random.Random(SEED).randbytes(GARBAGE_SIZE).decode("latin-1")  # noqa: S311
    garbage_uri = open_document(client, project / "garbage.py", garbage)
    found = await diagnostics_for(client, garbage_uri, 1)
    assert all(diagnostic.source == "standards" for diagnostic in found)
    await _still_answers(client, big_uri)


async def test_out_of_range_edits_are_clamped(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", "x = 1\n")
    await diagnostics_for(client, uri, 1)
    change_document(client, uri, 2, [(span(1_000, 5, 1_000, 9), "print(legacy)\n")])
    diagnostics = await diagnostics_for(client, uri, 2)
    assert codes(diagnostics) == ["STD990", "STD991"]
    assert diagnostics[0].range == span(1, 0, 1, 5)  # appended at the end
    change_document(client, uri, 3, [(span(0, 500, 0, 900), " + 2")])  # past the line's end
    change_document(client, uri, 4, [(span(1, 9, 0, 0), "")])  # end before start
    assert codes(await diagnostics_for(client, uri, 4)) == ["STD990", "STD991"]
    await _still_answers(client, uri)
