"""The LSP protocol with changes to pygls' defaults: for speed on big files, and so that every
request gets an answer whatever the client sends.

- Messages come in as bodies from `server.framing` (`receive`, `receive_broken`), not through
  pygls' reader. Each request is answered: an unreadable body with ParseError (-32700, with the
  request's id when it can be read), a body that is no JSON-RPC message with InvalidRequest
  (-32600), an unknown method with MethodNotFound (-32601), params the method's type rejects
  with InvalidParams (-32602), anything after `shutdown` but `exit` with InvalidRequest. pygls
  raised these from inside its JSON decoding, so the request was never answered and the user
  got an "Error in server" pop-up; a notification the server cannot use is only logged.
- Document sync goes to the server's own `DocumentStore` (`server.documents`), which splices the
  lines an edit touches instead of re-splitting the whole text as pygls' workspace does;
  notebook sync goes to `server.notebooks` alone, for the same reason.
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

from cattrs.errors import ClassValidationError
from lsprotocol import types
from lsprotocol.types import ResponseErrorMessage
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
    JsonRpcParseError,
)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
)

from server.framing import BrokenFrame, recover_id

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)
JSONRPC_VERSION = "2.0"
# Notifications of this prefix are optional: a server that does not know one ignores it.
OPTIONAL_NOTIFICATION_PREFIX = "$/"

type MessageId = int | str

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

    # Notebooks go to the server's handlers alone (`server.notebooks`): pygls' own would keep a
    # second copy of every cell in its workspace, re-split on each edit.
    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def lsp_notebook_document__did_open(
        self, params: types.DidOpenNotebookDocumentParams
    ) -> HandlerStep:
        yield from self._user_handler_step(types.NOTEBOOK_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def lsp_notebook_document__did_change(
        self, params: types.DidChangeNotebookDocumentParams
    ) -> HandlerStep:
        yield from self._user_handler_step(types.NOTEBOOK_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def lsp_notebook_document__did_close(
        self, params: types.DidCloseNotebookDocumentParams
    ) -> HandlerStep:
        yield from self._user_handler_step(types.NOTEBOOK_DOCUMENT_DID_CLOSE, params)

    def receive(self, body: bytes) -> None:
        """Handle one message body; every request in it gets an answer."""
        try:
            data = json.loads(body)
        except ValueError as error:  # bad JSON or bad UTF-8
            self._reply_error(recover_id(body), JsonRpcParseError(f"unreadable message: {error}"))
            return
        refusal = _malformed(data)
        if refusal is not None:
            self._reply_error(_message_id(data), JsonRpcInvalidRequest(refusal))
            return
        if "id" in data and _message_id(data) is None:
            logger.warning("a message with an invalid id: %.200s", body)
            return
        if self._accepts(data):
            self._structured(data, body)

    def _accepts(self, data: dict[str, Any]) -> bool:
        """Whether the server handles this message now; a request it does not is answered."""
        method = data.get("method")
        is_request = "id" in data and method is not None
        if self._shutdown and method != types.EXIT:
            if is_request:
                self._reply_error(data["id"], JsonRpcInvalidRequest("the server is shut down"))
            return False
        if method is None or self._knows(method):
            return True
        if is_request:
            self._reply_error(data["id"], JsonRpcMethodNotFound(f"unknown method {method!r}"))
        elif not method.startswith(OPTIONAL_NOTIFICATION_PREFIX):
            logger.warning("ignoring the notification of an unknown method %r", method)
        return False

    def structure_message(self, data: dict[str, Any]) -> Any:
        """A message as its method's types; pygls' own raises the same errors but logs each
        client mistake as a server traceback."""
        if "jsonrpc" not in data:
            return data
        try:
            return self._converter.structure(data, self._message_type(data))
        except Exception as error:  # cattrs: ClassValidationError, or others for odd shapes
            raise JsonRpcInvalidParams from error

    def _message_type(self, data: dict[str, Any]) -> Any:
        method = data.get("method")
        if "id" not in data:
            return self.get_message_type(method or "") or JsonRPCNotification
        if "error" in data:
            return ResponseErrorMessage
        if method is not None:
            return self.get_message_type(method) or JsonRPCRequestMessage
        return self._result_types.pop(data["id"], None) or JsonRPCResponseMessage

    def _structured(self, data: dict[str, Any], body: bytes) -> None:
        """Turn the message into its method's types and handle it (invalid params answered)."""
        method = data.get("method")
        try:
            message = self.structure_message(data)
        except JsonRpcException as error:
            if "id" in data and method is not None:
                self._reply_error(data["id"], JsonRpcInvalidParams(_invalid_params(method, error)))
            else:
                logger.warning("ignoring a message with invalid params: %.200s", body)
            return
        self.handle_message(message)

    def receive_broken(self, broken: BrokenFrame) -> None:
        """Bytes that were no message: logged, and a request whose id they show is answered."""
        logger.warning("skipped %d bytes: %s", len(broken.data), broken.reason)
        message_id = recover_id(broken.data)
        if message_id is not None:
            self._reply_error(message_id, JsonRpcParseError(broken.reason))

    def _knows(self, method: str) -> bool:
        features = self.fm
        return (
            method == types.CANCEL_REQUEST
            or method in features.builtin_features
            or method in features.features
        )

    def _reply_error(self, message_id: MessageId | None, error: JsonRpcException) -> None:
        """An error response, written directly (its id may be null, which pygls' types reject)."""
        payload = json.dumps(
            {
                "jsonrpc": JSONRPC_VERSION,
                "id": message_id,
                "error": {"code": error.code, "message": error.message},
            }
        )
        self._write_body(payload)

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


def _malformed(data: object) -> str | None:
    """Why a decoded body is no JSON-RPC 2.0 message (None: it is one)."""
    if not isinstance(data, dict) or data.get("jsonrpc") != JSONRPC_VERSION:
        return "not a JSON-RPC 2.0 message"
    if "method" in data and not isinstance(data["method"], str):
        return "the method is no string"
    return None


def _message_id(data: object) -> MessageId | None:
    """A message's id, when it has one of a valid type (a bool is no id)."""
    if not isinstance(data, dict):
        return None
    value = data.get("id")
    return value if isinstance(value, int | str) and not isinstance(value, bool) else None


def _invalid_params(method: str | None, error: JsonRpcException) -> str:
    """What was wrong with a request's params, as far as the validation says."""
    cause = error.__cause__
    detail = ""
    if isinstance(cause, ClassValidationError):
        detail = ": " + "; ".join(str(exception) for exception in cause.exceptions)
    return f"invalid params for {method}{detail}"
