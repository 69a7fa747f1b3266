"""Code actions over a real server: each one applied, and its diagnostic gone."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

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

SOURCE = "import openai\n\n\ndef main():\n    print(legacy)\n    print(2)\n"


async def test_safe_quick_fix_is_preferred_and_removes_its_diagnostic(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    actions = await code_actions(client, uri, span(5, 4, 5, 4))
    fix = titled(actions, "Call log instead of print")
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert fix.edit is None  # built in codeAction/resolve
    text, found = await apply_action(client, uri, SOURCE, fix, 2)
    assert "log(2)" in text
    assert found.count("STD990") == 1  # the other print is still there


async def test_lazy_unsafe_fix_is_built_on_resolve(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    fix = titled(await code_actions(client, uri, span(4, 12, 4, 12)), "Rename legacy to modern")
    assert not fix.is_preferred
    text, found = await apply_action(client, uri, SOURCE, fix, 2)
    assert "print(modern)" in text
    assert "STD991" not in found


async def test_fix_all_of_one_code_and_source_fix_all(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    fix_all = titled(
        await code_actions(client, uri, span(5, 4, 5, 4)), "Fix all STD990 in this file"
    )
    text, found = await apply_action(client, uri, SOURCE, fix_all, 2)
    assert "print" not in text
    assert "STD990" not in found
    assert "STD991" in found
    change_document(client, uri, 3, [(None, SOURCE)])
    await diagnostics_for(client, uri, 3)
    source_actions = await code_actions(client, uri, span(0, 0, 0, 0), only=["source.fixAll"])
    assert [action.kind for action in source_actions] == ["source.fixAll.standards"]
    _, found = await apply_action(client, uri, SOURCE, source_actions[0], 4)
    assert "STD990" not in found
    assert "STD991" in found  # unsafe: not applied by source.fixAll


async def test_ignore_on_this_line_adds_noqa(client: RecordingClient, project: Path) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    ignore = titled(await code_actions(client, uri, span(0, 8, 0, 8)), "Ignore STD302 on this line")
    assert ignore.edit is not None
    text, found = await apply_action(client, uri, SOURCE, ignore, 2)
    assert text.splitlines()[0] == "import openai  # noqa: STD302"
    assert "STD302" not in found


async def test_a_fix_for_an_older_version_resolves_to_no_edit(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", SOURCE)
    await diagnostics_for(client, uri, 1)
    fix = titled(await code_actions(client, uri, span(4, 12, 4, 12)), "Rename legacy to modern")
    change_document(client, uri, 2, [(span(0, 0, 0, 0), "\n")])
    await diagnostics_for(client, uri, 2)
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is None


async def test_refactoring_at_a_selection_and_eager_edits_without_resolve_support(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project, resolve=False, document_changes=False)
    text = "def main():\n    return 'abc'\n"
    uri = open_document(client, project / "app.py", text)
    assert await diagnostics_for(client, uri, 1) == []
    actions = await code_actions(client, uri, span(1, 12, 1, 15), only=["refactor"])
    rewrite = titled(actions, "Upper-case it")
    assert rewrite.kind == types.CodeActionKind.RefactorRewrite
    assert rewrite.edit is not None  # the client cannot resolve: built right away
    assert apply_text_edits(text, edits_of(rewrite.edit, uri)) == "def main():\n    return 'ABC'\n"


async def test_fix_creating_a_file_uses_document_changes(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    uri = open_document(client, project / "app.py", "needs_companion = 1\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["STD992"]
    fix = titled(await code_actions(client, uri, span(0, 0, 0, 0)), "Create companion.py")
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is not None
    changes = resolved.edit.document_changes or []
    created = [change for change in changes if isinstance(change, types.CreateFile)]
    assert [change.uri for change in created] == [(project / "companion.py").as_uri()]
