"""Configuration without restart: initializationOptions, didChangeConfiguration (pushed and
pulled settings), watched configuration files, multi-root workspaces, `untitled:` buffers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.support.lsp import (
    RecordingClient,
    capabilities,
    codes,
    diagnostics_for,
    eventually,
    initialize,
    open_document,
)

SOURCE = "import openai\nprint(legacy)\n"
# enough functions that an analysis takes a while, so a request can arrive while one runs
SLOW_TO_ANALYSE = "".join(
    f"\n\ndef fee_{n}(amount: int) -> int:\n    return amount * {n + 7}\n" for n in range(3000)
)
PULL_DELAY_SECONDS = 0.1
PROTOTYPE = '[standards]\nruleset = "python-prototype"\n'


def _latest_codes(client: RecordingClient, uri: str, expected: list[str]) -> bool | None:
    published = client.published.get(uri, [])
    return True if published and codes(list(published[-1].diagnostics)) == expected else None


async def test_initialization_options_override_tier_and_selection(
    client: RecordingClient, project: Path
) -> None:
    await initialize(
        client, project, options={"select": ["STD302", "STD990"], "ignore": ["STD990"]}
    )
    uri = open_document(client, project / "app.py", SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD302"]


async def test_did_change_configuration_with_and_without_settings(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD302", "STD990", "STD991"]
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"standardsLsp": {"ignore": ["STD302"]}})
    )
    await eventually(lambda: _latest_codes(client, uri, ["STD990", "STD991"]))
    # no settings in the notification: the server asks with workspace/configuration
    client.set_configuration({"tier": "prototype"}, section="standardsLsp")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await eventually(lambda: _latest_codes(client, uri, []))


async def test_watched_configuration_files_recheck_open_documents(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    registrations = client.registrations
    watcher = await eventually(
        lambda: next(
            (r for r in registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES),
            None,
        )
    )
    options = watcher.register_options
    assert isinstance(options, dict)
    patterns = {w["globPattern"] for w in options["watchers"]}
    assert patterns == {"**/standards.toml", "**/pyproject.toml", "**/.python-version"}
    uri = open_document(client, project / "app.py", SOURCE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD302", "STD990", "STD991"]
    (project / "standards.toml").write_text(PROTOTYPE)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(project / "standards.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    await eventually(lambda: _latest_codes(client, uri, []))


async def test_each_root_of_a_multi_root_workspace_uses_its_own_configuration(
    client: RecordingClient, tmp_path: Path
) -> None:
    strict, loose = tmp_path / "strict", tmp_path / "loose"
    strict.mkdir()
    loose.mkdir()
    (strict / "standards.toml").write_text('[standards]\nruleset = "python-production"\n')
    (loose / "standards.toml").write_text(PROTOTYPE)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            workspace_folders=[
                types.WorkspaceFolder(uri=strict.as_uri(), name="strict"),
                types.WorkspaceFolder(uri=loose.as_uri(), name="loose"),
            ],
        )
    )
    strict_uri = open_document(client, strict / "app.py", SOURCE)
    loose_uri = open_document(client, loose / "app.py", SOURCE)
    assert codes(await diagnostics_for(client, strict_uri, 1)) == ["STD302", "STD990", "STD991"]
    assert codes(await diagnostics_for(client, loose_uri, 1)) == []


async def test_untitled_buffers_are_python_with_the_first_folders_settings(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = "untitled:Untitled-1"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=SOURCE
            )
        )
    )
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["STD302", "STD990", "STD991"]
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error  # the folder's production tier


async def test_configuration_files_are_diagnosed_too(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    path = project / "pyproject.toml"
    text = '[project]\nname = "demo"\n\n[tool.standards-lsp]\nselect = "STD302"\nbogus = 1\n'
    uri = path.as_uri()
    path.write_text(text)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
        )
    )
    # whatever the project-file rules find, the server answers for a non-Python document
    diagnostics = await diagnostics_for(client, uri, 1)
    assert all(diagnostic.source == "standards" for diagnostic in diagnostics)


async def _pull(client: RecordingClient, uri: str, previous: str | None = None) -> object:
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous
        )
    )


async def test_a_pull_during_the_reanalysis_waits_for_the_new_settings(
    client: RecordingClient, project: Path
) -> None:
    """VS Code pulls as soon as the refresh comes, while the document is analysed again under
    the new settings: the answer is the new analysis, never "unchanged" from the old one."""
    await initialize(client, project, pull=True)
    uri = open_document(client, project / "app.py", SOURCE + SLOW_TO_ANALYSE)
    first = await _pull(client, uri)
    assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
    assert first.items
    client.set_configuration({"tier": "prototype"}, section="standardsLsp")
    client.set_configuration(
        {"tier": "prototype"}, section="standardsLsp", scope_uri=project.as_uri()
    )
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"standardsLsp": {"tier": "prototype"}})
    )
    await asyncio.sleep(PULL_DELAY_SECONDS)  # the refresh's round trip: the analysis has begun
    after = await _pull(client, uri, first.result_id)
    assert isinstance(after, types.RelatedFullDocumentDiagnosticReport)
    assert list(after.items) == []
