"""Code actions: quick fixes, "fix all STDxxx", `source.fixAll.standards`, "ignore on this line",
and the rules' refactorings (`refactor.extract`, `refactor.rewrite`) at any selection.

Actions are listed cheaply and their edits are built in `codeAction/resolve` (clients that cannot
resolve get them built right away). Every action's `data` names the document version it was
computed from; resolving it against any other version gives no edit, so a stale fix is never
applied. "Fix all" applies one fix at a time, re-checking between (`rules.fixer.fix_text`), and
sends the result as minimal line edits (`rules.fixes.edits_between`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from lsprotocol import types
from pydantic import BaseModel, ValidationError
from pygls.uris import from_fs_path

from rules.engine import SYNTAX_ERROR_CODE, SourceFile
from rules.fixer import fix_text
from rules.fixes import edits_between
from rules.models import FileOperation, Finding, Fix, Range, Safety, TextEdit
from rules.noqa import noqa_edit
from rules.rule import FixRequest, RefactorOffer, RefactorRequest
from server.rendering import client_range, lsp_diagnostic, server_range
from server.results import AnalysisResult

if TYPE_CHECKING:
    from server.language_server import StandardsServer

FIX_ALL_KIND = "source.fixAll.standards"
FIX_ALL_TITLE = "Fix all safely fixable standards findings"
CREATE_OPERATION = "create"
RENAME_OPERATION = "rename"
MIN_FINDINGS_FOR_FIX_ALL = 2
RESOLVE_PROPERTY = "edit"
REFACTOR_KIND = "refactor"
# files where a trailing suppression comment would break the file
NO_COMMENT_FILES = (".python-version",)


class ActionKind(StrEnum):
    """What an action does, recorded in its data for `codeAction/resolve`."""

    FIX = "fix"
    FIX_CODE = "fix-code"
    FIX_ALL_SAFE = "fix-all-safe"
    REFACTOR = "refactor"


class ActionData(BaseModel):
    """The `data` of an action: enough to build its edit for exactly one document version."""

    action: ActionKind
    uri: str
    version: int
    code: str = ""
    finding: Finding | None = None
    offer: RefactorOffer | None = None
    selection: Range | None = None


def _overlaps(span: Range, selection: Range) -> bool:
    return (span.start.line, span.start.character) <= (
        selection.end.line,
        selection.end.character,
    ) and (selection.start.line, selection.start.character) <= (
        span.end.line,
        span.end.character,
    )


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    if not only:
        return True
    return any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in only)


class _Lister:
    """Lists the actions for one request from one analysis result."""

    def __init__(self, server: StandardsServer, result: AnalysisResult, selection: Range) -> None:
        self.server = server
        self.result = result
        self.selection = selection

    def data(self, action: ActionKind, **fields: object) -> dict[str, object]:
        return ActionData.model_validate(
            {"action": action, "uri": self.result.uri, "version": self.result.version, **fields}
        ).model_dump(mode="json", exclude_none=True)

    def diagnostic(self, finding: Finding) -> types.Diagnostic:
        return lsp_diagnostic(finding, self.result.lines, self.server.codec)

    def in_selection(self, diagnostics: Sequence[types.Diagnostic] = ()) -> list[Finding]:
        """The findings the selection overlaps, and those of the diagnostics the client sent
        back (`context.diagnostics`: its cursor may be elsewhere on the line)."""
        sent = {
            (
                str(diagnostic.code),
                server_range(diagnostic.range, self.result.lines, self.server.codec),
            )
            for diagnostic in diagnostics
        }
        return [
            f
            for f in self.result.analysis.findings
            if _overlaps(f.range, self.selection) or (f.code, f.range) in sent
        ]

    def quick_fixes(self, findings: list[Finding]) -> list[types.CodeAction]:
        actions = []
        for finding in findings:
            if finding.fix is None:
                continue
            actions.append(
                types.CodeAction(
                    title=finding.fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[self.diagnostic(finding)],
                    is_preferred=finding.fix.safety is Safety.SAFE,
                    data=self.data(ActionKind.FIX, code=finding.code, finding=finding),
                )
            )
        return actions

    def fix_code_actions(self, findings: list[Finding]) -> list[types.CodeAction]:
        fixable = [f for f in self.result.analysis.findings if f.fix is not None]
        actions = []
        for code in sorted({f.code for f in findings if f.fix is not None}):
            count = sum(1 for f in fixable if f.code == code)
            if count >= MIN_FINDINGS_FOR_FIX_ALL:
                actions.append(
                    types.CodeAction(
                        title=f"Fix all {code} in this file ({count})",
                        kind=types.CodeActionKind.QuickFix,
                        data=self.data(ActionKind.FIX_CODE, code=code),
                    )
                )
        return actions

    def fix_all_safe(self) -> list[types.CodeAction]:
        findings = self.result.analysis.findings
        if not any(f.fix is not None and f.fix.safety is Safety.SAFE for f in findings):
            return []
        return [
            types.CodeAction(
                title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data=self.data(ActionKind.FIX_ALL_SAFE)
            )
        ]

    def ignores(self, findings: list[Finding]) -> list[types.CodeAction]:
        actions = []
        done: set[tuple[str, int]] = set()
        lines = self.result.lines
        if self.result.path is not None and self.result.path.endswith(NO_COMMENT_FILES):
            return []
        for finding in findings:
            line = finding.range.start.line
            if finding.code == SYNTAX_ERROR_CODE or (finding.code, line) in done:
                continue
            done.add((finding.code, line))
            line_text = lines[line] if line < len(lines) else ""
            edit = noqa_edit(line_text, line, finding.code)
            actions.append(
                types.CodeAction(
                    title=f"Ignore {finding.code} on this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[self.diagnostic(finding)],
                    edit=_text_edit(self.server, self.result, [edit]),
                )
            )
        return actions

    def refactorings(self, offers: list[RefactorOffer]) -> list[types.CodeAction]:
        return [
            types.CodeAction(
                title=offer.title,
                kind=offer.kind,
                data=self.data(ActionKind.REFACTOR, offer=offer, selection=self.selection),
            )
            for offer in offers
        ]


def _lsp_edits(
    server: StandardsServer, result: AnalysisResult, edits: list[TextEdit]
) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=client_range(e.range, result.lines, server.codec), new_text=e.new_text)
        for e in edits
    ]


def _text_edit(
    server: StandardsServer, result: AnalysisResult, edits: list[TextEdit]
) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={result.uri: _lsp_edits(server, result, edits)})


def _client_workspace_edit(server: StandardsServer) -> types.WorkspaceEditClientCapabilities:
    workspace = server.client_capabilities.workspace
    if workspace is None or workspace.workspace_edit is None:
        return types.WorkspaceEditClientCapabilities()
    return workspace.workspace_edit


def _supports_resolve(server: StandardsServer) -> bool:
    text_document = server.client_capabilities.text_document
    code_action = text_document.code_action if text_document else None
    support = code_action.resolve_support if code_action else None
    return support is not None and RESOLVE_PROPERTY in support.properties


def _file_operation_changes(
    operations: list[FileOperation],
) -> list[types.CreateFile | types.RenameFile | types.TextDocumentEdit]:
    changes: list[types.CreateFile | types.RenameFile | types.TextDocumentEdit] = []
    for operation in operations:
        uri = from_fs_path(operation.path) or operation.path
        if operation.kind == CREATE_OPERATION:
            changes.append(
                types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
            )
            if operation.content:
                start = types.Position(line=0, character=0)
                changes.append(
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=uri, version=None
                        ),
                        edits=[
                            types.TextEdit(
                                range=types.Range(start=start, end=start),
                                new_text=operation.content,
                            )
                        ],
                    )
                )
        elif operation.kind == RENAME_OPERATION and operation.new_path is not None:
            new_uri = from_fs_path(operation.new_path) or operation.new_path
            changes.append(types.RenameFile(old_uri=uri, new_uri=new_uri))
    return changes


def workspace_edit(
    server: StandardsServer, result: AnalysisResult, fix: Fix
) -> types.WorkspaceEdit | None:
    """The LSP edit of a fix (None when the client cannot apply its file operations)."""
    edits = fix.edits or []
    capabilities = _client_workspace_edit(server)
    if not fix.file_operations and not capabilities.document_changes:
        return _text_edit(server, result, edits)
    operations = set(capabilities.resource_operations or [])
    needed = {types.ResourceOperationKind(op.kind) for op in fix.file_operations}
    if not capabilities.document_changes or not needed <= operations:
        return None
    document = types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(
            uri=result.uri, version=result.version
        ),
        edits=_lsp_edits(server, result, edits),
    )
    return types.WorkspaceEdit(
        document_changes=[document, *_file_operation_changes(fix.file_operations)]
    )


def build_fix(server: StandardsServer, result: AnalysisResult, data: ActionData) -> Fix | None:
    """On the analysis thread: the complete fix an action stands for."""
    engine = server.engine
    source = SourceFile(
        text=result.text, settings=result.settings, path=result.path, project_root=result.root
    )
    if data.action is ActionKind.FIX and data.finding is not None:
        request = FixRequest(
            text=result.text, finding=data.finding, settings=result.settings, path=source.path
        )
        return engine.resolve_fix(request)
    if data.action is ActionKind.REFACTOR and data.offer is not None and data.selection:
        request = RefactorRequest(
            text=result.text, range=data.selection, settings=result.settings, path=source.path
        )
        return engine.resolve_refactoring(request, data.offer)
    if data.action in {ActionKind.FIX_CODE, ActionKind.FIX_ALL_SAFE}:
        unsafe = data.action is ActionKind.FIX_CODE
        outcome = fix_text(
            engine,
            source,
            unsafe=unsafe,
            wanted=(lambda finding: finding.code == data.code) if unsafe else None,
        )
        if not outcome.changed:
            return None
        return Fix(
            title=data.code or FIX_ALL_TITLE,
            safety=Safety.UNSAFE if unsafe else Safety.SAFE,
            edits=edits_between(result.text, outcome.text),
        )
    return None


async def resolve_action(server: StandardsServer, action: types.CodeAction) -> types.CodeAction:
    """Fill in an action's edit, if the document is still at the version it was made for."""
    try:
        data = ActionData.model_validate(action.data)
    except ValidationError:
        return action
    result = await server.scheduler.result_for(data.uri)
    if result is None or result.version != data.version:
        return action  # stale: no edit for a text the action was not computed from
    if data.action is ActionKind.FIX and data.finding is not None:
        fix = data.finding.fix
        if fix is not None and fix.edits is not None:
            action.edit = workspace_edit(server, result, fix)
            return action
    fix = await server.scheduler.run_in_thread(lambda: build_fix(server, result, data))
    if fix is not None and (fix.edits or fix.file_operations):
        action.edit = workspace_edit(server, result, fix)
    return action


