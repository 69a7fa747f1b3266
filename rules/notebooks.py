"""Jupyter notebooks as Python modules: the code cells joined into one text the engine checks,
positions mapped back to a cell and a line in it, and fixed text written back into the cells.

The module text holds every code cell in order, each after a marker line of its own
(`# %% standards-lsp cell N`, a comment, so no rule sees it). IPython syntax that Python does not
parse is kept out of the analysis and put back unchanged: a line magic or shell escape
(`%matplotlib inline`, `!ls`, `?obj`) becomes `pass` under a numbered marker, and a cell magic
(`%%bash` and the rest of its cell) is left out whole. Writing back replaces only the `source`
of the code cells whose text changed (text a fix put above the first cell's marker, an import
before code, goes at the start of the first Python cell); outputs, metadata, other cells and the file's JSON layout
(indentation, key order, non-ASCII text) stay as they were.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

from rules.models import Finding, Position, Range
from rules.source import split_lines

NOTEBOOK_SUFFIX = ".ipynb"
CODE_CELL = "code"
CELL_MARKER = "# %% standards-lsp cell {number}"
CELL_MARKER_PATTERN = re.compile(r"^# %% standards-lsp cell (\d+)\r?\n?$")
MAGIC_MARKER = "pass  # standards-lsp magic {number}"
MAGIC_PATTERN = re.compile(r"^([ \t]*)pass  # standards-lsp magic (\d+)(\r?\n?)$")
# IPython's line magics, shell escapes and help requests: not Python.
IPYTHON_LINE = re.compile(r"^[ \t]*(?:%|!|\?|[\w.]+\?\s*$)")
CELL_MAGIC = "%%"
DEFAULT_INDENT = 1  # nbformat writes one space per level


class NotebookError(ValueError):
    """The text is not a notebook this module can read or write."""


class CellSpan(BaseModel):
    """Where one code cell's text sits in the module text."""

    index: int  # the cell's position among all the notebook's cells (0-based)
    first_line: int  # the module line of its first line (after its marker)
    line_count: int
    whole_magic: bool = False  # a cell magic: not in the module, written back untouched


class CodeCell(BaseModel):
    """One code cell's text and its place among all the notebook's cells (from an `.ipynb`
    file, or from an editor's notebook document)."""

    index: int
    source: str


class NotebookModule(BaseModel):
    """A notebook's code cells as one Python text, with what it takes to map back."""

    text: str
    cells: list[CellSpan]
    magics: dict[int, str]  # marker number -> the IPython line it stands for

    def cell_at(self, line: int) -> CellSpan | None:
        """The code cell holding a module line (None for a marker line)."""
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + max(cell.line_count, 1):
                return cell
        return None

    def cell_range(self, span: Range) -> tuple[int, Range] | None:
        """A module range as (cell index, range in the cell), when it lies inside one cell."""
        cell = self.cell_at(span.start.line)
        if cell is None or span.end.line >= cell.first_line + max(cell.line_count, 1):
            return None
        shift = cell.first_line
        return cell.index, Range(
            start=Position(line=span.start.line - shift, character=span.start.character),
            end=Position(line=span.end.line - shift, character=span.end.character),
        )


def is_notebook(path: str | None) -> bool:
    """Whether `path` names a Jupyter notebook."""
    return path is not None and path.endswith(NOTEBOOK_SUFFIX)


def load_cells(text: str) -> list[dict[str, Any]]:
    """The notebook's cells as JSON objects (raising `NotebookError` when it is not one)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not valid JSON: {error}") from error
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise NotebookError("no list of cells (not an nbformat 4 notebook)")
    return cells


def source_text(source: object) -> str:
    """A cell's text from its `source`: nbformat keeps it as one string or a list of lines."""
    return "".join(source) if isinstance(source, list) else str(source or "")


def to_module(text: str) -> NotebookModule:
    """The code cells of a notebook's JSON text as one module."""
    return module_of(
        [
            CodeCell(index=index, source=source_text(cell.get("source")))
            for index, cell in enumerate(load_cells(text))
            if cell.get("cell_type") == CODE_CELL
        ]
    )


def module_of(cells: list[CodeCell]) -> NotebookModule:
    """Code cells, in the notebook's order, as one module."""
    lines: list[str] = []
    spans: list[CellSpan] = []
    magics: dict[int, str] = {}
    for cell in cells:
        index, source = cell.index, cell.source
        lines.append(CELL_MARKER.format(number=index) + "\n")
        if source.lstrip().startswith(CELL_MAGIC):
            spans.append(
                CellSpan(index=index, first_line=len(lines), line_count=0, whole_magic=True)
            )
            continue
        cell_lines = split_lines(source) if source else []
        if cell_lines and not cell_lines[-1].endswith(("\n", "\r")):
            cell_lines[-1] += "\n"
        spans.append(CellSpan(index=index, first_line=len(lines), line_count=len(cell_lines)))
        lines.extend(_without_magics(cell_lines, magics))
    return NotebookModule(text="".join(lines), cells=spans, magics=magics)


def _without_magics(cell_lines: list[str], magics: dict[int, str]) -> list[str]:
    kept = []
    for line in cell_lines:
        if IPYTHON_LINE.match(line):
            number = len(magics)
            magics[number] = line
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            ending = line[len(line.rstrip("\r\n")) :]
            line = f"{indent}{MAGIC_MARKER.format(number=number)}{ending}"
        kept.append(line)
    return kept


