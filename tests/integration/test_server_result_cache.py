"""Opening a file whose findings the result cache holds, over a real server process: push and
pull clients get the diagnostics of a fresh check, code actions and edits still work (they wait
for the analysis), and a broken or planted entry never shows for long."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types

from rules.models import Finding, Position, Range
from tests.support.cli import CACHE_DIRECTORY, cache_entries
from tests.support.lsp import (
    RecordingClient,
    apply_action,
    change_document,
    code_actions,
    codes,
    diagnostics_for,
    eventually,
    initialize,
    open_document,
    span,
    titled,
)

SOURCE = "import openai\n\n\ndef main():\n    print(legacy)\n    print(2)\n"
EXPECTED_CODES = ["STD302", "STD990", "STD991", "STD990", "STD201"]
PLANTED_MESSAGE = "planted in the cache"
REOPENED = 7  # the version of the reopened document (any other than the first open's)

type Comparable = tuple[Any, ...]


def _comparable(diagnostics: Sequence[types.Diagnostic]) -> list[Comparable]:
    """Everything a client sees of each diagnostic."""
    return [
        (
            diagnostic.range,
            diagnostic.code,
            diagnostic.severity,
            diagnostic.source,
            diagnostic.message,
            diagnostic.code_description,
            diagnostic.data,
        )
        for diagnostic in diagnostics
    ]


async def _entry_written(project: Path) -> Path:
    """The one cache entry of the project, once the server has written it."""

    def probe() -> Path | None:
        entries = cache_entries(project / CACHE_DIRECTORY)
        return entries[0] if len(entries) == 1 else None

    return await eventually(probe)


def _close(client: RecordingClient, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def _publishes_of(client: RecordingClient, uri: str, version: int) -> int:
    return sum(1 for params in client.published.get(uri, []) if params.version == version)


async def _pull(client: RecordingClient, uri: str) -> types.RelatedFullDocumentDiagnosticReport:
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return report


async def test_a_push_client_reopening_a_cached_file_gets_the_fresh_diagnostics_once(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    path = project / "app.py"
    uri = open_document(client, path, SOURCE)
    fresh = await diagnostics_for(client, uri, 1)
    assert codes(fresh) == EXPECTED_CODES
    await _entry_written(project)
    _close(client, uri)
    open_document(client, path, SOURCE, version=REOPENED)
    reopened = await diagnostics_for(client, uri, REOPENED)
    assert _comparable(reopened) == _comparable(fresh)
    # code actions wait for the analysis of this very version, and its fixes work
    actions = await code_actions(client, uri, span(5, 4, 5, 4))
    fix = titled(actions, "Call log instead of print")
    assert _publishes_of(client, uri, REOPENED) == 1  # the analysis agreed: not sent again
    text, found = await apply_action(client, uri, SOURCE, fix, REOPENED + 1)
    assert "log(2)" in text
    assert found.count("STD990") == 1
    change_document(client, uri, REOPENED + 2, [(span(0, 0, 1, 0), "")])
    assert "STD302" not in codes(await diagnostics_for(client, uri, REOPENED + 2))


async def test_a_pull_client_reopening_a_cached_file_gets_the_fresh_diagnostics(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, pull=True)
    path = project / "app.py"
    uri = open_document(client, path, SOURCE)
    fresh = await _pull(client, uri)
    assert codes(fresh.items) == EXPECTED_CODES
    await _entry_written(project)
    _close(client, uri)
    open_document(client, path, SOURCE, version=REOPENED)
    reopened = await _pull(client, uri)
    assert reopened.result_id != fresh.result_id
    assert _comparable(reopened.items) == _comparable(fresh.items)
    actions = await code_actions(client, uri, span(5, 4, 5, 4))
    titled(actions, "Call log instead of print")
    # the analysis (done: code actions waited for it) agreed with the cache: nothing new to pull
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            previous_result_id=reopened.result_id,
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    change_document(client, uri, REOPENED + 1, [(span(0, 0, 1, 0), "")])
    edited = await _pull(client, uri)
    assert codes(edited.items) == EXPECTED_CODES[1:]  # the import is gone
    assert uri not in client.published  # nothing pushed to pullers, cached or not


async def _opened_once(
    client: RecordingClient, project: Path
) -> tuple[str, list[types.Diagnostic], Path]:
    """Open the source once and close it: its URI, its fresh diagnostics, its cache entry."""
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    fresh = await diagnostics_for(client, uri, 1)
    entry = await _entry_written(project)
    _close(client, uri)
    return uri, fresh, entry


async def test_a_corrupt_entry_gives_the_right_diagnostics(
    client: RecordingClient, project: Path
) -> None:
    uri, fresh, entry = await _opened_once(client, project)
    entry.write_bytes(b'[{"code": "STD3')  # a write cut short
    open_document(client, project / "app.py", SOURCE, version=REOPENED)
    assert _comparable(await diagnostics_for(client, uri, REOPENED)) == _comparable(fresh)


async def test_a_planted_entry_shows_at_once_and_the_analysis_corrects_it(
    client: RecordingClient, project: Path
) -> None:
    uri, fresh, entry = await _opened_once(client, project)
    origin = Position(line=0, character=0)
    planted = Finding(code="STD201", message=PLANTED_MESSAGE, range=Range(start=origin, end=origin))
    entry.write_text(f"[{planted.model_dump_json()}]", encoding="utf-8")
    open_document(client, project / "app.py", SOURCE, version=REOPENED)
    # the look-up comes before the analysis, so the entry is what is published first
    await eventually(lambda: True if _publishes_of(client, uri, REOPENED) > 1 else None)
    first, final = [params for params in client.published[uri] if params.version == REOPENED]
    assert [diagnostic.message for diagnostic in first.diagnostics] == [PLANTED_MESSAGE]
    assert _comparable(final.diagnostics) == _comparable(fresh)


async def test_saving_writes_the_saved_version_to_the_cache(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    path = project / "app.py"
    uri = open_document(client, path, SOURCE)
    await diagnostics_for(client, uri, 1)
    await _entry_written(project)
    edited = SOURCE.replace("print(2)", "print(3)")
    change_document(client, uri, 2, [(None, edited)])
    path.write_text(edited)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    saved = await diagnostics_for(client, uri, 2)
    await eventually(
        lambda: True if len(list((project / CACHE_DIRECTORY).glob("*.json"))) == 2 else None
    )
    _close(client, uri)
    open_document(client, path, edited, version=REOPENED)
    assert _comparable(await diagnostics_for(client, uri, REOPENED)) == _comparable(saved)
