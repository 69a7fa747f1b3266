"""The LSP protocol with two changes to pygls' defaults, both for speed on big files.

- Document sync goes to the server's own `DocumentStore` (`server.documents`), which splices the
  lines an edit touches instead of re-splitting the whole text as pygls' workspace does.
- Messages whose JSON the server has already built (diagnostics, from fragments cached per
  finding) are written as they are: cattrs would otherwise unstructure thousands of
  `Diagnostic` objects on every keystroke.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)
JSONRPC_VERSION = "2.0"

type SyncHook = Callable[[Any], None]
type HandlerStep = Generator[Any, Any, None]


class RawJson:
    """A request result (or notification params) already serialised to JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text


class StandardsProtocol(LanguageServerProtocol):
    """pygls' protocol, with document sync handed to the server's hooks and raw JSON output."""

    on_open: SyncHook | None = None
    on_change: SyncHook | None = None
    on_close: SyncHook | None = None

    def __init__(self, server: LanguageServer, converter: Any) -> None:
        super().__init__(server, converter)
        self._pending_writes: set[asyncio.Future[Any]] = set()

    def _user_handler_step(self, method: str, params: Any) -> HandlerStep:
        if (user_handler := self.fm.features.get(method)) is not None:
            yield user_handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> HandlerStep:
        if self.on_open is not None:
            self.on_open(params)
        yield from self._user_handler_step(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> HandlerStep:
        if self.on_change is not None:
            self.on_change(params)
        yield from self._user_handler_step(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> HandlerStep:
        if self.on_close is not None:
            self.on_close(params)
        yield from self._user_handler_step(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def notify_raw(self, method: str, params: RawJson) -> None:
        """Send a notification whose params are JSON text already."""
        self._write_body(
            f'{{"jsonrpc":"{JSONRPC_VERSION}","method":{json.dumps(method)},"params":{params.text}}}'
        )

    def _send_response(
        self, msg_id: Any, result: Any | None = None, error: Any | None = None
    ) -> None:
        if error is None and isinstance(result, RawJson):
            self._result_types.pop(msg_id, None)
            self._write_body(
                f'{{"jsonrpc":"{JSONRPC_VERSION}","id":{json.dumps(msg_id)},"result":{result.text}}}'
            )
            return
        super()._send_response(msg_id, result, error)

    def _write_body(self, body: str) -> None:
        """Frame and write one message, as pygls' `_send_data` does for its own."""
        if self.writer is None:
            logger.error("no transport to send to")
            return
        encoded = body.encode(self.CHARSET)
        if self._include_headers:
            header = (
                f"Content-Length: {len(encoded)}\r\n"
                f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            )
            encoded = header.encode(self.CHARSET) + encoded
        written = self.writer.write(encoded)
        if inspect.isawaitable(written):
            self._pending_writes.add(task := asyncio.ensure_future(written))
            task.add_done_callback(self._pending_writes.discard)
