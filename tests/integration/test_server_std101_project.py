"""STD101 as a whole-project refactoring through the language server: `codeAction/resolve`
builds one `WorkspaceEdit` whose versioned `documentChanges` edit the function's module and the
callers in another module (the version for an open document, null for a file only on disk); the
title says how many call sites in how many files change; a stale version gets no edit."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.support import lsp
from tests.support.lsp import RecordingClient

TOKENS = (
    "def subject(payload: dict) -> str:\n"
    '    if "sub" not in payload:\n'
    '        return payload.get("name", "anonymous")\n'
    '    return str(payload["sub"])\n'
    "\n"
    "\n"
    "def guest() -> str:\n"
    '    return subject({"sub": None, "name": "guest"})\n'
)
MAIN = (
    "import json\n"
    "\n"
    "from app.tokens import subject\n"
    "\n"
    "\n"
    "def run(raw: str) -> str:\n"
    "    return subject(json.loads(raw))\n"
)
# The editor's text of main.py, not saved: one more call.
MAIN_OPEN = MAIN + '\n\nADA = subject({"sub": "ada", "name": "Ada"})\n'
ON_PAYLOAD = lsp.span(0, 12, 0, 12)
TITLE = "Convert `payload` to Pydantic model `SubjectPayload`"


def _write_project(project: Path) -> tuple[Path, Path]:
    app = project / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "main.py").write_text(MAIN)
    return app / "tokens.py", app / "main.py"


def _document_edits(edit: types.WorkspaceEdit | None) -> dict[str, types.TextDocumentEdit]:
    assert edit is not None and edit.document_changes is not None
    assert edit.changes is None
    found = {}
    for change in edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        found[change.text_document.uri] = change
    return found


async def _conversion(client: RecordingClient, uri: str) -> types.CodeAction:
    await lsp.diagnostics_for(client, uri, 1)
    action = lsp.titled(await lsp.code_actions(client, uri, ON_PAYLOAD), TITLE)
    assert action.edit is None  # built in codeAction/resolve
    return action


async def test_the_conversion_edits_the_callers_file_on_disk_in_the_same_edit(
    client: RecordingClient, project: Path
) -> None:
    await lsp.initialize(client, project)
    tokens, main = _write_project(project)
    uri = lsp.open_document(client, tokens, TOKENS)
    resolved = await client.code_action_resolve_async(await _conversion(client, uri))
    assert resolved.title == f"{TITLE} (2 call sites in 2 files)"
    edits = _document_edits(resolved.edit)
    assert sorted(edits) == sorted([uri, main.as_uri()])
    assert edits[uri].text_document.version == 1
    assert edits[main.as_uri()].text_document.version is None  # on disk only
    own = lsp.apply_text_edits(TOKENS, lsp.edits_of(resolved.edit, uri))
    caller = lsp.apply_text_edits(MAIN, lsp.edits_of(resolved.edit, main.as_uri()))
    assert "class SubjectPayload(BaseModel):" in own
    assert 'return subject(SubjectPayload(sub=None, name="guest"))' in own
    assert "from app.tokens import SubjectPayload, subject" in caller
    assert "return subject(SubjectPayload.model_validate(json.loads(raw)))" in caller


async def test_an_open_caller_is_edited_as_the_editor_holds_it_at_its_version(
    client: RecordingClient, project: Path
) -> None:
    await lsp.initialize(client, project)
    tokens, main = _write_project(project)
    main_uri = main.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=main_uri, language_id="python", version=5, text=MAIN_OPEN
            )
        )
    )
    uri = lsp.open_document(client, tokens, TOKENS)
    resolved = await client.code_action_resolve_async(await _conversion(client, uri))
    assert resolved.title == f"{TITLE} (3 call sites in 2 files)"
    edits = _document_edits(resolved.edit)
    assert edits[main_uri].text_document.version == 5
    caller = lsp.apply_text_edits(MAIN_OPEN, lsp.edits_of(resolved.edit, main_uri))
    assert 'ADA = subject(SubjectPayload(sub="ada", name="Ada"))' in caller


async def test_a_stale_version_gets_no_edit(client: RecordingClient, project: Path) -> None:
    await lsp.initialize(client, project)
    tokens, _main = _write_project(project)
    uri = lsp.open_document(client, tokens, TOKENS)
    action = await _conversion(client, uri)
    lsp.change_document(client, uri, 2, [(None, TOKENS + "\n")])
    await lsp.diagnostics_for(client, uri, 2)
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is None


async def test_a_refusal_names_the_caller_in_the_other_module(
    client: RecordingClient, project: Path
) -> None:
    await lsp.initialize(client, project)
    tokens, main = _write_project(project)
    main.write_text(MAIN + "\n\nHOOKS = [subject]\n")
    uri = lsp.open_document(client, tokens, TOKENS)
    resolved = await client.code_action_resolve_async(await _conversion(client, uri))
    assert resolved.edit is None
    assert resolved.disabled is not None
    assert "app/main.py:10" in resolved.disabled.reason, resolved.disabled.reason
