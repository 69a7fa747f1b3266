"""Hover, and positions in the negotiated encoding on lines with emoji, CJK and combining marks."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.support.lsp import (
    RecordingClient,
    change_document,
    codes,
    diagnostics_for,
    initialize,
    open_document,
    span,
)

# an emoji (two UTF-16 units, four UTF-8 bytes), CJK (one unit, three bytes), e + combining acute
WIDE = 's = "\N{GRINNING FACE}\N{CJK UNIFIED IDEOGRAPH-6F22}e\N{COMBINING ACUTE ACCENT}"; '


def _column(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_ranges_are_exact_in_the_negotiated_encoding(
    client: RecordingClient, project: Path, encoding: str
) -> None:
    result = await initialize(client, project, encodings=[encoding, "utf-16"])
    assert result.capabilities.position_encoding == encoding
    text = f"{WIDE}print(legacy)\n"
    uri = open_document(client, project / "app.py", text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert codes(diagnostics) == ["STD990", "STD991"]
    start = _column(WIDE, encoding)
    assert diagnostics[0].range == span(0, start, 0, start + 5)
    legacy = _column(f"{WIDE}print(", encoding)
    assert diagnostics[1].range == span(0, legacy, 0, legacy + 6)
    # an edit positioned in the same encoding, right after the wide characters
    change_document(client, uri, 2, [(span(0, start, 0, start + 5), "log")])
    diagnostics = await diagnostics_for(client, uri, 2)
    assert codes(diagnostics) == ["STD991"]
    moved = _column(f"{WIDE}log(", encoding)
    assert diagnostics[0].range == span(0, moved, 0, moved + 6)


async def test_utf16_is_the_default(client: RecordingClient, project: Path) -> None:
    result = await initialize(client, project)
    assert result.capabilities.position_encoding in (None, "utf-16")
    uri = open_document(client, project / "app.py", f"{WIDE}print(1)\n")
    diagnostics = await diagnostics_for(client, uri, 1)
    assert diagnostics[0].range.start.character == _column(WIDE, "utf-16")


async def test_hover_on_a_diagnostic_and_on_a_noqa_code(
    client: RecordingClient, project: Path
) -> None:
    await initialize(client, project)
    text = "import openai\nimport anthropic  # noqa: STD302, STD990\nx = 1\n"
    uri = open_document(client, project / "app.py", text)
    await diagnostics_for(client, uri, 1)
    identifier = types.TextDocumentIdentifier(uri=uri)

    async def hover(line: int, character: int) -> types.Hover | None:
        return await client.text_document_hover_async(
            types.HoverParams(
                text_document=identifier, position=types.Position(line=line, character=character)
            )
        )

    on_finding = await hover(0, 9)
    assert on_finding is not None
    assert isinstance(on_finding.contents, types.MarkupContent)
    assert on_finding.contents.kind == types.MarkupKind.Markdown
    assert on_finding.contents.value.startswith("# STD302 ")
    assert on_finding.range == span(0, 7, 0, 13)
    on_noqa = await hover(1, 30)
    assert on_noqa is not None
    assert isinstance(on_noqa.contents, types.MarkupContent)
    assert on_noqa.contents.value.startswith("# STD302 ")
    assert on_noqa.range == span(1, 26, 1, 32)
    assert await hover(2, 0) is None
