"""Notebooks open in the editor (LSP notebook document sync): the cells' texts, the one module
the engine checks, and the translation between that module and the cells.

A notebook is held as one `NotebookDocument`, a `Document` under the notebook's URI whose text is
`rules.notebooks.module_of` of its code cells: the scheduler analyses it like any other document
(incrementally: the engine's unit cache sees one module whose untouched cells did not change),
so an import in cell 1 counts for cell 5 exactly as `standards-lsp check` counts it. The cells'
own text documents (`vscode-notebook-cell:` URIs) are kept inside it, not in the server's
`DocumentStore`: they are never analysed on their own.

What the scheduler hands out for a notebook carries a `NotebookLayout`, a snapshot of its cells
taken with the text, from which diagnostics are placed in cells and module edits become edits
of the cells they change.
"""

from __future__ import annotations

from pydantic import BaseModel

from rules.fixes import apply_edits, edits_between
from rules.models import Finding, Position, Range, TextEdit
from rules.notebooks import CodeCell, NotebookModule, cell_position, changed_cells, module_of, place
from server.documents import Document, DocumentStore, lsp_lines

PYTHON_LANGUAGE = "python"


class CellLayout(BaseModel):
    """One code cell as it was when its notebook's text was taken."""

    index: int  # among all the notebook's cells
    uri: str
    version: int
    text: str

    @property
    def lines(self) -> list[str]:
        """The cell's lines as LSP counts them."""
        return lsp_lines(self.text)


class CellEdits(BaseModel):
    """The edits a module change makes to one cell (engine positions in the cell)."""

    cell: CellLayout
    edits: list[TextEdit]


class NotebookLayout(BaseModel):
    """A notebook's code cells and the module made of them, at one version."""

    uri: str
    version: int
    module: NotebookModule
    cells: list[CellLayout]

    def cell(self, uri: str) -> CellLayout | None:
        """The code cell with this URI."""
        return next((cell for cell in self.cells if cell.uri == uri), None)

    def by_index(self, index: int) -> CellLayout | None:
        """The code cell at this place in the notebook."""
        return next((cell for cell in self.cells if cell.index == index), None)

    def first_line(self, cell: CellLayout) -> int:
        """The module line of the cell's first line."""
        span = next(span for span in self.module.cells if span.index == cell.index)
        return span.first_line

    def placed(self, findings: list[Finding]) -> dict[str, list[Finding]]:
        """The findings of the module in their cells (cell-relative ranges), by cell URI; every
        code cell is listed, with no findings too (so that its old diagnostics are cleared)."""
        by_cell: dict[str, list[Finding]] = {cell.uri: [] for cell in self.cells}
        for finding in findings:
            located = place(self.module, finding.range)
            cell = self.by_index(located[0]) if located is not None else None
            if cell is None or located is None:
                continue  # no code cell to show it in (a notebook without any)
            by_cell[cell.uri].append(finding.model_copy(update={"range": located[1]}))
        return by_cell

    def cell_range(self, span: Range) -> tuple[CellLayout, Range] | None:
        """A module range as the cell showing it and its range there."""
        located = place(self.module, span)
        cell = self.by_index(located[0]) if located is not None else None
        if cell is None or located is None:
            return None
        return cell, located[1]

    def cell_edits(self, edits: list[TextEdit]) -> list[CellEdits]:
        """Module edits as the edits of the cells they change (raises
        `rules.notebooks.NotebookError` when they break the cells' markers). Built as the CLI
        writes a fixed notebook back: the whole fixed module cut at its markers, each changed
        cell's text diffed with what it was, so an import inserted at the top of the module
        lands in the first code cell and an edit of one cell never touches another."""
        fixed = apply_edits(self.module.text, edits)
        old_texts = {cell.index: cell.text for cell in self.cells}
        changed = changed_cells(self.module, fixed, old_texts)
        return [
            CellEdits(cell=cell, edits=edits_between(cell.text, changed[cell.index]))
            for cell in self.cells
            if cell.index in changed
        ]

    def position_after(self, edits: list[TextEdit], position: Position) -> tuple[str, Position]:
        """Where a position of the module after `edits` is: the cell's URI and the position in
        the cell's new text (the notebook's own URI when it is in no cell)."""
        fixed = apply_edits(self.module.text, edits)
        located = cell_position(fixed, position.line, position.character)
        cell = self.by_index(located[0]) if located is not None else None
        if cell is None or located is None:
            return self.uri, position
        return cell.uri, located[1]

    def cell_text_after(self, edits: list[TextEdit], uri: str) -> str:
        """The text of cell `uri` once `edits` (module edits) are applied."""
        for changed in self.cell_edits(edits):
            if changed.cell.uri == uri:
                return apply_edits(changed.cell.text, changed.edits)
        cell = self.cell(uri)
        return cell.text if cell is not None else ""


class NotebookCell:
    """One cell of an open notebook: its URI, whether it is code, and its text document (a
    Markdown cell may have none: the client syncs only the cells the server selects)."""

    def __init__(self, uri: str, code: bool) -> None:
        self.uri = uri
        self.code = code


class NotebookDocument(Document):
    """An open notebook: a `Document` whose text is the module of its code cells."""

    def __init__(self, uri: str, version: int) -> None:
        super().__init__(uri, "", version, PYTHON_LANGUAGE)
        self.cells: list[NotebookCell] = []
        self.cell_documents: dict[str, Document] = {}
        self.module = module_of([])

    def rebuild(self) -> None:
        """Make the module text again from the cells (after any change to them): a notebook's
        text is small, and joining it again keeps it exactly what the CLI checks."""
        self.module = module_of(
            [CodeCell(index=index, source=document.text) for index, document in self._code_cells()]
        )
        self.replace_all(self.module.text, self.version)

    def _code_cells(self) -> list[tuple[int, Document]]:
        return [
            (index, document)
            for index, cell in enumerate(self.cells)
            if cell.code and (document := self.cell_documents.get(cell.uri)) is not None
        ]

    def layout(self) -> NotebookLayout:
        """A snapshot of the cells, to go with a snapshot of the text."""
        return NotebookLayout(
            uri=self.uri,
            version=self.version,
            module=self.module,
            cells=[
                CellLayout(
                    index=index, uri=document.uri, version=document.version, text=document.text
                )
                for index, document in self._code_cells()
            ],
        )

    def holds(self, cell_uri: str) -> bool:
        """Whether `cell_uri` is one of this notebook's cell text documents."""
        return cell_uri in self.cell_documents


def notebook_of(documents: DocumentStore, uri: str) -> NotebookDocument | None:
    """The open notebook holding the cell text document `uri` (None for an open document or
    an unknown URI)."""
    if documents.get(uri) is not None:
        return None  # the common case, answered without looking through the notebooks
    for document in documents.all():
        if isinstance(document, NotebookDocument) and document.holds(uri):
            return document
    return None