def from_module(original: str, module: NotebookModule, fixed: str) -> str:
    """The notebook's JSON text with its code cells taken from `fixed`, a changed module text
    (raising `NotebookError` when the cell markers no longer stand as they were)."""
    document = json.loads(original)
    cells = document["cells"]
    old_texts = {span.index: source_text(cells[span.index].get("source")) for span in module.cells}
    for index, new_text in changed_cells(module, fixed, old_texts).items():
        cells[index]["source"] = _source_like(cells[index].get("source"), new_text)
    return _dumped_like(original, document)


def changed_cells(module: NotebookModule, fixed: str, old_texts: dict[int, str]) -> dict[int, str]:
    """The new text of each code cell that `fixed`, a changed module text, changes (by cell
    index; `old_texts` are the cells' texts the module was made from). Raises `NotebookError`
    when the cell markers no longer stand as they were."""
    texts = _cell_texts(fixed, module)
    changed: dict[int, str] = {}
    for span in module.cells:
        if span.whole_magic:
            continue
        new_text = texts.get(span.index)
        if new_text is None:
            raise NotebookError(f"the text of cell {span.index + 1} was lost")
        old_text = old_texts[span.index]
        # the module ends every cell with a line break; a cell that had none keeps none
        if not old_text.endswith(("\n", "\r")) and new_text.endswith("\n"):
            new_text = new_text[:-1]
        if new_text != old_text:
            changed[span.index] = new_text
    return changed


def cell_position(fixed: str, line: int, character: int) -> tuple[int, Position] | None:
    """Where module position (`line`, `character`) of a changed module text `fixed` is: the
    index of the cell holding it and the position in that cell (None on a marker line or above
    the first cell). Found from the markers, so it holds for a text whose cells grew."""
    lines = split_lines(fixed)
    for marker_line in range(min(line, len(lines) - 1), -1, -1):
        marker = CELL_MARKER_PATTERN.match(lines[marker_line])
        if marker is not None:
            if marker_line == line:
                return None
            cell = int(marker.group(1))
            return cell, Position(line=line - marker_line - 1, character=character)
    return None


def _cell_texts(fixed: str, module: NotebookModule) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    leading: list[str] = []  # above the first marker: a fix's imports or constants
    current: list[str] = leading
    for line in split_lines(fixed):
        marker = CELL_MARKER_PATTERN.match(line)
        if marker is not None:
            current = texts.setdefault(int(marker.group(1)), [])
            continue
        magic = MAGIC_PATTERN.match(line)
        if magic is not None and int(magic.group(2)) in module.magics:
            line = module.magics[int(magic.group(2))]
        current.append(line)
    expected = {span.index for span in module.cells}
    if set(texts) != expected:
        raise NotebookError("the cells' markers changed")
    if leading:
        # what a fix puts at the top of the module (an import, where the first cell starts
        # with code) goes at the top of the first cell that is Python
        first = next((span.index for span in module.cells if not span.whole_magic), None)
        if first is None:
            raise NotebookError("text was added above the cells, and no cell is Python")
        texts[first][:0] = leading
    return {index: "".join(lines) for index, lines in texts.items()}


def _source_like(previous: object, text: str) -> list[str] | str:
    """`text` in the form the cell kept its source in (a list of lines, as nbformat writes)."""
    if isinstance(previous, str):
        return text
    return split_lines(text)


def _dumped_like(original: str, document: object) -> str:
    """JSON text laid out as `original` was: its indentation, its trailing newline, its escaping
    of non-ASCII text."""
    indent = _indentation_of(original)
    ensure_ascii = original.isascii() and "\\u" in original
    text = json.dumps(document, indent=indent, ensure_ascii=ensure_ascii)
    return text + "\n" if original.endswith("\n") else text


def _indentation_of(original: str) -> int:
    for line in original.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped:
            return len(line) - len(stripped)
    return DEFAULT_INDENT


def cell_findings(module: NotebookModule, findings: list[Finding]) -> list[Finding]:
    """Findings of the module text placed in their cells (`Finding.cell`, cell-relative lines).
    A finding that spans cells or sits on a marker is placed at the start of the next cell; a
    fix's edits, in module coordinates, are dropped (the fix is rebuilt when it is applied)."""
    placed = []
    for finding in findings:
        located = place(module, finding.range)
        fix = finding.fix.model_copy(update={"edits": None}) if finding.fix else None
        if located is None:
            placed.append(finding.model_copy(update={"fix": fix}))
            continue
        index, span = located
        placed.append(finding.model_copy(update={"cell": index + 1, "range": span, "fix": fix}))
    return placed


def place(module: NotebookModule, span: Range) -> tuple[int, Range] | None:
    """A module range as (cell index, range in the cell): in its own cell, else at the start of
    the next cell (a range that spans cells or sits on a marker)."""
    return module.cell_range(span) or _nearest_cell(module, span)


def _nearest_cell(module: NotebookModule, span: Range) -> tuple[int, Range] | None:
    origin = Range(start=Position(line=0, character=0), end=Position(line=0, character=0))
    following = [
        cell for cell in module.cells if cell.first_line + cell.line_count > span.start.line
    ]
    return (following[0].index, origin) if following else None
