"""The standards language server: assembly and entry point.

`run_server(tcp)` serves over stdio (or TCP, "HOST:PORT", for debugging); `standards-lsp serve`
calls it. The server's shared state is `server.language_server.StandardsServer`.

Adding a feature
----------------
Write a module `server/<feature>.py` with a function `register(server: StandardsServer) -> None`
that installs its handlers with `@server.feature(types.METHOD, options)` (and `@server.command`
for commands), and call it from `create_server` below. LSP has one handler per method: where two
modules answer the same method (hover, code actions), the owner of the method takes the other's
answers as an argument of its `register`, here, so the composition is visible in one place. Keep
the feature's pure logic in `rules/` (no LSP there); the module only translates between LSP and
the engine.
"""

from __future__ import annotations

import logging
import sys
from functools import partial

from lsprotocol import types

from server import (
    code_actions,
    diagnostics,
    hover,
    index,
    notebooks,
    rename,
    standards_editing,
    warm_up,
    workspace,
    workspace_diagnostics,
)
from server.language_server import StandardsServer
from server.plugins import load_test_plugins

logger = logging.getLogger(__name__)


def create_server() -> StandardsServer:
    """A server with every feature registered."""
    load_test_plugins()
    server = StandardsServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.initialise_from(params)
        diagnostics.advertise_workspace_diagnostics(server)
        standards_editing.withhold_static_completion(server)

    workspace_index = index.register(server)
    configuration_saved = partial(
        workspace.configuration_file_touched, hooks=[workspace_index.start]
    )
    diagnostics.register(server, on_save=[configuration_saved])
    notebooks.register(server)
    code_actions.register(server, more_actions=[standards_editing.convert_action])
    hover.register(server, hover_first=[standards_editing.hover_for])
    workspace.register(
        server,
        after_initialized=[workspace_index.start],
        after_change=[workspace_index.start],
        more_registrations=[standards_editing.completion_registration],
    )
    standards_editing.register(server)
    workspace_diagnostics.register(server)
    rename.register(server)
    warm_up.register(server)
    return server


def run_server(tcp: str | None = None) -> int:
    """Serve over stdio, or over TCP when `tcp` is "HOST:PORT"; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    server = create_server()
    server.scheduler.collector.take_over()
    if tcp is None:
        server.start_io()
        return server.exit_code
    host, _, port = tcp.rpartition(":")
    server.start_tcp(host or "127.0.0.1", int(port))
    return server.exit_code
