"""Extract-to-constant quick fixes (single and extract-all), the `refactor.extract` offer, and
rename of module constants, through a real server over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

pytest.importorskip("server.app", reason="the language server is not in this tree yet")

from tests.support.lsp import (
    RecordingClient,
    apply_action,
    apply_text_edits,
    change_document,
    code_actions,
    codes,
    diagnostics_for,
    edits_of,
    initialize,
    open_document,
    span,
    titled,
)

FEE = "def calculate_fee(amount: int) -> int:\n    return int(amount * 0.025)\n"
REPEATED = (
    'def save(client):\n    client.post(content_type="application/json")\n\n\n'
    'def load(client):\n    return client.get(content_type="application/json")\n'
)
RENAMED = "LIMIT = 10\n\n\ndef f(LIMIT=3):\n    return LIMIT\n\n\ndef g():\n    return LIMIT * 2\n"


async def test_extract_quick_fix(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "fees.py", FEE)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD201"]
    fix = titled(
        await code_actions(client, uri, span(1, 26, 1, 26)),
        "Extract `0.025` to module constant `CALCULATE_FEE_RATE`",
    )
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    text, found = await apply_action(client, uri, FEE, fix, 2)
    assert text == (
        "CALCULATE_FEE_RATE = 0.025\n\n\n"
        "def calculate_fee(amount: int) -> int:\n    return int(amount * CALCULATE_FEE_RATE)\n"
    )
    assert found == []


async def test_extract_all_occurrences(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "http_calls.py", REPEATED)
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD203", "STD203"]
    fix = titled(
        await code_actions(client, uri, span(1, 30, 1, 30)),
        "Extract all 2 occurrences of `'application/json'`",
    )
    text, found = await apply_action(client, uri, REPEATED, fix, 2)
    assert text.startswith('JSON_CONTENT_TYPE = "application/json"\n')
    assert text.count("JSON_CONTENT_TYPE") == 3
    assert found == []


async def test_refactor_extract_on_an_allowed_literal(
    client: RecordingClient, project: Path
) -> None:
    source = "def f(x):\n    return x + 1\n"
    await initialize(client, project)
    uri = open_document(client, project / "plain.py", source)
    assert codes(await diagnostics_for(client, uri, 1)) == []
    action = titled(await code_actions(client, uri, span(1, 15, 1, 16)), "Extract `1`")
    assert action.kind == "refactor.extract"
    text, _ = await apply_action(client, uri, source, action, 2)
    assert text == "X_OFFSET = 1\n\n\ndef f(x):\n    return x + X_OFFSET\n"


async def test_rename_module_constant(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "limits.py", RENAMED)
    await diagnostics_for(client, uri, 1)
    document = types.TextDocumentIdentifier(uri=uri)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=document, position=types.Position(line=8, character=12)
        )
    )
    assert prepared == span(8, 11, 8, 16)
    local = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(
            text_document=document, position=types.Position(line=4, character=12)
        )
    )
    assert local is None
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=document,
            position=types.Position(line=0, character=1),
            new_name="MAX_ITEMS",
        )
    )
    renamed = apply_text_edits(RENAMED, edits_of(edit, uri))
    assert renamed == RENAMED.replace("LIMIT = 10", "MAX_ITEMS = 10").replace(
        "return LIMIT * 2", "return MAX_ITEMS * 2"
    )
    with pytest.raises(Exception, match="already used"):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=document, position=types.Position(line=0, character=1), new_name="g"
            )
        )
    change_document(client, uri, 2, [(None, renamed)])
    await diagnostics_for(client, uri, 2)


LISTS_ITS_CLASSES = (
    "import inspect\nimport sys\n\n\nclass NotFound(Exception):\n    status_code = 404\n\n\n"
    "class Gone(Exception):\n    status_code = 410\n\n\n"
    "def error_classes():\n    return inspect.getmembers(sys.modules[__name__], inspect.isclass)\n"
)


async def test_a_fix_the_module_cannot_take_is_shown_disabled_with_the_reason(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "errors.py", LISTS_ITS_CLASSES)
    assert "STD201" in codes(await diagnostics_for(client, uri, 1))
    actions = await code_actions(client, uri, span(5, 18, 5, 18))
    fix = titled(actions, "Use `HTTPStatus.NOT_FOUND`")
    assert fix.disabled is not None and fix.is_preferred is False
    assert fix.disabled.reason.startswith(
        "not fixed: the module lists its own names (line 14: `sys.modules[__name__]`)"
    ), fix.disabled.reason
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is None and resolved.disabled is not None
    # two findings of the rule, neither fixable: no "Fix all" to offer
    assert not [action for action in actions if action.title.startswith("Fix all STD201")]
