"""Notebook document sync (`notebookDocument/didOpen`, `didChange`, `didSave`, `didClose`) for
Jupyter notebooks with Python cells.

An open notebook is one `server.notebook_documents.NotebookDocument` in the server's document
store, analysed by the scheduler like a file; its diagnostics are published (or pulled) per cell
(`server.diagnostics`) and its code actions are asked for and applied per cell
(`server.code_actions`). A change that leaves the module as it was (an execution summary, cell or
notebook metadata) starts no analysis.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from server.documents import Document
from server.notebook_documents import NotebookCell, NotebookDocument
from server.rendering import server_range
from server.results import AnalysisResult
from server.workspace import supports_refresh

if TYPE_CHECKING:
    from server.language_server import StandardsServer

logger = logging.getLogger(__name__)


def _cells(cells: Sequence[types.NotebookCell]) -> list[NotebookCell]:
    return [NotebookCell(cell.document, cell.kind == types.NotebookCellKind.Code) for cell in cells]


def _cell_document(item: types.TextDocumentItem) -> Document:
    return Document(item.uri, item.text, item.version, item.language_id)


def _what_it_checks(notebook: NotebookDocument) -> tuple[str, tuple[tuple[str, int], ...]]:
    """What a change must alter to need a new analysis: the module text and the code cells'
    URIs and versions (diagnostics go to the URIs, edits name the versions)."""
    return notebook.module.text, tuple((cell.uri, cell.version) for cell in notebook.layout().cells)


class NotebookSync:
    """The notebook sync handlers, on the server's document store and scheduler."""

    def __init__(self, server: StandardsServer) -> None:
        self.server = server
        # each open notebook's last result id, to see when its diagnostics change
        self.result_ids: dict[str, str] = {}

    def opened(self, params: types.DidOpenNotebookDocumentParams) -> None:
        item = params.notebook_document
        notebook = NotebookDocument(item.uri, item.version)
        notebook.cells = _cells(item.cells)
        for cell in params.cell_text_documents:
            notebook.cell_documents[cell.uri] = _cell_document(cell)
        notebook.rebuild()
        self.server.scheduler.forget(item.uri)  # a reopen starts afresh
        self.server.documents.open(notebook)
        self.server.scheduler.schedule(item.uri, opened=True)

    def changed(self, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        notebook = self.server.documents.get(uri)
        if not isinstance(notebook, NotebookDocument):
            logger.warning("change of a notebook that is not open: %s", uri)
            return
        before = _what_it_checks(notebook)
        closed: list[str] = []
        cells = params.change.cells
        if cells is not None:
            if cells.structure is not None:
                closed = self._restructure(notebook, cells.structure)
            for data in cells.data or []:
                self._retype(notebook, data)
            for content in cells.text_content or []:
                self._edit_cell(notebook, content)
        notebook.rebuild()
        self._clear(closed)
        if _what_it_checks(notebook) == before:
            return  # metadata or execution summaries: the module is as it was
        # The document's version names this text among the server's own (code actions carry
        # it): VS Code sends each cell of one edit in a change of its own, under one notebook
        # version, so the client's cannot tell those texts apart.
        notebook.version = max(params.notebook_document.version, notebook.version + 1)
        self.server.scheduler.schedule(uri)

    def _restructure(
        self, notebook: NotebookDocument, structure: types.NotebookDocumentCellChangeStructure
    ) -> list[str]:
        """Apply a change of the cell array; the URIs of the cells it closed."""
        array = structure.array
        notebook.cells[array.start : array.start + array.delete_count] = _cells(array.cells or [])
        for item in structure.did_open or []:
            notebook.cell_documents[item.uri] = _cell_document(item)
        closed = [identifier.uri for identifier in structure.did_close or []]
        for cell_uri in closed:
            notebook.cell_documents.pop(cell_uri, None)
        return closed

    @staticmethod
    def _retype(notebook: NotebookDocument, data: types.NotebookCell) -> None:
        """A cell's kind may change (code to Markdown); its metadata is not the server's."""
        for cell in notebook.cells:
            if cell.uri == data.document:
                cell.code = data.kind == types.NotebookCellKind.Code

    def _edit_cell(
        self, notebook: NotebookDocument, content: types.NotebookDocumentCellContentChanges
    ) -> None:
        document = notebook.cell_documents.get(content.document.uri)
        if document is None:
            logger.warning("change of a cell that is not open: %s", content.document.uri)
            return
        for change in content.changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                where = server_range(change.range, document.lines, self.server.codec)
                document.apply_edit(where, change.text)
            else:
                document.replace_all(change.text, document.version)
        document.version = content.document.version

    def closed(self, params: types.DidCloseNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        notebook = self.server.documents.close(uri)
        self.server.scheduler.forget(uri)
        self.server.configuration.forget(uri)
        self.result_ids.pop(uri, None)
        cells = [identifier.uri for identifier in params.cell_text_documents]
        if isinstance(notebook, NotebookDocument):
            cells = list(dict.fromkeys([*cells, *notebook.cell_documents]))
        self._clear(cells)

    def _clear(self, cell_uris: list[str]) -> None:
        """Take down the diagnostics of cells that are gone (a pull client forgets them)."""
        if not self.server.push_diagnostics:
            return
        for cell_uri in cell_uris:
            self.server.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=[])
            )

    def analysed(self, result: AnalysisResult) -> None:
        """Ask a pull client to pull again when a notebook's diagnostics changed: an edit of
        one cell can change another's (an import removed from cell 1), and the client pulls
        only the cell it edited."""
        if result.notebook is None or self.server.push_diagnostics:
            return
        previous = self.result_ids.get(result.uri)
        self.result_ids[result.uri] = result.result_id
        if previous not in {None, result.result_id} and supports_refresh(self.server):
            self.server.workspace_diagnostic_refresh(None)


def register(server: StandardsServer) -> None:
    """Install the notebook sync handlers (the capability is given to the server's constructor:
    `server.language_server.NOTEBOOK_SYNC`)."""
    sync = NotebookSync(server)
    server.scheduler.on_result.append(sync.analysed)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def opened(params: types.DidOpenNotebookDocumentParams) -> None:
        sync.opened(params)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def changed(params: types.DidChangeNotebookDocumentParams) -> None:
        sync.changed(params)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def closed(params: types.DidCloseNotebookDocumentParams) -> None:
        sync.closed(params)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def saved(params: types.DidSaveNotebookDocumentParams) -> None:
        # Nothing to do: the server checks the text the edits made, not the file, and notebooks
        # are kept out of the result cache (it keys Python texts, as `check` does).
        logger.debug("notebook saved: %s", params.notebook_document.uri)
