"""STD101 through the language server: the "Convert to Pydantic model" quick fix is on the
diagnostic, is built lazily in `codeAction/resolve`, and applying it clears the diagnostic; the
same conversion is offered as `refactor.rewrite` where no finding stands."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.support import lsp
from tests.support.lsp import RecordingClient

SOURCE = (
    "def process_user(user: dict) -> dict:\n"
    '    return {"id": user["id"], "name": user["name"].upper()}\n'
    "\n"
    "\n"
    'print(process_user({"id": 1, "name": "ada"})["name"])\n'
)
ON_USER = lsp.span(0, 18, 0, 18)
OURS = ("STD101", "STD102")


def _ours(diagnostics: list[types.Diagnostic]) -> list[str]:
    """The STD101/STD102 codes (the test server also loads test-only rules)."""
    return [code for code in lsp.codes(diagnostics) if code in OURS]


async def test_convert_quick_fix_is_lazy_and_clears_its_diagnostic(
    client: RecordingClient, project: Path
) -> None:
    await lsp.initialize(client, project)
    uri = lsp.open_document(client, project / "users.py", SOURCE)
    assert _ours(await lsp.diagnostics_for(client, uri, 1)) == ["STD101", "STD101"]
    actions = await lsp.code_actions(client, uri, ON_USER)
    titles = [action.title for action in actions]
    fix = next(
        (action for action in actions if action.title == "Convert `user` to Pydantic model `User`"),
        None,
    )
    assert fix is not None, titles
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.edit is None  # built in codeAction/resolve
    assert not fix.is_preferred  # unsafe: callers change
    resolved = await client.code_action_resolve_async(fix)
    text = lsp.apply_text_edits(SOURCE, lsp.edits_of(resolved.edit, uri))
    assert "class User(BaseModel):" in text
    assert 'print(process_user(User(id=1, name="ada"))["name"])' in text
    lsp.change_document(client, uri, 2, [(None, text)])
    after = await lsp.diagnostics_for(client, uri, 2)
    assert _ours(after) == ["STD101"]  # the return's finding stands, the parameter's is gone
    assert any("returns dicts" in diagnostic.message for diagnostic in after)


async def test_rewrite_is_offered_on_a_selected_signature_without_a_finding(
    client: RecordingClient, project: Path
) -> None:
    await lsp.initialize(client, project)
    uri = lsp.open_document(client, project / "tests" / "test_users.py", SOURCE)
    assert _ours(await lsp.diagnostics_for(client, uri, 1)) == []  # test files are exempt
    offers = await lsp.code_actions(client, uri, lsp.span(0, 0, 0, 37), only=["refactor.rewrite"])
    titles = [action.title for action in offers]
    assert "Convert `user` to Pydantic model `User`" in titles
    offer = next(action for action in offers if action.title.startswith("Convert `user`"))
    resolved = offer if offer.edit else await client.code_action_resolve_async(offer)
    text = lsp.apply_text_edits(SOURCE, lsp.edits_of(resolved.edit, uri))
    assert "def process_user(user: User) -> dict:" in text
