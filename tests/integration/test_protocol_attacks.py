"""The server attacked over raw stdio, as an outsider with a hand-written client would (issue 13).

Each test names the issue's item it covers. The server must survive every malformed frame and
answer what follows, answer every request (with the right error code when it cannot serve it),
exit with the specification's codes, and honour what the client says it supports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.raw_lsp import RawServer, encode, frame

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
# Longer than asyncio's 64 KiB line limit, which ended the server (item 3).
LONG_HEADER_DIGITS = 70_000
SHOW_MESSAGE = "window/showMessage"


@pytest.fixture
def server(project: Path) -> Iterator[RawServer]:
    """A started server, initialized with no capabilities at `project`."""
    raw = RawServer(project)
    raw.initialize(project)
    yield raw
    raw.close()


def _alive(server: RawServer) -> None:
    """The server still answers a request correctly framed."""
    answer = server.request("textDocument/hover", _hover_params("file:///nowhere.py"))
    assert answer.get("result") is None
    assert "error" not in answer


def _hover_params(uri: str) -> dict[str, object]:
    return {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}


def _error_code(answer: dict[str, object]) -> object:
    error = answer.get("error")
    assert isinstance(error, dict), answer
    return error["code"]


def _no_pop_up(server: RawServer) -> None:
    assert not [m for m in server.seen if m.get("method") == SHOW_MESSAGE]


# item 3: a header line over 64 KiB


def test_a_header_line_over_64_kib_is_skipped_and_the_server_answers_on(
    server: RawServer,
) -> None:
    server.send_bytes(b"X-Junk: " + b"0" * LONG_HEADER_DIGITS + b"\r\n")
    _alive(server)
    assert server.process.poll() is None


# item 13: a wrong Content-Length or a truncated body


def test_a_content_length_too_long_loses_only_that_message(server: RawServer) -> None:
    message_id = server.next_id()
    body = json.dumps(
        {"jsonrpc": "2.0", "id": message_id, "method": "textDocument/hover", "params": {}}
    ).encode()
    server.send_bytes(b"Content-Length: %d\r\n\r\n%s" % (len(body) + 1000, body))
    _alive(server)  # read at once: the server does not wait for the 1,000 bytes promised
    assert _error_code(server.response(message_id)) == PARSE_ERROR


def test_a_content_length_too_short_loses_only_that_message(server: RawServer) -> None:
    message_id = server.next_id()
    body = json.dumps(
        {"jsonrpc": "2.0", "id": message_id, "method": "shutdown", "params": None}
    ).encode()
    server.send_bytes(b"Content-Length: %d\r\n\r\n%s" % (len(body) - 5, body))
    assert _error_code(server.response(message_id)) == PARSE_ERROR
    _alive(server)


def test_a_truncated_body_then_the_next_message_is_answered(server: RawServer) -> None:
    server.send_bytes(b'Content-Length: 500\r\n\r\n{"jsonrpc": "2.0", "id": 99, "meth')
    _alive(server)
    assert _error_code(server.response(99)) == PARSE_ERROR


def test_garbage_between_messages_and_headers_without_length_are_skipped(
    server: RawServer,
) -> None:
    server.send_bytes(b"garbage without any structure\r\n\r\nContent-Type: x\r\n\r\n")
    server.send_bytes(b"\xff\xfe\x00junk")
    _alive(server)


def test_unreadable_bodies_get_parse_errors_and_non_messages_invalid_request(
    server: RawServer,
) -> None:
    server.send_bytes(frame(b"{not json"))
    assert _error_code(server.response(None)) == PARSE_ERROR
    server.seen.clear()
    server.send_bytes(frame(b'{"jsonrpc": "2.0", "id": 7, "method": "x", "params": "\xff"}'))
    assert _error_code(server.response(7)) == PARSE_ERROR
    for body in (
        b"[]",
        b"42",
        b'{"id": 8, "method": "shutdown"}',
        b'{"jsonrpc": "2.0", "method": 9}',
    ):
        server.seen.clear()
        server.send_bytes(frame(body))
        answer = server.wait_for(lambda m: "error" in m)
        assert _error_code(answer) == INVALID_REQUEST, body
    _alive(server)
    _no_pop_up(server)


# item 12: missing or invalid params; unknown methods


def test_requests_with_missing_or_invalid_params_are_answered_invalid_params(
    server: RawServer,
) -> None:
    assert _error_code(server.request("textDocument/hover")) == INVALID_PARAMS
    wrong = {"textDocument": {"uri": 3}, "position": {"line": "zero"}}
    assert _error_code(server.request("textDocument/hover", wrong)) == INVALID_PARAMS
    assert _error_code(server.request("textDocument/codeAction", {})) == INVALID_PARAMS
    _alive(server)
    _no_pop_up(server)


def test_unknown_methods_are_answered_method_not_found_notifications_ignored(
    server: RawServer,
) -> None:
    assert _error_code(server.request("frobnicate/now")) == METHOD_NOT_FOUND
    assert _error_code(server.request("frobnicate/now", {"x": 1})) == METHOD_NOT_FOUND
    server.notify("$/unknownNotification")
    server.notify("custom/unknown")
    server.notify("textDocument/didChange")  # known, but without params
    _alive(server)
    _no_pop_up(server)


# item 18 and item 11: after shutdown; exit codes


def test_requests_after_shutdown_get_invalid_request_and_exit_ends_with_0(
    project: Path,
) -> None:
    server = RawServer(project)
    try:
        server.initialize(project)
        assert server.request("shutdown").get("result") is None
        assert _error_code(server.request("textDocument/hover", _hover_params("file:///a.py"))) == (
            INVALID_REQUEST
        )
        server.notify("exit")
        assert server.exit_code() == 0
    finally:
        server.close()


def test_exit_without_shutdown_ends_with_1(project: Path) -> None:
    server = RawServer(project)
    try:
        server.initialize(project)
        server.notify("exit")
        assert server.exit_code() == 1
    finally:
        server.close()


def test_an_attack_leaves_no_traceback_and_the_session_ends_cleanly(project: Path) -> None:
    server = RawServer(project)
    try:
        server.initialize(project)
        server.send_bytes(b"Content-Length: 3\r\n\r\n{{{")
        server.send_bytes(encode({"jsonrpc": "2.0", "method": "textDocument/didOpen"}))
        _alive(server)
        server.request("shutdown")
        server.notify("exit")
        assert server.exit_code() == 0
        assert "Traceback" not in server.stderr_text()
    finally:
        server.close()


# items 14-20: what the client says it supports


MAGIC_MODULE = "def f(x):\n    return x * 0.025\n"


def _open(server: RawServer, path: Path, text: str) -> str:
    path.write_text(text)
    uri = path.as_uri()
    document = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    server.notify("textDocument/didOpen", {"textDocument": document})
    return uri


def _started(project: Path, capabilities: dict[str, Any]) -> RawServer:
    server = RawServer(project)
    server.initialize(project, capabilities)
    return server


def test_hover_answers_plain_text_to_a_client_that_asks_for_it(project: Path) -> None:
    server = _started(project, {"textDocument": {"hover": {"contentFormat": ["plaintext"]}}})
    try:
        uri = _open(server, project / "m.py", MAGIC_MODULE)
        server.published(uri)
        answer = server.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 17}},
        )
        assert answer["result"]["contents"]["kind"] == "plaintext"
    finally:
        server.close()


def test_no_code_description_for_a_client_that_cannot_show_it(project: Path) -> None:
    capabilities = {"textDocument": {"publishDiagnostics": {"codeDescriptionSupport": False}}}
    server = _started(project, capabilities)
    try:
        uri = _open(server, project / "m.py", MAGIC_MODULE)
        diagnostics = server.published(uri)["diagnostics"]
        assert diagnostics
        assert all("codeDescription" not in diagnostic for diagnostic in diagnostics)
    finally:
        server.close()


def test_code_actions_follow_the_diagnostics_sent_back_and_titles_are_distinct(
    project: Path,
) -> None:
    server = _started(project, {})
    try:
        uri = _open(server, project / "m.py", MAGIC_MODULE)
        diagnostic = server.published(uri)["diagnostics"][0]
        elsewhere = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
        answer = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": elsewhere,
                "context": {"diagnostics": [diagnostic]},
            },
        )
        titles = [action["title"] for action in answer["result"]]
        assert any(title.startswith("Extract") for title in titles), titles
        at_number = diagnostic["range"]
        answer = server.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": at_number, "context": {"diagnostics": []}},
        )
        titles = [action["title"] for action in answer["result"]]
        assert len(titles) == len(set(titles)), titles
        only = server.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": at_number,
                "context": {"diagnostics": [diagnostic], "only": ["refactor"]},
            },
        )
        assert all(action["kind"].startswith("refactor") for action in only["result"])
    finally:
        server.close()


def test_completion_triggers_only_where_something_completes(project: Path) -> None:
    static = RawServer(project)
    try:
        capabilities = static.initialize(project)["result"]["capabilities"]
        assert not capabilities.get("completionProvider", {}).get("triggerCharacters")
    finally:
        static.close()
    dynamic = _started(project, {"textDocument": {"completion": {"dynamicRegistration": True}}})
    try:
        registration = dynamic.wait_for(lambda m: m.get("method") == "client/registerCapability")
        dynamic.answer_server_requests()
        registered = registration["params"]["registrations"]
        completion = [r for r in registered if r["method"] == "textDocument/completion"]
        options = completion[0]["registerOptions"]
        assert options["documentSelector"] == [{"pattern": "**/standards.toml"}]
        assert options["triggerCharacters"]
    finally:
        dynamic.close()


def test_a_client_that_does_not_watch_files_sees_a_tier_change_on_save(project: Path) -> None:
    server = _started(project, {})  # no didChangeWatchedFiles: like ALE
    try:
        uri = _open(server, project / "m.py", MAGIC_MODULE)
        assert server.published(uri)["diagnostics"]
        prototype = '[standards]\nruleset = "python-prototype"\n'
        (project / "standards.toml").write_text(prototype)
        toml_uri = (project / "standards.toml").as_uri()
        document = {"uri": toml_uri, "languageId": "toml", "version": 1, "text": prototype}
        server.notify("textDocument/didOpen", {"textDocument": document})
        server.notify("textDocument/didSave", {"textDocument": {"uri": toml_uri}})
        # the prototype tier does not report STD201: the module is re-checked without it
        server.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and not m["params"]["diagnostics"]
            )
        )
    finally:
        server.close()


# huge files: prepareRename off the event loop


def test_other_requests_are_answered_while_a_rename_parses_a_big_module(
    server: RawServer, project: Path
) -> None:
    big = "".join(f"CONSTANT_{index} = {index}\n" for index in range(30_000))
    uri = _open(server, project / "big.py", big)
    server.published(uri)
    rename_id = server.send_request(
        "textDocument/prepareRename",
        {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}},
    )
    _alive(server)  # answered whether or not the parse has ended
    assert "result" in server.response(rename_id)
