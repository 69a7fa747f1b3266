"""`textDocument/prepareRename` and `textDocument/rename` for module-level constants.

The logic lives in `rules.checks.constants.rename` (pure); this module only converts positions between the
client's encoding and code points and turns a refused rename into an LSP `RequestFailed` error
carrying the reason, which editors show to the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from rules.checks.constants.rename import RenameError, prepare_rename, rename
from server.documents import lsp_lines
from server.rendering import client_range, server_position

if TYPE_CHECKING:
    from server.language_server import StandardsServer

# LSP 3.17: a request that is valid but could not be carried out.
REQUEST_FAILED = -32803


class RenameRefusedError(JsonRpcException):
    """A rename the server refuses (invalid or colliding name, nothing renamable there)."""

    CODE = REQUEST_FAILED
    MESSAGE = "Rename refused"


def register(server: StandardsServer) -> None:
    """Install the rename handlers (`prepareProvider`: the client asks before renaming)."""

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare(params: types.PrepareRenameParams) -> types.PrepareRenameResult | None:
        document = server.documents.get(params.text_document.uri)
        if document is None:
            return None
        text = document.text
        lines = lsp_lines(text)
        where = prepare_rename(text, server_position(params.position, lines, server.codec))
        if where is None:
            return None
        return client_range(where, lines, server.codec)

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    def rename_constant(params: types.RenameParams) -> types.WorkspaceEdit | None:
        uri = params.text_document.uri
        document = server.documents.get(uri)
        if document is None:
            return None
        text = document.text
        lines = lsp_lines(text)
        position = server_position(params.position, lines, server.codec)
        try:
            edits = rename(text, position, params.new_name)
        except RenameError as refused:
            raise RenameRefusedError(str(refused)) from refused
        return types.WorkspaceEdit(
            changes={
                uri: [
                    types.TextEdit(
                        range=client_range(edit.range, lines, server.codec),
                        new_text=edit.new_text,
                    )
                    for edit in edits
                ]
            }
        )
