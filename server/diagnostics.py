"""Diagnostics: pushed (`textDocument/publishDiagnostics`, with the version) to clients that do
not pull, pulled (`textDocument/diagnostic`, with a `resultId`) by clients that do.

A notebook's diagnostics are published, and pulled, per cell: each cell's URI with its own
version; a pull for a cell is answered from its notebook's result.

A rule that raised is reported once per document and error in `window/logMessage`; the other
rules' findings are published as usual.

A document opened with a text the result cache knows gets its cached diagnostics at once (pushed,
or answering a pull); when the analysis of that version ends, a push client is sent its
diagnostics only if they differ. Saving a document writes its findings to the cache.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from server.notebook_documents import notebook_of
from server.protocol import RawJson
from server.results import AnalysisResult, DiagnosticsResult

if TYPE_CHECKING:
    from server.language_server import StandardsServer

DIAGNOSTIC_IDENTIFIER = "standards"
PUBLISH_METHOD = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS


def diagnostics_array(result: DiagnosticsResult, uri: str | None = None) -> str:
    """The JSON array of a result's diagnostics (of one notebook cell's, given its `uri`)."""
    return "[" + ",".join(result.fragments_for(uri or result.uri)) + "]"


def full_report(result: DiagnosticsResult, uri: str | None = None) -> RawJson:
    """A full pull report (of one notebook cell, given its `uri`)."""
    return RawJson(
        f'{{"kind":"full","resultId":{json.dumps(result.result_id)}'
        f',"items":{diagnostics_array(result, uri)}}}'
    )


def publish_params(result: DiagnosticsResult) -> list[RawJson]:
    """The `publishDiagnostics` params of a result: one, or one per cell of a notebook (each
    with the cell's version)."""
    if result.notebook is None:
        return [_publish_params(result.uri, result.version, diagnostics_array(result))]
    return [
        _publish_params(cell.uri, cell.version, diagnostics_array(result, cell.uri))
        for cell in result.notebook.cells
    ]


def _publish_params(uri: str, version: int, diagnostics: str) -> RawJson:
    return RawJson(f'{{"uri":{json.dumps(uri)},"version":{version},"diagnostics":{diagnostics}}}')


def unchanged_report(result: DiagnosticsResult) -> RawJson:
    """An unchanged pull report (written as it is: most keystrokes leave the diagnostics as
    they were, and converting a report object to JSON costs more than the check's tail)."""
    return RawJson(f'{{"kind":"unchanged","resultId":{json.dumps(result.result_id)}}}')


def empty_report() -> types.FullDocumentDiagnosticReport:
    """The report of a document the server does not have open."""
    return types.FullDocumentDiagnosticReport(items=[])


class _FailureLog:
    """Logs each rule failure once per document until the failure goes away."""

    def __init__(self, server: StandardsServer) -> None:
        self.server = server
        self.seen: dict[str, set[tuple[str, str]]] = {}

    def __call__(self, result: AnalysisResult) -> None:
        failures = result.analysis.failures
        current = {(failure.code, failure.error) for failure in failures}
        known = self.seen.get(result.uri, set())
        for failure in failures:
            if (failure.code, failure.error) not in known:
                self.server.log(
                    f"rule {failure.code} failed on {result.uri}: {failure.error}\n"
                    f"{failure.details}",
                    types.MessageType.Error,
                )
        self.seen[result.uri] = current


type SaveHook = Callable[[StandardsServer, str], None]


def register(server: StandardsServer, on_save: Sequence[SaveHook] = ()) -> None:
    """Install publishing and the pull handler; `on_save` are other features' reactions to a
    saved document (given its URI)."""

    def publish(result: DiagnosticsResult) -> None:
        if not server.push_diagnostics or result.already_published:
            return
        for params in publish_params(result):
            server.standards_protocol.notify_raw(PUBLISH_METHOD, params)

    server.scheduler.on_result.append(publish)
    server.scheduler.on_cached.append(publish)
    server.scheduler.on_result.append(_FailureLog(server))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def saved(params: types.DidSaveTextDocumentParams) -> None:
        server.scheduler.saved(params.text_document.uri)
        for hook in on_save:
            hook(server, params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=DIAGNOSTIC_IDENTIFIER,
            inter_file_dependencies=False,
            workspace_diagnostics=False,
        ),
    )
    async def pull(
        params: types.DocumentDiagnosticParams,
    ) -> RawJson | types.FullDocumentDiagnosticReport:
        uri = params.text_document.uri
        # a notebook cell's diagnostics are part of its notebook's
        notebook = notebook_of(server.documents, uri)
        result = await server.scheduler.diagnostics_for(notebook.uri if notebook else uri)
        if result is None:
            return empty_report()
        if params.previous_result_id == result.result_id:
            return unchanged_report(result)
        return full_report(result, uri)


def advertise_workspace_diagnostics(server: StandardsServer) -> None:
    """Say `workspaceDiagnostics: true` when a feature module handles `workspace/diagnostic`
    (called at `initialize`, before pygls builds the capabilities)."""
    features = server.protocol.fm
    options = features.feature_options.get(types.TEXT_DOCUMENT_DIAGNOSTIC)
    if isinstance(options, types.DiagnosticOptions):
        options.workspace_diagnostics = types.WORKSPACE_DIAGNOSTIC in features.features
