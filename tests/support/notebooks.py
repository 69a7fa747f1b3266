"""Notebooks over LSP for the integration tests: opening one (its cells as VS Code names them),
editing a cell, restructuring, and waiting for a cell's latest diagnostics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.support.lsp import RecordingClient, eventually

NOTEBOOK_TYPE = "jupyter-notebook"
CELL_SCHEME = "vscode-notebook-cell"
MARKDOWN = "markdown"


def cell_uri(path: Path, number: int) -> str:
    """A cell's URI as VS Code makes it: the notebook's path, the cell in the fragment."""
    return f"{CELL_SCHEME}:{path.as_posix()}#C{number}"


def cell_item(uri: str, text: str, version: int = 1) -> types.TextDocumentItem:
    """A code cell's text document."""
    return types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)


def code_cell(uri: str) -> types.NotebookCell:
    """A code cell of the notebook's cell array."""
    return types.NotebookCell(kind=types.NotebookCellKind.Code, document=uri)


def open_notebook(
    client: LanguageClient, path: Path, cells: Sequence[tuple[str, str]], version: int = 1
) -> tuple[str, list[str]]:
    """Open a notebook of (language, text) cells ("markdown" for a Markdown cell, which gets no
    text document, as VS Code syncs only the selected cells); its URI and its cells' URIs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")  # only its name matters: the server reads the editor's cells
    uris = [cell_uri(path, number) for number in range(len(cells))]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=path.as_uri(),
                notebook_type=NOTEBOOK_TYPE,
                version=version,
                cells=[
                    types.NotebookCell(
                        kind=types.NotebookCellKind.Markup
                        if language == MARKDOWN
                        else types.NotebookCellKind.Code,
                        document=uri,
                    )
                    for uri, (language, _) in zip(uris, cells, strict=True)
                ],
            ),
            cell_text_documents=[
                cell_item(uri, text)
                for uri, (language, text) in zip(uris, cells, strict=True)
                if language != MARKDOWN
            ],
        )
    )
    return path.as_uri(), uris


def change_notebook(
    client: LanguageClient,
    notebook: str,
    version: int,
    change: types.NotebookDocumentCellChanges | None = None,
) -> None:
    """Send one notebookDocument/didChange."""
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=notebook, version=version
            ),
            change=types.NotebookDocumentChangeEvent(cells=change),
        )
    )


def edit_cell(
    client: LanguageClient,
    notebook: str,
    version: int,
    cell: str,
    cell_version: int,
    edits: list[tuple[types.Range | None, str]],
) -> None:
    """Edit one cell's text (ranges, or None for its whole text) as the notebook's `version`."""
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(range=where, text=text)
        if where is not None
        else types.TextDocumentContentChangeWholeDocument(text=text)
        for where, text in edits
    ]
    content = types.NotebookDocumentCellContentChanges(
        document=types.VersionedTextDocumentIdentifier(uri=cell, version=cell_version),
        changes=changes,
    )
    change_notebook(
        client, notebook, version, types.NotebookDocumentCellChanges(text_content=[content])
    )


def close_notebook(client: LanguageClient, notebook: str, cells: list[str]) -> None:
    """Close a notebook and its cells."""
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook),
            cell_text_documents=[types.TextDocumentIdentifier(uri=uri) for uri in cells],
        )
    )


def published_count(client: RecordingClient, uri: str) -> int:
    """How many times diagnostics were published for `uri`."""
    return len(client.published.get(uri, []))


async def cell_diagnostics(
    client: RecordingClient, uri: str, after: int = 0
) -> list[types.Diagnostic]:
    """The diagnostics of a cell's latest publication past the first `after` ones (waiting)."""

    def probe() -> list[types.Diagnostic] | None:
        published = client.published.get(uri, [])
        return list(published[-1].diagnostics) if len(published) > after else None

    return await eventually(probe)