type ExtraActions = Callable[[StandardsServer, types.CodeActionParams], types.CodeAction | None]


def register(server: StandardsServer, more_actions: Sequence[ExtraActions] = ()) -> None:
    """Install the code action and resolve handlers; `more_actions` are other features' actions
    (one each at most), listed after the findings' own."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.RefactorExtract,
                types.CodeActionKind.RefactorRewrite,
                FIX_ALL_KIND,
            ],
            resolve_provider=True,
        ),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        actions = await _finding_actions(server, params)
        extra = [a for make in more_actions if (a := make(server, params)) is not None]
        if not extra:
            return actions
        return [*(actions or []), *extra]

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(action: types.CodeAction) -> types.CodeAction:
        return await resolve_action(server, action)


async def _finding_actions(
    server: StandardsServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    """The actions of the document's findings and refactorings (None when it is not open)."""
    result = await server.scheduler.result_for(params.text_document.uri)
    if result is None:
        return None
    selection = server_range(params.range, result.lines, server.codec)
    lister = _Lister(server, result, selection)
    findings = lister.in_selection(params.context.diagnostics)
    only = params.context.only
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        actions += lister.quick_fixes(findings)
        actions += lister.fix_code_actions(findings)
        actions += lister.ignores(findings)
    if _wanted(FIX_ALL_KIND, only):
        actions += lister.fix_all_safe()
    if not only or any(kind.startswith(REFACTOR_KIND) for kind in only):
        request = RefactorRequest(
            text=result.text,
            range=selection,
            settings=result.settings,
            path=result.path,
            statements=result.analysis.statement_lines(),
        )
        offers = await server.scheduler.run_in_thread(lambda: server.engine.refactorings(request))
        # an offer that does what a quick fix listed does ("Extract `0.025` ...") is not
        # listed twice: menus showed the same title two times
        titles = {action.title for action in actions}
        actions += lister.refactorings(
            [o for o in offers if _wanted(o.kind, only) and o.title not in titles]
        )
    if not _supports_resolve(server):
        actions = [await resolve_action(server, action) for action in actions]
    return actions
