"""The project-shape rules through the language server (pytest-lsp over stdio): the fixture
repositories' findings as workspace diagnostics (with `$/progress`) and as document
diagnostics, and the editing help in standards.toml (completion, hover, conversion)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lsprotocol import types

from rules.config import parse_standards_toml
from tests.support.lsp import (
    RecordingClient,
    diagnostics_for,
    initialize,
    open_document,
)
from tests.support.projects import (
    FIXTURE_NAMES,
    PROJECT_CODES,
    copy_fixture,
    expected_findings,
    record_key,
    sort_records,
)

WORKSPACE_ON = {"workspaceDiagnostics": True}
SCAN_PROGRESS_ID = "workspace-scan"


SEVERITY_NAMES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


def _records(root: Path, report: types.WorkspaceDiagnosticReport) -> list[dict[str, object]]:
    """The report as the CLI's JSON records (ASCII fixtures: UTF-16 columns are code points)."""
    records: list[dict[str, object]] = []
    for item in report.items:
        assert isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
        path = Path(item.uri.removeprefix("file://")).relative_to(root).as_posix()
        for diagnostic in item.items:
            if diagnostic.code not in PROJECT_CODES:
                continue
            start, end = diagnostic.range.start, diagnostic.range.end
            fix = diagnostic.data["fix"] if isinstance(diagnostic.data, dict) else None
            records.append(
                {
                    "path": path,
                    "code": diagnostic.code,
                    "severity": SEVERITY_NAMES[diagnostic.severity or 1],
                    "message": diagnostic.message,
                    "start": {"line": start.line + 1, "column": start.character + 1},
                    "end": {"line": end.line + 1, "column": end.character + 1},
                    "fix": fix,
                }
            )
    return sort_records(records)


async def _scan(client: RecordingClient) -> types.WorkspaceDiagnosticReport:
    return await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[], work_done_token=SCAN_PROGRESS_ID)
    )


@pytest.mark.parametrize("name", FIXTURE_NAMES)
async def test_workspace_diagnostics_give_the_fixture_findings(
    client: RecordingClient, tmp_path: Path, name: str
) -> None:
    root = copy_fixture(name, tmp_path)
    result = await initialize(client, root, options=WORKSPACE_ON, pull=True)
    assert result.capabilities.diagnostic_provider is not None
    assert result.capabilities.diagnostic_provider.workspace_diagnostics is True
    report = await _scan(client)
    assert _records(root, report) == expected_findings(name)
    kinds = [type(value).__name__ for value in client.progress_reports[SCAN_PROGRESS_ID]]
    assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"


async def test_workspace_diagnostics_are_opt_in(client: RecordingClient, tmp_path: Path) -> None:
    root = copy_fixture("pip_docker", tmp_path)
    await initialize(client, root, pull=True)
    assert list((await _scan(client)).items) == []


@pytest.mark.timeout(120)
async def test_workspace_scan_survives_symlink_loops_and_stays_inside(
    client: RecordingClient, tmp_path: Path
) -> None:
    root = copy_fixture("clean_uv", tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "requirements.txt").write_text("httpx\n")
    (root / "src" / "loop").symlink_to(root / "src", target_is_directory=True)
    (root / "Pipfile").symlink_to(root / "Pipfile")
    (root / "requirements.txt").symlink_to(outside / "requirements.txt")
    await initialize(client, root, options=WORKSPACE_ON, pull=True)
    report = await _scan(client)
    paths = {item.uri for item in report.items}
    assert (root / "pyproject.toml").as_uri() in paths
    assert not any("outside" in uri or "loop" in uri or "Pipfile" in uri for uri in paths)
    assert (root / "requirements.txt").as_uri() not in paths


async def test_document_diagnostics_of_a_fixture_file(
    client: RecordingClient, tmp_path: Path
) -> None:
    root = copy_fixture("pip_docker", tmp_path)
    await initialize(client, root)
    dockerfile = root / "Dockerfile"
    uri = open_document(client, dockerfile, dockerfile.read_text())
    diagnostics = await diagnostics_for(client, uri, 1)
    expected = [
        record_key(record)
        for record in expected_findings("pip_docker")
        if record["path"] == "Dockerfile"
    ]
    found = [
        (str(item.code), item.range.start.line + 1, item.range.start.character + 1)
        for item in diagnostics
    ]
    assert found == expected


async def test_standards_toml_completion(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    uri = open_document(client, tmp_path / "standards.toml", "[standards]\nruleset = \n")
    items = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=10),
        )
    )
    assert isinstance(items, list)
    assert [(item.label, item.insert_text) for item in items] == [
        ("python-production", '"python-production"'),
        ("python-internal", '"python-internal"'),
        ("python-prototype", '"python-prototype"'),
    ]
    headers = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=1),
        )
    )
    assert isinstance(headers, list)
    assert {"metadata", "extends", "code.linting.ruff.lint"} <= {item.label for item in headers}


async def test_standards_toml_hover_shows_the_tier_values(
    client: RecordingClient, tmp_path: Path
) -> None:
    await initialize(client, tmp_path)
    uri = open_document(
        client, tmp_path / "standards.toml", '[standards]\nruleset = "python-internal"\n'
    )
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=14),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "| mccabe max-complexity | 15 |" in hover.contents.value
    assert hover.range == types.Range(
        start=types.Position(line=1, character=10), end=types.Position(line=1, character=27)
    )


async def test_standards_toml_convert_action(client: RecordingClient, tmp_path: Path) -> None:
    await initialize(client, tmp_path)
    text = '[standards]\nruleset = "python-production"\n'
    uri = open_document(client, tmp_path / "standards.toml", text)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is not None
    (convert,) = [
        action
        for action in actions
        if isinstance(action, types.CodeAction) and action.title.startswith("Convert")
    ]
    assert convert.edit is not None and convert.edit.changes is not None
    (edit,) = convert.edit.changes[uri]
    assert edit.range.start == types.Position(line=0, character=0)
    assert edit.range.end == types.Position(line=2, character=0)
    converted = tomllib.loads(edit.new_text)
    assert converted["metadata"] == {"tier": "production"}
    assert parse_standards_toml(edit.new_text, "standards.toml").problems == ()
