"""Driving the real server process over stdio with pytest-lsp: the recording client, its
configuration, and the helpers the integration tests share (open, change, wait, apply)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import register_lsp_features

from server.result_cache import NO_CACHE_VARIABLE
from tests.support.paths import TEST_PLUGINS

TEST_RULES = "standards_test_rules"
WAIT_LIMIT = 30.0  # seconds: a hang guard, never a timing assertion
POLL = 0.01


def server_environment() -> dict[str, str]:
    """The environment of the server under test: the test-only rules loaded, the result cache
    on even where the caller's environment turns it off (each test's project is a fresh
    directory, so no test sees another's entries)."""
    python_path = os.pathsep.join(filter(None, [str(TEST_PLUGINS), os.environ.get("PYTHONPATH")]))
    environment = {k: v for k, v in os.environ.items() if k != NO_CACHE_VARIABLE}
    return {**environment, "STANDARDS_LSP_TEST_PLUGINS": TEST_RULES, "PYTHONPATH": python_path}


class RecordingClient(LanguageClient):
    """A pytest-lsp client that also keeps every publishDiagnostics (with its version) and every
    capability the server registers."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.registrations: list[types.Registration] = []


def make_client() -> RecordingClient:
    """The client the fixtures start."""
    client = RecordingClient()
    register_lsp_features(client)
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: types.PublishDiagnosticsParams) -> None:
        client.published.setdefault(params.uri, []).append(params)
        original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "server.cli.main", "serve"],
    server_env=server_environment(),
    client_factory=make_client,
)


def capabilities(
    *,
    pull: bool = False,
    encodings: list[str] | None = None,
    resolve: bool = True,
    document_changes: bool = True,
    notebooks: bool = False,
) -> types.ClientCapabilities:
    """Client capabilities for the variants the tests need."""
    text_document = types.TextDocumentClientCapabilities(
        diagnostic=types.DiagnosticClientCapabilities() if pull else None,
        code_action=types.CodeActionClientCapabilities(
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])
            if resolve
            else None,
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[kind.value for kind in types.CodeActionKind]
                )
            ),
        ),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
    )
    workspace = types.WorkspaceClientCapabilities(
        configuration=True,
        did_change_configuration=types.DidChangeConfigurationClientCapabilities(
            dynamic_registration=True
        ),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True
        ),
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=document_changes,
            resource_operations=[
                types.ResourceOperationKind.Create,
                types.ResourceOperationKind.Rename,
            ]
            if document_changes
            else None,
        ),
        diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
    )
    general = types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    notebook_document = (
        types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities()
        )
        if notebooks
        else None
    )
    return types.ClientCapabilities(
        text_document=text_document,
        workspace=workspace,
        general=general,
        notebook_document=notebook_document,
    )


async def initialize(
    client: LanguageClient,
    root: Path,
    *,
    options: dict[str, Any] | None = None,
    **capability_options: Any,
) -> types.InitializeResult:
    """Initialize the session with one workspace folder."""
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(**capability_options),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options,
        )
    )


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    """Open a document (the file is written too, for rules that look at the disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def change_document(
    client: LanguageClient, uri: str, version: int, edits: list[tuple[types.Range | None, str]]
) -> None:
    """Send one didChange with incremental (range) or full (None) changes."""
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(range=where, text=text)
        if where is not None
        else types.TextDocumentContentChangeWholeDocument(text=text)
        for where, text in edits
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=changes,
        )
    )


def span(line: int, character: int, end_line: int, end_character: int) -> types.Range:
    """An LSP range."""
    return types.Range(
        start=types.Position(line=line, character=character),
        end=types.Position(line=end_line, character=end_character),
    )


async def eventually[T](probe: Callable[[], T | None], limit: float = WAIT_LIMIT) -> T:
    """Poll until `probe` returns something (a hang guard, not a timing assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        value = probe()
        if value is not None:
            return value
        if loop.time() > deadline:
            raise AssertionError("the server never answered as expected")
        await asyncio.sleep(POLL)


async def diagnostics_for(
    client: RecordingClient, uri: str, version: int, limit: float = WAIT_LIMIT
) -> list[types.Diagnostic]:
    """The pushed diagnostics of exactly `version` of a document (waiting for them)."""

    def probe() -> list[types.Diagnostic] | None:
        for params in reversed(client.published.get(uri, [])):
            if params.version == version:
                return list(params.diagnostics)
        return None

    return await eventually(probe, limit)


def codes(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    """The codes of some diagnostics, in order."""
    return [str(diagnostic.code) for diagnostic in diagnostics]


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with LSP edits applied (the tests' texts are ASCII: UTF-16 columns are code points)."""
    from rules.fixes import apply_edits
    from rules.models import Position, Range, TextEdit

    def position(where: types.Position) -> Position:
        return Position(line=where.line, character=where.character)

    engine_edits = [
        TextEdit(
            range=Range(start=position(e.range.start), end=position(e.range.end)),
            new_text=e.new_text,
        )
        for e in edits
    ]
    return apply_edits(text, engine_edits)


def edits_of(edit: types.WorkspaceEdit | None, uri: str) -> list[types.TextEdit]:
    """The text edits a workspace edit makes to one document (either form)."""
    assert edit is not None
    if edit.changes is not None:
        return list(edit.changes[uri])
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found


def titled(actions: list[types.CodeAction], title: str) -> types.CodeAction:
    """The first action whose title begins with `title` (the test fails listing the titles)."""
    matching = [action for action in actions if action.title.startswith(title)]
    assert matching, [action.title for action in actions]
    return matching[0]


async def apply_action(
    client: RecordingClient, uri: str, text: str, action: types.CodeAction, version: int
) -> tuple[str, list[str]]:
    """Resolve `action` if it has no edit, apply it as an editor would, send the new text as
    `version`, and return the text and the codes diagnosed for it."""
    resolved = action if action.edit else await client.code_action_resolve_async(action)
    new_text = apply_text_edits(text, edits_of(resolved.edit, uri))
    change_document(client, uri, version, [(None, new_text)])
    return new_text, codes(await diagnostics_for(client, uri, version))


async def code_actions(
    client: RecordingClient, uri: str, where: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    """The code actions the server offers at `where` (commands left out), optionally by kind."""
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [action for action in result or [] if isinstance(action, types.CodeAction)]
