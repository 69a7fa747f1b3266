"""What a whole-project refactoring (a fix with `other_files`) needs from the server: the project
root and the open documents' texts going in, and one `WorkspaceEdit` across files coming out.

The open documents are taken on the event loop (a snapshot: path, URI, version, text, lines) so
the analysis thread reads texts that match the versions the edit names. Each file's edit is a
`TextDocumentEdit` whose `OptionalVersionedTextDocumentIdentifier` carries the open document's
version (the client refuses it if the document moved on) or null for a file only on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path

from rules.models import FileEdits, TextEdit
from server.documents import lsp_lines
from server.notebook_documents import NotebookDocument
from server.rendering import client_range

if TYPE_CHECKING:
    from server.language_server import StandardsServer
    from server.results import AnalysisResult


class OpenDocument:
    """One open document as it was when a fix was asked for."""

    def __init__(self, uri: str, version: int, text: str, lines: list[str]) -> None:
        self.uri = uri
        self.version = version
        self.text = text
        self.lines = lines


type OpenDocuments = dict[str, OpenDocument]  # by absolute path


def open_documents(server: StandardsServer, own_uri: str) -> OpenDocuments:
    """Every open document on disk but the fix's own, by path (on the event loop); notebooks
    are left out: their text is the module of their cells, not the file's JSON."""
    return {
        document.path: OpenDocument(
            document.uri, document.version, document.text, list(document.lines)
        )
        for document in server.documents.all()
        if document.path is not None
        and document.uri != own_uri
        and not isinstance(document, NotebookDocument)
    }


def open_texts(opened: OpenDocuments) -> dict[str, str]:
    """What a `FixRequest` or `RefactorRequest` reads instead of the disk."""
    return {path: document.text for path, document in opened.items()}


def project_root(server: StandardsServer, result: AnalysisResult) -> str | None:
    """The root whose files a refactoring reads: the document's project, else the workspace
    folder holding it, else the first workspace folder."""
    if result.root is not None:
        return result.root
    folders = server.configuration.folders
    if result.path is not None:
        path = Path(result.path)
        for folder in folders:
            if path.is_relative_to(folder):
                return folder
    return folders[0] if folders else None


def _lines_of(path: str) -> list[str] | None:
    try:
        return lsp_lines(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _lsp_edits(
    server: StandardsServer, lines: list[str], edits: list[TextEdit]
) -> list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit]:
    return [
        types.TextEdit(range=client_range(e.range, lines, server.codec), new_text=e.new_text)
        for e in edits
    ]


def other_file_changes(
    server: StandardsServer, others: list[FileEdits], opened: OpenDocuments
) -> list[types.TextDocumentEdit] | None:
    """The edits of the other files, versioned for open documents and null for files on disk
    (None when a file on disk can no longer be read: the edit would be built blind)."""
    changes: list[types.TextDocumentEdit] = []
    for other in others:
        document = opened.get(other.path)
        if document is not None:
            uri, version, lines = document.uri, document.version, document.lines
        else:
            read = _lines_of(other.path)
            if read is None:
                return None
            uri, version, lines = from_fs_path(other.path) or other.path, None, read
        changes.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=version
                ),
                edits=_lsp_edits(server, lines, other.edits),
            )
        )
    return changes


def unversioned_changes(
    changes: list[types.TextDocumentEdit],
) -> dict[str, list[types.TextEdit]]:
    """The same edits as plain `changes` (a client without `documentChanges`)."""
    return {
        change.text_document.uri: [e for e in change.edits if isinstance(e, types.TextEdit)]
        for change in changes
    }
