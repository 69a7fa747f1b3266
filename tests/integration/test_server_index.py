"""The workspace index over a real server process: after `initialized` it writes every workspace
Python file's findings to the result cache, and opening an indexed file is a cache hit."""

from __future__ import annotations

from pathlib import Path

from rules.models import Finding, Position, Range
from server.configuration import parse_editor_settings
from server.index import MAX_IN_PROCESS_BYTES
from server.result_cache import ENTRY_SUFFIX
from tests.support.lsp import (
    RecordingClient,
    diagnostics_for,
    eventually,
    initialize,
    open_document,
)

CACHE = ".standards-lsp-cache"
INDEXED = {
    "app.py": "def fee(amount):\n    return amount * 0.025\n",
    "pkg/__init__.py": "",
    "pkg/limits.py": "def over(size):\n    return size > 4711\n",
}
PLANTED_MESSAGE = "planted after the index wrote the entry"
BIG_FUNCTION = "def fee_{n}(amount):\n    return amount * 0.025\n\n\n"


def _entries(project: Path) -> list[Path]:
    return sorted((project / CACHE).glob(f"*{ENTRY_SUFFIX}"))


def _write(project: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


async def test_the_index_writes_every_python_file_to_the_cache(
    client: RecordingClient, project: Path
) -> None:
    _write(project, INDEXED)
    await initialize(client, project)
    entries = await eventually(
        lambda: entries if len(entries := _entries(project)) == len(INDEXED) else None
    )
    assert len(entries) == len(INDEXED)


def _big_module() -> str:
    """A module just over what the index checks on its analysis thread."""
    functions = MAX_IN_PROCESS_BYTES // len(BIG_FUNCTION.format(n=0)) + 1
    return "".join(BIG_FUNCTION.format(n=n) for n in range(functions))


async def test_a_file_too_big_for_the_analysis_thread_is_indexed_in_a_child_process(
    client: RecordingClient, project: Path
) -> None:
    text = _big_module()
    assert len(text.encode()) > MAX_IN_PROCESS_BYTES
    files = {"big.py": text, "small.py": INDEXED["app.py"]}
    _write(project, files)
    await initialize(client, project)
    entries = await eventually(
        lambda: entries if len(entries := _entries(project)) == len(files) else None
    )
    for entry in entries:
        _plant(entry)

    uri = open_document(client, project / "big.py", text)
    await eventually(lambda: client.published.get(uri) or None)
    # the child's entry is what the open shows first
    first = client.published[uri][0]
    assert [diagnostic.message for diagnostic in first.diagnostics] == [PLANTED_MESSAGE]


def _plant(entry: Path) -> None:
    """Replace a cache entry's findings by one that no analysis makes."""
    origin = Position(line=0, character=0)
    planted = Finding(code="STD201", message=PLANTED_MESSAGE, range=Range(start=origin, end=origin))
    entry.write_text(f"[{planted.model_dump_json()}]", encoding="utf-8")


async def test_opening_an_indexed_file_shows_the_indexed_findings_at_once(
    client: RecordingClient, project: Path
) -> None:
    text = INDEXED["app.py"]
    _write(project, {"app.py": text})
    await initialize(client, project)
    (entry,) = await eventually(lambda: entries if (entries := _entries(project)) else None)
    _plant(entry)

    uri = open_document(client, project / "app.py", text)
    await eventually(lambda: True if len(client.published.get(uri, [])) > 1 else None)
    first, final = client.published[uri][:2]
    # what the index wrote is what the open shows first; the analysis then corrects it
    assert [diagnostic.message for diagnostic in first.diagnostics] == [PLANTED_MESSAGE]
    assert PLANTED_MESSAGE not in [diagnostic.message for diagnostic in final.diagnostics]
    assert (await diagnostics_for(client, uri, 1))[0].code == "STD201"


def test_the_index_is_on_unless_the_editor_turns_it_off() -> None:
    default = parse_editor_settings({})
    off = parse_editor_settings({"standardsLsp": {"workspaceIndex": False}})
    assert default is not None
    assert default.workspace_index
    assert off is not None
    assert not off.workspace_index
