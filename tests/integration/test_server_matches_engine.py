"""Property: after any sequence of edits settles, the server reports exactly what a fresh check
of the same text reports (`Engine().check`, the same settings, in this process).

Random insertions and deletions of random text at random places on three stdlib modules, sent
as incremental UTF-16 edits in bursts (so stale analyses are dropped along the way).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.models import Position, Range
from rules.source import split_lines
from server.documents import PositionCodec
from server.rendering import client_range
from tests.support.lsp import (
    RecordingClient,
    change_document,
    diagnostics_for,
    initialize,
    open_document,
)
from tests.support.paths import STDLIB

FILES = ("textwrap.py", "shlex.py", "calendar.py")
TEST_RULE_PREFIX = "STD99"  # the test-only rules run in the server only
PIECES = st.sampled_from(
    [
        "a", " ", "\n", "(", ")", "[", ":", "'", '"', '"""', "#", "1", "42", "0.5", "    ",
        "print(", "legacy", "def f():\n    ", "class C:\n", "import openai\n", "\\",
        "\N{GRINNING FACE}", "\N{CJK UNIFIED IDEOGRAPH-6F22}", "e\N{COMBINING ACUTE ACCENT}",
    ]
)  # fmt: skip
EDITS = st.tuples(
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=40),
    st.lists(PIECES, max_size=4).map("".join),
)
BURSTS = st.lists(st.lists(EDITS, min_size=1, max_size=3), min_size=3, max_size=4)
CODEC = PositionCodec()
_counter = itertools.count()


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) - text.count("\r\n", 0, offset)
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return line, offset - start


def _edit(text: str, fraction: float, length: int, insert: str) -> tuple[str, types.Range]:
    start = int(fraction * len(text))
    end = min(len(text), start + length)
    if text[start - 1 : start + 1] == "\r\n":  # never split a CRLF pair
        start -= 1
    first, last = _position(text, start), _position(text, end)
    lines = split_lines(text)
    lines.append("")
    engine_range = client_range(_engine_range(first, last), lines, CODEC)  # code points -> UTF-16
    return text[:start] + insert + text[end:], engine_range


def _engine_range(first: tuple[int, int], last: tuple[int, int]) -> Range:
    return Range(
        start=Position(line=first[0], character=first[1]),
        end=Position(line=last[0], character=last[1]),
    )


def _expected(text: str, path: Path) -> list[tuple[str, str, types.Range, int]]:
    resolver = ConfigResolver()
    source = SourceFile(
        text=text,
        settings=resolver.settings_for(str(path)),
        path=str(path),
        project_root=resolver.project_for(path).root,
    )
    lines = split_lines(text)
    severities = {"error": 1, "warning": 2, "information": 3, "hint": 4}
    return [
        (f.code, f.message, client_range(f.range, lines, CODEC), severities[f.severity.value])
        for f in Engine().check(source).findings
    ]


def _reported(diagnostics: list[types.Diagnostic]) -> list[tuple[str, str, types.Range, int]]:
    return [
        (str(d.code), d.message, d.range, int(d.severity or 0))
        for d in diagnostics
        if not str(d.code).startswith(TEST_RULE_PREFIX)
    ]


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(FILES), bursts=BURSTS)
async def test_server_diagnostics_equal_a_fresh_check(
    client: RecordingClient,
    project: Path,
    name: str,
    bursts: list[list[tuple[float, int, str]]],
) -> None:
    if client.capabilities is None:  # one server for every example
        await initialize(client, project)
    text = (STDLIB / name).read_text(encoding="utf-8")
    path = project / f"example_{next(_counter)}.py"
    uri = open_document(client, path, text)
    version = 1
    for burst in bursts:
        for fraction, length, insert in burst:
            text, where = _edit(text, fraction, length, insert)
            version += 1
            change_document(client, uri, version, [(where, insert)])
        diagnostics = await diagnostics_for(client, uri, version)
        assert _reported(diagnostics) == _expected(text, path)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
