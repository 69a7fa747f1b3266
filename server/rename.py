"""`textDocument/prepareRename` and `textDocument/rename` for module-level constants.

The logic lives in `rules.checks.constants.rename` (pure); this module only converts positions between the
client's encoding and code points (in a notebook cell: to and from its notebook's module, so a
constant renames in every cell using it) and turns a refused rename into an LSP `RequestFailed` error
carrying the reason, which editors show to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from rules.checks.constants.rename import RenameError, prepare_rename, rename
from rules.models import TextEdit
from rules.notebooks import NotebookError
from server.child import in_child
from server.documents import lsp_lines
from server.notebook_documents import NotebookLayout, notebook_of
from server.rendering import client_range, server_position

if TYPE_CHECKING:
    from server.language_server import StandardsServer

# LSP 3.17: a request that is valid but could not be carried out.
REQUEST_FAILED = -32803


class RenameRefusedError(JsonRpcException):
    """A rename the server refuses (invalid or colliding name, nothing renamable there)."""

    CODE = REQUEST_FAILED
    MESSAGE = "Rename refused"


# Above this many characters a whole-module parse runs in a child process (`server.child`):
# `ast.parse` holds the interpreter lock for all of its run (12 s on a 5 MB file, measured), so
# even on the analysis thread it stopped the event loop and every other request; below it
# (~0.6 s at most) the analysis thread does, sparing the process start.
LARGE_TEXT_CHARACTERS = 256_000


async def _parsing_whole[**P, T](
    server: StandardsServer, text: str, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run `work` (which parses all of `text`) where it blocks nothing the server must do."""
    call = partial(work, *args, **kwargs)
    if len(text) < LARGE_TEXT_CHARACTERS:
        return await server.scheduler.run_in_thread(call)
    return await in_child(call)


def register(server: StandardsServer) -> None:
    """Install the rename handlers (`prepareProvider`: the client asks before renaming)."""

    # Both parse the whole module, from the text as it was when asked: off the event loop,
    # and for a big text off the interpreter lock too (`_parsing_whole`).

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare(params: types.PrepareRenameParams) -> types.PrepareRenameResult | None:
        target = _target(server, params.text_document.uri)
        if target is None:
            return None
        position = server_position(target.in_module(params.position), target.lines, server.codec)
        where = await _parsing_whole(server, target.text, prepare_rename, target.text, position)
        if where is None:
            return None
        return target.in_cell(client_range(where, target.lines, server.codec))

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    async def rename_constant(params: types.RenameParams) -> types.WorkspaceEdit | None:
        uri = params.text_document.uri
        target = _target(server, uri)
        if target is None:
            return None
        text, lines = target.text, target.lines
        position = server_position(target.in_module(params.position), lines, server.codec)
        try:
            edits = await _parsing_whole(server, text, rename, text, position, params.new_name)
        except RenameError as refused:
            raise RenameRefusedError(str(refused)) from refused
        if target.notebook is not None:
            return _cell_changes(server, target.notebook, edits)
        return types.WorkspaceEdit(
            changes={
                uri: [
                    types.TextEdit(
                        range=client_range(edit.range, lines, server.codec),
                        new_text=edit.new_text,
                    )
                    for edit in edits
                ]
            }
        )


class _Target:
    """The text a rename parses: a document's, or for a notebook cell its notebook's module
    (the cell's positions shifted by the lines above it there; the columns stand)."""

    def __init__(
        self,
        text: str,
        notebook: NotebookLayout | None = None,
        shift: int = 0,
        lines: list[str] | None = None,
    ) -> None:
        self.text = text
        # a document's own lines, copied (edits change them in place), save splitting it again:
        # 30 ms on the event loop for a 5 MB text
        self.lines = list(lines) if lines is not None else lsp_lines(text)
        self.notebook = notebook
        self.shift = shift

    def in_module(self, position: types.Position) -> types.Position:
        return types.Position(line=position.line + self.shift, character=position.character)

    def in_cell(self, span: types.Range) -> types.Range:
        return types.Range(
            start=types.Position(line=span.start.line - self.shift, character=span.start.character),
            end=types.Position(line=span.end.line - self.shift, character=span.end.character),
        )


def _target(server: StandardsServer, uri: str) -> _Target | None:
    document = server.documents.get(uri)
    if document is not None:
        return _Target(document.text, lines=document.lines)
    notebook = notebook_of(server.documents, uri)
    if notebook is None:
        return None
    layout = notebook.layout()
    cell = layout.cell(uri)
    if cell is None:
        return None
    return _Target(notebook.text, layout, layout.first_line(cell))


def _cell_changes(
    server: StandardsServer, notebook: NotebookLayout, edits: list[TextEdit]
) -> types.WorkspaceEdit | None:
    """A rename in a notebook: the edits of each cell it changes (a constant is used across
    cells)."""
    try:
        changed = notebook.cell_edits(edits)
    except NotebookError:
        return None
    return types.WorkspaceEdit(
        changes={
            cell.cell.uri: [
                types.TextEdit(
                    range=client_range(edit.range, cell.cell.lines, server.codec),
                    new_text=edit.new_text,
                )
                for edit in cell.edits
            ]
            for cell in changed
        }
    )
