"""Notebooks over a real server (LSP notebook document sync): the code cells checked as one
module, diagnostics and code actions per cell, cells added, edited and closed."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.support.lsp import (
    RecordingClient,
    apply_text_edits,
    code_actions,
    codes,
    edits_of,
    initialize,
    span,
)
from tests.support.notebooks import (
    MARKDOWN,
    cell_diagnostics,
    cell_item,
    change_notebook,
    close_notebook,
    code_cell,
    edit_cell,
    open_notebook,
    published_count,
)

IMPORT_CELL = "from fastapi import HTTPException\n"
FIND_CELL = (
    "def find(user_id):\n"
    '    raise HTTPException(status_code=404, detail="The user was not found")\n'
)
FEE_CELL = "%matplotlib inline\ndef fee(amount):\n    return amount * 0.025"
CELLS = [
    ("python", IMPORT_CELL),
    (MARKDOWN, "# Fees\n"),
    ("python", FIND_CELL),
    ("python", FEE_CELL),
]


def _at(diagnostics: list[types.Diagnostic]) -> list[tuple[str, int, int]]:
    return sorted((str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics)


async def test_cells_are_one_module_diagnosed_in_their_cells(
    client: RecordingClient, project: Path
) -> None:
    result = await initialize(client, project, notebooks=True)
    sync = result.capabilities.notebook_document_sync
    assert isinstance(sync, types.NotebookDocumentSyncOptions)
    _, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    assert _at(await cell_diagnostics(client, cells[0])) == [("STD301", 0, 0)]
    # the detail is a finding because HTTPException is imported from FastAPI in cell 1
    assert _at(await cell_diagnostics(client, cells[2])) == [("STD201", 1, 36), ("STD204", 1, 48)]
    # the magic is set aside, the lines are the cell's own
    assert _at(await cell_diagnostics(client, cells[3])) == [("STD201", 2, 20)]
    assert client.published[cells[3]][-1].version == 1
    assert cells[1] not in client.published  # Markdown


async def test_an_edit_of_one_cell_changes_anothers_diagnostics(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, notebooks=True)
    notebook, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    assert "STD204" in codes(await cell_diagnostics(client, cells[2]))
    seen = published_count(client, cells[2])
    # no longer FastAPI's exception: its detail is no HTTP error's
    edit_cell(client, notebook, 2, cells[0], 2, [(span(0, 0, 0, 33), "HTTPException = ValueError")])
    assert codes(await cell_diagnostics(client, cells[2], after=seen)) == ["STD201"]
    assert await cell_diagnostics(client, cells[0]) == []
    assert client.published[cells[0]][-1].version == 2


async def test_cells_added_and_removed(client: RecordingClient, project: Path) -> None:
    await initialize(client, project, notebooks=True)
    path = project / "eval.ipynb"
    notebook, cells = open_notebook(client, path, CELLS)
    await cell_diagnostics(client, cells[3])
    added = f"{cells[0]}-new"
    seen = published_count(client, cells[3])
    # a cell inserted at the top, cell 1 deleted
    change_notebook(
        client,
        notebook,
        2,
        types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(
                    start=0, delete_count=1, cells=[code_cell(added)]
                ),
                did_open=[cell_item(added, "import openai\n")],
                did_close=[types.TextDocumentIdentifier(uri=cells[0])],
            )
        ),
    )
    assert codes(await cell_diagnostics(client, added)) == ["STD302"]
    assert await cell_diagnostics(client, cells[0]) == []  # the deleted cell is cleared
    assert codes(await cell_diagnostics(client, cells[3], after=seen)) == ["STD201"]
    # without the FastAPI import, the detail is no finding
    assert codes(await cell_diagnostics(client, cells[2])) == ["STD201"]


async def test_metadata_changes_start_no_analysis(client: RecordingClient, project: Path) -> None:
    await initialize(client, project, notebooks=True)
    notebook, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    await cell_diagnostics(client, cells[3])
    seen = published_count(client, cells[3])
    executed = types.NotebookCell(
        kind=types.NotebookCellKind.Code,
        document=cells[3],
        execution_summary=types.ExecutionSummary(execution_order=1, success=True),
    )
    change_notebook(client, notebook, 2, types.NotebookDocumentCellChanges(data=[executed]))
    # a later text edit is analysed, and is the next publication
    edit_cell(client, notebook, 3, cells[3], 2, [(span(2, 20, 2, 25), "rate")])
    assert await cell_diagnostics(client, cells[3], after=seen) == []
    assert published_count(client, cells[3]) == seen + 1


async def test_closing_the_notebook_clears_its_cells(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, notebooks=True)
    notebook, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    await cell_diagnostics(client, cells[3])
    seen = {uri: published_count(client, uri) for uri in (cells[0], cells[2], cells[3])}
    close_notebook(client, notebook, [cells[0], cells[2], cells[3]])
    for uri, count in seen.items():
        assert await cell_diagnostics(client, uri, after=count) == []


async def test_extracting_a_constant_in_a_cell_puts_it_in_the_first_cell(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, notebooks=True, options={"renameAfterExtract": True})
    notebook, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    (literal,) = await cell_diagnostics(client, cells[3])
    actions = await code_actions(client, cells[3], literal.range)
    fix = next(
        action
        for action in actions
        if action.kind == types.CodeActionKind.QuickFix
        and action.diagnostics
        and action.diagnostics[0].code == "STD201"
        and not action.title.startswith(("Ignore", "Fix all"))
    )
    assert fix.diagnostics is not None
    assert fix.diagnostics[0].range == literal.range  # the cell's, not the module's
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is not None
    first = apply_text_edits(IMPORT_CELL, edits_of(resolved.edit, cells[0]))
    fee = apply_text_edits(FEE_CELL, edits_of(resolved.edit, cells[3]))
    assert edits_of(resolved.edit, cells[2]) == []
    assert "FEE_RATE = 0.025\n" in first
    assert first.startswith(IMPORT_CELL)
    assert fee == "%matplotlib inline\ndef fee(amount):\n    return amount * FEE_RATE"
    # the new constant goes straight into rename mode, in its cell
    assert resolved.command is not None
    assert resolved.command.arguments is not None
    where, position, name = resolved.command.arguments
    assert where == cells[0]
    assert isinstance(position, dict)
    assert first.splitlines()[position["line"]].startswith("FEE_RATE")
    assert name == "FEE_RATE"
    seen = published_count(client, cells[3])
    edit_cell(client, notebook, 2, cells[0], 2, [(None, first)])
    edit_cell(client, notebook, 3, cells[3], 2, [(None, fee)])
    assert await cell_diagnostics(client, cells[3], after=seen) == []


async def test_ignore_on_this_line_edits_the_cell(client: RecordingClient, project: Path) -> None:
    await initialize(client, project, notebooks=True)
    _, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    await cell_diagnostics(client, cells[3])
    actions = await code_actions(client, cells[3], span(2, 20, 2, 20))
    ignore = next(action for action in actions if action.title == "Ignore STD201 on this line")
    (edit,) = edits_of(ignore.edit, cells[3])
    assert edit.range.start.line == 2
    assert "# noqa: STD201" in edit.new_text


async def test_a_pull_client_gets_each_cells_report(client: RecordingClient, project: Path) -> None:
    await initialize(client, project, notebooks=True, pull=True)
    _, cells = open_notebook(client, project / "eval.ipynb", CELLS)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=cells[3]))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert _at(list(report.items)) == [("STD201", 2, 20)]
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=cells[3]),
            previous_result_id=report.result_id,
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert client.published == {}


async def test_renaming_a_constant_renames_it_in_every_cell(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, notebooks=True)
    constant, use = "RATE = 0.025\n", "def fee(amount):\n    return amount * RATE\n"
    _, cells = open_notebook(
        client, project / "eval.ipynb", [("python", constant), ("python", use)]
    )
    where = types.TextDocumentPositionParams(
        text_document=types.TextDocumentIdentifier(uri=cells[1]),
        position=types.Position(line=1, character=22),
    )
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=where.text_document, position=where.position)
    )
    assert prepared == span(1, 20, 1, 24)  # in the cell
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=where.text_document, position=where.position, new_name="FEE_RATE"
        )
    )
    assert apply_text_edits(constant, edits_of(edit, cells[0])) == "FEE_RATE = 0.025\n"
    assert apply_text_edits(use, edits_of(edit, cells[1])) == use.replace("RATE", "FEE_RATE")
