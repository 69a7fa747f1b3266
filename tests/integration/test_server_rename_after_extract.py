"""Rename after extract: a client that has the `standardsLsp.renameAt` command (it says so with
`initializationOptions.renameAfterExtract`) gets it on the extract actions, pointing at the new
constant's name once the edit is applied; other clients never see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

pytest.importorskip("server.app", reason="the language server is not in this tree yet")

from tests.support.lsp import (
    RecordingClient,
    apply_text_edits,
    code_actions,
    diagnostics_for,
    edits_of,
    initialize,
    open_document,
    span,
    titled,
)

RENAME_AT = "standardsLsp.renameAt"
FEE = "def calculate_fee(amount: int) -> int:\n    return int(amount * 0.025)\n"
# The constant goes below the docstring and the imports, not at the top.
WITH_HEADER = (
    '"""Fees."""\n\nimport math\n\n\n'
    "def calculate_fee(amount: int) -> int:\n    return math.ceil(amount * 0.025)\n"
)
PLAIN = "def f(x):\n    return x + 1\n"


async def _resolved(client: RecordingClient, action: types.CodeAction) -> types.CodeAction:
    return action if action.edit else await client.code_action_resolve_async(action)


def _renamed_at(text: str, action: types.CodeAction, uri: str) -> tuple[str, str]:
    """The text after the action, and the word at the command's position."""
    assert action.command is not None
    assert action.command.command == RENAME_AT
    arguments = action.command.arguments or []
    assert arguments[0] == uri
    position = arguments[1]
    assert isinstance(position, dict)
    new_text = apply_text_edits(text, edits_of(action.edit, uri))
    line = new_text.splitlines()[position["line"]]
    word = line[position["character"] :].split(" ", 1)[0]
    assert list(arguments[2:]) == [word]  # the name, for a client to wait for the edit to land
    return new_text, word


@pytest.mark.parametrize(
    ("source", "line"), [(FEE, 0), (WITH_HEADER, 4)], ids=["top", "below-imports"]
)
async def test_the_quick_fix_renames_the_new_constant(
    client: RecordingClient, project: Path, source: str, line: int
) -> None:
    await initialize(client, project, options={"renameAfterExtract": True})
    uri = open_document(client, project / "fees.py", source)
    diagnostics = await diagnostics_for(client, uri, 1)
    where = next(d.range for d in diagnostics if d.code == "STD201")
    fix = await _resolved(client, titled(await code_actions(client, uri, where), "Extract"))
    new_text, word = _renamed_at(source, fix, uri)
    assert word == "CALCULATE_FEE_RATE"
    assert new_text.splitlines()[line].startswith("CALCULATE_FEE_RATE = 0.025")


async def test_the_refactoring_renames_the_new_constant(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, options={"renameAfterExtract": True})
    uri = open_document(client, project / "plain.py", PLAIN)
    await diagnostics_for(client, uri, 1)
    offer = titled(await code_actions(client, uri, span(1, 15, 1, 16)), "Extract `1`")
    _new_text, word = _renamed_at(PLAIN, await _resolved(client, offer), uri)
    assert word == "X_OFFSET"


async def test_clients_without_the_command_do_not_get_it(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "fees.py", FEE)
    diagnostics = await diagnostics_for(client, uri, 1)
    fix = await _resolved(
        client, titled(await code_actions(client, uri, diagnostics[0].range), "Extract")
    )
    assert fix.edit is not None
    assert fix.command is None
