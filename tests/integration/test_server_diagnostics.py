"""Push and pull diagnostics over a real server process: fields, versions, edits, close."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from rules.docs import rule_url
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

SOURCE = "import openai\n\n\ndef main():\n    print(legacy)\n"


async def test_pushed_diagnostics_carry_source_code_link_severity_and_data(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["STD302", "STD990", "STD991"]
    blocked = diagnostics[0]
    assert blocked.source == "standards"
    assert blocked.severity == types.DiagnosticSeverity.Error  # production tier
    assert blocked.code_description is not None
    assert blocked.code_description.href == rule_url("STD302")
    assert blocked.range == span(0, 7, 0, 13)
    fixable = diagnostics[1]
    assert fixable.range == span(4, 4, 4, 9)
    assert isinstance(fixable.data, dict)
    assert fixable.data["fix"] == {"title": "Call log instead of print", "safety": "safe"}
    assert set(fixable.data) == {"finding", "fix"}  # no version: unchanged findings render alike


async def test_edit_sequence_publishes_each_settled_version(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    change_document(client, uri, 2, [(span(0, 0, 1, 0), "")])  # drop the blocked import
    change_document(client, uri, 3, [(span(3, 10, 3, 16), "value")])  # legacy -> value
    diagnostics = await diagnostics_for(client, uri, 3)
    assert codes(diagnostics) == ["STD990"]
    assert diagnostics[0].range == span(3, 4, 3, 9)
    change_document(client, uri, 4, [(None, "import anthropic\n")])  # a full-text change
    assert codes(await diagnostics_for(client, uri, 4)) == ["STD302"]


async def test_closing_a_document_clears_its_diagnostics(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    published = client.published[uri]
    await eventually(lambda: True if len(published) > 1 else None)
    assert list(published[-1].diagnostics) == []


async def test_syntax_error_mid_edit_keeps_the_other_findings(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    text = "import openai\n\n\ndef a():\n    print(1)\n\n\ndef b():\n    return legacy\n"
    uri = open_document(client, project / "app.py", text)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD302", "STD990", "STD991"]
    change_document(client, uri, 2, [(span(4, 12, 4, 12), "(")])  # print(1( : half-typed
    diagnostics = await diagnostics_for(client, uri, 2)
    assert "syntax-error" in codes(diagnostics)
    assert {"STD302", "STD991"} <= set(codes(diagnostics))
    change_document(client, uri, 3, [(span(4, 12, 4, 13), "")])  # fixed again
    assert codes(await diagnostics_for(client, uri, 3)) == ["STD302", "STD990", "STD991"]


async def test_pull_client_gets_full_then_unchanged_reports_and_full_after_reopen(
    client: RecordingClient, project: Path
) -> None:
    result = await initialize(client, project, pull=True)
    assert result.capabilities.diagnostic_provider is not None
    uri = open_document(client, project / "app.py", SOURCE)
    identifier = types.TextDocumentIdentifier(uri=uri)
    first = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier)
    )
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    assert codes(first.items) == ["STD302", "STD990", "STD991"]
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier, previous_result_id=first.result_id)
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert uri not in client.published  # nothing pushed to pullers
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=identifier))
    open_document(client, project / "app.py", SOURCE)
    reopened = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier, previous_result_id=first.result_id)
    )
    assert isinstance(reopened, types.RelatedFullDocumentDiagnosticReport)
    assert codes(reopened.items) == ["STD302", "STD990", "STD991"]


async def test_pull_after_an_edit_that_changes_no_diagnostic_is_unchanged(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, pull=True)
    uri = open_document(client, project / "app.py", SOURCE)
    identifier = types.TextDocumentIdentifier(uri=uri)
    first = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier)
    )
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    change_document(client, uri, 2, [(span(3, 8, 3, 8), "s")])  # def mains(): same findings
    same = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier, previous_result_id=first.result_id)
    )
    assert isinstance(same, types.RelatedUnchangedDocumentDiagnosticReport)
    assert same.result_id == first.result_id
    change_document(client, uri, 3, [(span(0, 0, 1, 0), "")])  # drop the blocked import
    changed = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=identifier, previous_result_id=first.result_id)
    )
    assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
    assert changed.result_id != first.result_id
    assert codes(changed.items) == ["STD990", "STD991"]
