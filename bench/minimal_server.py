"""The floor of start-up for this stack: a pygls server that publishes one empty diagnostic list
on `didOpen` and does nothing else. `bench.lsp_latency` starts it as it starts our server and
times process spawn -> first diagnostics the same way.

    python bench/minimal_server.py
"""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

SERVER_NAME = "minimal-pygls"
SERVER_VERSION = "0"


def create_server() -> LanguageServer:
    """The minimal server."""
    server = LanguageServer(SERVER_NAME, SERVER_VERSION)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, diagnostics=[], version=document.version
            )
        )

    return server


if __name__ == "__main__":
    create_server().start_io()
