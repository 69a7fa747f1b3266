"""The standards language server's shared state: what every feature module uses.

`StandardsServer` is a pygls `LanguageServer` carrying:

- `server.documents` (`server.documents.DocumentStore`): the open documents. Use it, not
  `server.workspace.get_text_document`: document sync bypasses pygls' workspace (see
  `server.protocol`). `Document.text`, `.lines`, `.version`, `.path` (None for `untitled:`).
- `server.configuration` (`server.configuration.Configuration`): editor settings, the
  `ConfigResolver`, `settings_for(document)`.
- `server.scheduler` (`server.scheduling.Scheduler`): background analysis.
  `await server.scheduler.result_for(uri)` gives the `AnalysisResult` (findings, text, lines,
  settings) of the document's current version; `await server.scheduler.run_in_thread(fn)` runs
  other engine work off the event loop.
- Notebooks (`server.notebooks`) are `server.notebook_documents.NotebookDocument`s in the same
  store, under the notebook's URI; `notebook_of(server.documents, uri)` finds a cell's.
- `server.engine` (`rules.engine.Engine`), `server.codec` (`PositionCodec`, the negotiated
  position encoding; `server.rendering.client_range` / `server_range` convert ranges).

The features (`server.app` registers them) import this module, never `server.app`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.lsp.server import LanguageServer

from rules.engine import Engine
from server.configuration import Configuration, parse_editor_settings
from server.documents import Document, DocumentStore, Encoding, PositionCodec
from server.protocol import StandardsProtocol
from server.rendering import DiagnosticRenderer, server_range
from server.scheduling import Scheduler
from server.stdio import ThreadedReader, ThreadedWriter, serve, stdin_reader

SERVER_NAME = "standards-lsp"
JUPYTER_NOTEBOOK = "jupyter-notebook"
PYTHON_LANGUAGE = "python"
# The notebooks clients are asked to sync (`server.notebooks`): Jupyter's, their Python cells.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            notebook=JUPYTER_NOTEBOOK,
            cells=[types.NotebookCellLanguage(language=PYTHON_LANGUAGE)],
        )
    ],
    save=True,
)
SERVER_VERSION = "0.1.0"
# An initialization option: the client has the `standardsLsp.renameAt` command.
RENAME_AFTER_EXTRACT_OPTION = "renameAfterExtract"
logger = logging.getLogger(__name__)


class StandardsServer(LanguageServer):
    """The language server and the state its features share."""

    def __init__(self) -> None:
        super().__init__(
            SERVER_NAME,
            SERVER_VERSION,
            protocol_cls=StandardsProtocol,
            notebook_document_sync=NOTEBOOK_SYNC,
        )
        self.engine = Engine()
        self.documents = DocumentStore()
        self.configuration = Configuration()
        self.codec = PositionCodec()
        self.scheduler = Scheduler(
            self.engine,
            self.documents,
            self.configuration,
            renderer=lambda: DiagnosticRenderer(self.codec, self.code_descriptions),
        )
        self.push_diagnostics = True
        # the client runs `standardsLsp.renameAt` after an extraction (code_actions.py)
        self.rename_after_extract = False
        self.configuration.on_refusal.append(self._refuse)
        # whether diagnostics link to their rule's page (`codeDescription`), as the client says
        self.code_descriptions = True
        # whether the client watches the configuration files for the server (else their
        # saves and opens are taken as changes)
        self.watches_configuration_files = False
        # handlers kept out of the static capabilities, registered dynamically later
        self.withheld_features: dict[str, Any] = {}
        # the process's exit code: the specification's 1 for an `exit` without `shutdown`
        self.exit_code = 0
        protocol = self.standards_protocol
        protocol.on_open = self._opened
        protocol.on_change = self._changed
        protocol.on_close = self._closed

    def _refuse(self, message: str) -> None:
        """Tell the user once that a project's `required-version` excludes this server."""
        logger.error("%s", message)
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=message)
        )

    @property
    def standards_protocol(self) -> StandardsProtocol:
        """The protocol, as the subclass this server installs."""
        protocol = self.protocol
        assert isinstance(protocol, StandardsProtocol)  # noqa: S101 - installed in __init__
        return protocol

    def _start_io_async(
        self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
    ) -> None:
        """pygls' stdio loop, with stdin read on the event loop when it is a pipe or a socket
        (`server.stdio`: pygls reads it through its thread pool) and cut into messages by
        `server.framing`, and stdout written on a thread of its own (a message of megabytes
        does not stop the loop)."""
        self._stop_event = threading.Event()
        writer = ThreadedWriter(stdout or sys.stdout.buffer)
        self.protocol.set_writer(writer)
        try:
            asyncio.run(self._serve_io(stdin or sys.stdin.buffer))
        except BrokenPipeError:
            logger.error("the connection to the client is lost: shutting down")
        except SystemExit as exit_request:  # pygls' `exit` handler: 0 after `shutdown`, else 1
            self.exit_code = exit_request.code if isinstance(exit_request.code, int) else 1
        except KeyboardInterrupt:
            pass
        finally:
            writer.close()  # what was answered before the end reaches the client
            self.shutdown()

    async def _serve_io(self, stdin: BinaryIO) -> None:
        stop_event = self._stop_event
        assert stop_event is not None  # noqa: S101 - set by _start_io_async
        reader = await stdin_reader(stdin, ThreadedReader(stdin, self.thread_pool))
        await serve(reader, self.standards_protocol, stop_event)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """Send a `window/logMessage`."""
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def initialise_from(self, params: types.InitializeParams) -> None:
        """Read what `initialize` tells: encoding, editor settings, folders, pull support."""
        encoding = ServerCapabilitiesBuilder.choose_position_encoding(params.capabilities)
        value = encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding
        self.codec.encoding = Encoding(value)
        options = params.initialization_options
        self.rename_after_extract = isinstance(options, dict) and bool(
            options.get(RENAME_AFTER_EXTRACT_OPTION)
        )
        editor = parse_editor_settings(options)
        if editor is not None:
            self.configuration.set_editor_settings(editor)
        folders = [folder.uri for folder in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [params.root_uri]
        self.configuration.set_folders(folders)
        text_document = params.capabilities.text_document
        self.push_diagnostics = text_document is None or text_document.diagnostic is None
        self.code_descriptions = _supports_code_descriptions(text_document)

    def _opened(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        self.scheduler.forget(item.uri)  # a reopen starts afresh (a pull gets a full report)
        self.documents.open(Document(item.uri, item.text, item.version, item.language_id))
        self.scheduler.schedule(item.uri, opened=True)

    def _changed(self, params: types.DidChangeTextDocumentParams) -> None:
        document = self.documents.get(params.text_document.uri)
        if document is None:
            logger.warning("change of a document that is not open: %s", params.text_document.uri)
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                document.apply_edit(
                    server_range(change.range, document.lines, self.codec), change.text
                )
            else:
                document.replace_all(change.text, document.version)
        document.version = params.text_document.version
        self.scheduler.schedule(document.uri)

    def _closed(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        self.documents.close(uri)
        self.scheduler.forget(uri)
        self.configuration.forget(uri)
        if self.push_diagnostics:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )


def _supports_code_descriptions(text_document: types.TextDocumentClientCapabilities | None) -> bool:
    """False only when the client says it cannot show `codeDescription` (Eglot does)."""
    if text_document is None:
        return True
    said = [
        getattr(capability, "code_description_support", None)
        for capability in (text_document.publish_diagnostics, text_document.diagnostic)
        if capability is not None
    ]
    return not said or any(value is not False for value in said)
