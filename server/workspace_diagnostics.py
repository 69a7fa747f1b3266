"""`workspace/diagnostic`: the findings of every checked file of the workspace folders, so
project-level findings (a requirements.txt, a Dockerfile, a missing uv.lock) show without
opening each file. Opt-in (editor setting `workspaceDiagnostics`), because it reads the whole
tree; progress is reported with `$/progress`.

The files and findings are exactly the command line's (`server.batch.Batch`): the same walk
(no symbolic links to directories, virtual environments, caches and ignored files skipped),
the same engine. Files open in the editor are left to document diagnostics, and a file whose
real location lies outside the workspace folders (a symbolic link) is never read.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from server.batch import Batch, read_source
from server.documents import lsp_lines
from server.rendering import lsp_diagnostic

if TYPE_CHECKING:
    from server.language_server import StandardsServer

PROGRESS_TITLE = "Checking the workspace"
PERCENT = 100

type Reporter = Callable[[int, int], None]


def _inside(path: Path, folders: list[Path]) -> bool:
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(folder) for folder in folders)


def scan(
    server: StandardsServer, folders: list[Path], report: Reporter
) -> list[types.WorkspaceDocumentDiagnosticReport]:
    """Every checked, unopened file below `folders` with its diagnostics (runs in a thread)."""
    batch = Batch(server.configuration.resolver, server.engine)
    real_folders = [Path(os.path.realpath(folder)) for folder in folders]
    files = [path for path in batch.files(folders) if _inside(path, real_folders)]
    items: list[types.WorkspaceDocumentDiagnosticReport] = []
    for index, path in enumerate(files):
        report(index, len(files))
        uri = path.absolute().as_uri()
        if server.documents.get(uri) is not None:
            continue
        text, _ = read_source(path)
        lines = lsp_lines(text or "")
        findings = batch.check_file(path).findings
        items.append(
            types.WorkspaceFullDocumentDiagnosticReport(
                uri=uri,
                version=None,
                items=[lsp_diagnostic(finding, lines, server.codec) for finding in findings],
            )
        )
    report(len(files), len(files))
    return items


def register(server: StandardsServer) -> None:
    """Install the `workspace/diagnostic` handler."""

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(
        params: types.WorkspaceDiagnosticParams,
    ) -> types.WorkspaceDiagnosticReport:
        folders = [Path(folder) for folder in server.configuration.folders]
        if not server.configuration.editor.workspace_diagnostics or not folders:
            return types.WorkspaceDiagnosticReport(items=[])
        token = params.work_done_token
        if token is None:
            token = str(uuid.uuid4())
            await server.work_done_progress.create_async(token)
        progress = server.work_done_progress
        progress.begin(token, types.WorkDoneProgressBegin(title=PROGRESS_TITLE, percentage=0))
        loop = asyncio.get_running_loop()

        def report(done: int, total: int) -> None:
            value = types.WorkDoneProgressReport(
                message=f"{done}/{total} files", percentage=done * PERCENT // max(total, 1)
            )
            loop.call_soon_threadsafe(progress.report, token, value)

        try:
            items = await server.scheduler.run_in_thread(lambda: scan(server, folders, report))
        finally:
            progress.end(token, types.WorkDoneProgressEnd(message="done"))
        return types.WorkspaceDiagnosticReport(items=items)
