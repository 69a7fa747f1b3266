"""Notebooks as modules (`rules.notebooks`): code cells joined, positions mapped back to cells,
fixed text written back without touching outputs, metadata or the JSON layout."""

from __future__ import annotations

import json

import pytest

from rules.models import Position, Range
from rules.notebooks import (
    CodeCell,
    NotebookError,
    cell_position,
    changed_cells,
    from_module,
    is_notebook,
    module_of,
    to_module,
)


def _notebook(*cells: dict[str, object], indent: int = 1) -> str:
    document = {
        "cells": list(cells),
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def _code(*lines: str, outputs: list[object] | None = None) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "id": f"c{len(lines)}",
        "metadata": {"tags": ["keep"]},
        "outputs": outputs if outputs is not None else [],
        "source": list(lines),
    }


MARKDOWN: dict[str, object] = {
    "cell_type": "markdown",
    "id": "m1",
    "metadata": {},
    "source": ["# Fees — café\n"],
}
OUTPUT = {"output_type": "stream", "name": "stdout", "text": ["2.5\n"]}
NOTEBOOK = _notebook(
    _code("import math\n", "%matplotlib inline\n", "rate = 0.025"),
    MARKDOWN,
    _code("def fee(amount):\n", "    return amount * 4711\n", outputs=[OUTPUT]),
    _code("%%bash\n", "echo hello\n"),
)


def test_code_cells_become_one_module_with_the_magics_set_aside() -> None:
    module = to_module(NOTEBOOK)
    assert module.text == (
        "# %% standards-lsp cell 0\n"
        "import math\n"
        "pass  # standards-lsp magic 0\n"
        "rate = 0.025\n"
        "# %% standards-lsp cell 2\n"
        "def fee(amount):\n"
        "    return amount * 4711\n"
        "# %% standards-lsp cell 3\n"
    )
    assert [(cell.index, cell.first_line, cell.line_count) for cell in module.cells] == [
        (0, 1, 3),
        (2, 5, 2),
        (3, 8, 0),
    ]


def test_a_module_position_maps_to_its_cell_and_line() -> None:
    module = to_module(NOTEBOOK)
    literal = Range(start=Position(line=6, character=20), end=Position(line=6, character=24))
    assert module.cell_range(literal) == (
        2,
        Range(start=Position(line=1, character=20), end=Position(line=1, character=24)),
    )
    marker = Range(start=Position(line=4, character=0), end=Position(line=4, character=1))
    assert module.cell_range(marker) is None


def test_unchanged_text_writes_the_notebook_back_byte_for_byte() -> None:
    module = to_module(NOTEBOOK)
    assert from_module(NOTEBOOK, module, module.text) == NOTEBOOK


def test_a_fix_changes_only_the_source_of_its_cell() -> None:
    module = to_module(NOTEBOOK)
    fixed = module.text.replace("import math\n", "import math\n\nFEE = 4711\n").replace(
        "amount * 4711", "amount * FEE"
    )
    written = json.loads(from_module(NOTEBOOK, module, fixed))
    before = json.loads(NOTEBOOK)
    assert written["cells"][0]["source"] == [
        "import math\n",
        "\n",
        "FEE = 4711\n",
        "%matplotlib inline\n",
        "rate = 0.025",
    ]
    assert written["cells"][2]["source"] == ["def fee(amount):\n", "    return amount * FEE\n"]
    for changed in (0, 2):
        assert {**written["cells"][changed], "source": None} == {
            **before["cells"][changed],
            "source": None,
        }
    assert written["cells"][1] == before["cells"][1]
    assert written["cells"][3] == before["cells"][3]
    assert written["metadata"] == before["metadata"]


def test_the_layout_of_the_json_is_kept() -> None:
    two_spaces = _notebook(_code("x = 1\n"), indent=2)
    module = to_module(two_spaces)
    written = from_module(two_spaces, module, module.text.replace("x = 1", "y = 1"))
    assert written == two_spaces.replace("x = 1", "y = 1")


def test_text_that_moved_a_cell_marker_is_refused() -> None:
    module = to_module(NOTEBOOK)
    broken = module.text.replace("# %% standards-lsp cell 2\n", "")
    with pytest.raises(NotebookError):
        from_module(NOTEBOOK, module, broken)


@pytest.mark.parametrize("text", ["not json", '{"cells": 3}', "[]"])
def test_what_is_not_a_notebook_is_said_so(text: str) -> None:
    with pytest.raises(NotebookError):
        to_module(text)


def test_notebooks_are_known_by_their_suffix() -> None:
    assert is_notebook("analysis/Eval runs.ipynb")
    assert not is_notebook("analysis/eval.py")
    assert not is_notebook(None)


def test_text_a_fix_puts_above_the_first_cell_starts_the_first_python_cell() -> None:
    # the first cell starts with code: an added import lands above its marker
    notebook = _notebook(_code("%%bash\n", "ls\n"), _code("x = 404\n"))
    module = to_module(notebook)
    fixed = "from http import HTTPStatus\n\n" + module.text.replace("404", "HTTPStatus.NOT_FOUND")
    written = json.loads(from_module(notebook, module, fixed))
    assert written["cells"][0]["source"] == ["%%bash\n", "ls\n"]  # a cell magic: untouched
    assert written["cells"][1]["source"] == [
        "from http import HTTPStatus\n",
        "\n",
        "x = HTTPStatus.NOT_FOUND\n",
    ]


def test_an_editors_cells_become_the_same_module_as_the_files() -> None:
    cells = [
        CodeCell(index=0, source="import math\n%matplotlib inline\nrate = 0.025"),
        CodeCell(index=2, source="def fee(amount):\n    return amount * 4711\n"),
        CodeCell(index=3, source="%%bash\necho hello\n"),
    ]
    assert module_of(cells) == to_module(NOTEBOOK)


def test_changed_cells_are_only_those_whose_text_changed() -> None:
    cells = [CodeCell(index=0, source="x = 1"), CodeCell(index=1, source="y = 2\n")]
    module = module_of(cells)
    fixed = module.text.replace("y = 2", "y = 3")
    assert changed_cells(module, fixed, {0: "x = 1", 1: "y = 2\n"}) == {1: "y = 3\n"}
    # a cell without a final line break keeps none
    fixed = module.text.replace("x = 1", "x = 2")
    assert changed_cells(module, fixed, {0: "x = 1", 1: "y = 2\n"}) == {0: "x = 2"}


def test_a_position_of_a_changed_module_is_found_in_its_cell() -> None:
    module = module_of([CodeCell(index=0, source="x = 1\n"), CodeCell(index=3, source="y = 2\n")])
    grown = module.text.replace("x = 1\n", "X = 1\n\nx = X\n")
    assert cell_position(grown, 5, 0) == (3, Position(line=0, character=0))
    assert cell_position(grown, 1, 0) == (0, Position(line=0, character=0))
    assert cell_position(grown, 4, 0) is None  # a marker line
