"""Editor settings per workspace folder: the server asks `workspace/configuration` for the window
and for each folder, and an open document uses its folder's tier and selection; a client that
pushes its settings (one scope) replaces them all. And `logLevel`."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.support.lsp import (
    RecordingClient,
    capabilities,
    codes,
    diagnostics_for,
    eventually,
    open_document,
)
from tests.support.paths import PRODUCTION_STANDARDS

SECTION = "standardsLsp"
FEE = "def calculate_fee(amount: int) -> int:\n    return int(amount * 0.025)\n"


async def _two_folders(client: RecordingClient, tmp_path: Path) -> tuple[Path, Path]:
    strict, loose = tmp_path / "strict", tmp_path / "loose"
    for folder in (strict, loose):
        folder.mkdir()
        (folder / "standards.toml").write_text(PRODUCTION_STANDARDS)
    client.set_configuration({"tier": None, "logLevel": "debug"}, section=SECTION)
    client.set_configuration({"tier": "prototype"}, section=SECTION, scope_uri=loose.as_uri())
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            workspace_folders=[
                types.WorkspaceFolder(uri=strict.as_uri(), name="strict"),
                types.WorkspaceFolder(uri=loose.as_uri(), name="loose"),
            ],
        )
    )
    client.initialized(types.InitializedParams())
    return strict, loose


def _latest(client: RecordingClient, uri: str, expected: list[str]) -> bool | None:
    published = client.published.get(uri, [])
    return True if published and codes(list(published[-1].diagnostics)) == expected else None


async def test_a_folder_setting_applies_to_that_folder_only(
    client: RecordingClient, tmp_path: Path
) -> None:
    strict, loose = await _two_folders(client, tmp_path)
    # the pulled settings are in once a document opened later is checked with them
    loose_uri = open_document(client, loose / "fees.py", FEE)
    await eventually(lambda: _latest(client, loose_uri, []))
    strict_uri = open_document(client, strict / "fees.py", FEE)
    assert codes(await diagnostics_for(client, strict_uri, 1)) == ["STD201"]
    assert codes(await diagnostics_for(client, loose_uri, 1)) == []


async def test_pushed_settings_replace_the_folders(client: RecordingClient, tmp_path: Path) -> None:
    _strict, loose = await _two_folders(client, tmp_path)
    loose_uri = open_document(client, loose / "fees.py", FEE)
    await eventually(lambda: _latest(client, loose_uri, []))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={SECTION: {"tier": None}})
    )
    await eventually(lambda: _latest(client, loose_uri, ["STD201"]))
