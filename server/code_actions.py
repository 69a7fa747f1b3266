"""Code actions: quick fixes, "fix all STDxxx", `source.fixAll.standards`, "ignore on this line",
and the rules' refactorings (`refactor.extract`, `refactor.rewrite`) at any selection.

Actions are listed cheaply and their edits are built in `codeAction/resolve` (clients that cannot
resolve get them built right away). Every action's `data` names the document version it was
computed from; resolving it against any other version gives no edit, so a stale fix is never
applied. "Fix all" applies one fix at a time, re-checking between (`rules.fixer.fix_text`), and
sends the result as minimal line edits (`rules.fixes.edits_between`).

In a notebook, actions are asked for on a cell and computed on the notebook's module (the cell's
range shifted to its lines there); their diagnostics are the cell's and their edits are edits of
the cells they change (`server.notebook_documents.NotebookLayout.cell_edits`): an extracted
constant or an added import lands in the first code cell, as `standards-lsp fix` puts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types
from pydantic import BaseModel, ConfigDict, ValidationError
from pygls.uris import from_fs_path

from rules.engine import SYNTAX_ERROR_CODE, SourceFile
from rules.fixes import apply_edits, edits_between
from rules.models import FileOperation, Finding, Fix, Position, Range, Safety, TextEdit
from rules.noqa import noqa_edit
from rules.notebooks import NotebookError
from rules.rule import FixRequest, RefactorOffer, RefactorRequest
from server.documents import lsp_lines
from server.notebook_documents import CellLayout, NotebookLayout, notebook_of
from server.project_edits import (
    OpenDocuments,
    open_documents,
    open_texts,
    other_file_changes,
    project_root,
    unversioned_changes,
)
from server.rendering import client_position, client_range, lsp_diagnostic, server_range
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
# The client command run after an extraction, to rename the new constant at once: only sent to
# clients that said they have it (`initializationOptions.renameAfterExtract`, see
# editors/README.md); its arguments are the document's URI and the name's position.
RENAME_AT_COMMAND = "standardsLsp.renameAt"
RENAME_AT_TITLE = "Rename the new constant"
EXTRACTING_CODES = frozenset({"STD201", "STD202", "STD203", "STD204"})
EXTRACT_KIND = "refactor.extract"
# A module-level definition at the start of a line: `NAME = ...` or `NAME: type = ...`.
_DEFINITION = re.compile(r"^[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=(?!=)", re.MULTILINE)
_MARK = "\x00"
_NAME = re.compile(r"[A-Za-z_]\w*")


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
        notebook = self.result.notebook
        placed = notebook.cell_range(finding.range) if notebook is not None else None
        if placed is not None:  # as the cell shows it
            cell, span = placed
            in_cell = finding.model_copy(update={"range": span})
            return lsp_diagnostic(in_cell, cell.lines, self.server.codec)
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
            fix = finding.fix
            if fix is None:
                continue
            action = types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[self.diagnostic(finding)],
                is_preferred=fix.safety is Safety.SAFE and fix.applicable,
                data=self.data(ActionKind.FIX, code=finding.code, finding=finding),
            )
            if fix.refused is not None:  # known when the file was checked: shown, not applied
                action.disabled = _disabled(self.server, finding.code, fix.refused)
            actions.append(action)
        return actions

    def fix_code_actions(self, findings: list[Finding]) -> list[types.CodeAction]:
        fixable = [f for f in self.result.analysis.findings if f.offered_fix is not None]
        actions = []
        for code in sorted({f.code for f in findings if f.offered_fix is not None}):
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
        if not any(
            f.offered_fix is not None and f.offered_fix.safety is Safety.SAFE for f in findings
        ):
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


class DocumentEdits(BaseModel):
    """The client's edits of one document, with the version they were made for."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    uri: str
    version: int
    edits: list[types.TextEdit]


def _lsp_edits(
    server: StandardsServer, lines: list[str], edits: list[TextEdit]
) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=client_range(e.range, lines, server.codec), new_text=e.new_text)
        for e in edits
    ]


def document_edits(
    server: StandardsServer, result: AnalysisResult, edits: list[TextEdit]
) -> list[DocumentEdits] | None:
    """A result's edits as the client's, per document: the document's own, or in a notebook
    those of each cell they change (None when they would break the notebook's cells)."""
    notebook = result.notebook
    if notebook is None:
        return [
            DocumentEdits(
                uri=result.uri,
                version=result.version,
                edits=_lsp_edits(server, result.lines, edits),
            )
        ]
    try:
        changed = notebook.cell_edits(edits)
    except NotebookError:
        return None
    return [
        DocumentEdits(
            uri=cell.cell.uri,
            version=cell.cell.version,
            edits=_lsp_edits(server, cell.cell.lines, cell.edits),
        )
        for cell in changed
    ]


def _text_edit(
    server: StandardsServer, result: AnalysisResult, edits: list[TextEdit]
) -> types.WorkspaceEdit | None:
    documents = document_edits(server, result, edits)
    if documents is None:
        return None
    return types.WorkspaceEdit(changes={document.uri: document.edits for document in documents})


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
    server: StandardsServer,
    result: AnalysisResult,
    fix: Fix,
    opened: OpenDocuments | None = None,
) -> types.WorkspaceEdit | None:
    """The LSP edit of a fix: one edit across every file it changes, versioned for open
    documents (None when the client cannot apply its file operations, or a file it changes
    can no longer be read)."""
    edits = fix.edits or []
    capabilities = _client_workspace_edit(server)
    others = other_file_changes(server, fix.other_files, opened or {})
    if others is None:
        return None
    own = document_edits(server, result, edits)
    if own is None:
        return None
    if not fix.file_operations and not capabilities.document_changes:
        changes = {document.uri: document.edits for document in own}
        return types.WorkspaceEdit(changes={**changes, **unversioned_changes(others)})
    operations = set(capabilities.resource_operations or [])
    needed = {types.ResourceOperationKind(op.kind) for op in fix.file_operations}
    if not capabilities.document_changes or not needed <= operations:
        return None
    versioned = [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=document.uri, version=document.version
            ),
            edits=list(document.edits),
        )
        for document in own
    ]
    return types.WorkspaceEdit(
        document_changes=[*versioned, *others, *_file_operation_changes(fix.file_operations)]
    )


def build_fix(
    server: StandardsServer,
    result: AnalysisResult,
    data: ActionData,
    opened: OpenDocuments | None = None,
) -> Fix | None:
    """On the analysis thread: the complete fix an action stands for. A whole-project
    refactoring reads the project under the workspace root, open documents as the editor
    holds them (`opened`, taken on the event loop)."""
    from rules.fixer import fix_text  # the fixer loads with the first fix, not at start-up

    engine = server.engine
    source = SourceFile(
        text=result.text, settings=result.settings, path=result.path, project_root=result.root
    )
    root = project_root(server, result)
    texts = open_texts(opened or {})
    if data.action is ActionKind.FIX and data.finding is not None:
        request = FixRequest(
            text=result.text,
            finding=data.finding,
            settings=result.settings,
            path=source.path,
            project_root=root,
            open_texts=texts,
        )
        return engine.resolve_fix(request)
    if data.action is ActionKind.REFACTOR and data.offer is not None and data.selection:
        request = RefactorRequest(
            text=result.text,
            range=data.selection,
            settings=result.settings,
            path=source.path,
            project_root=root,
            open_texts=texts,
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


def defined_name_position(text: str, edits: list[TextEdit]) -> Position | None:
    """Where, once `edits` are applied to `text`, the name lands of the first module-level
    definition an edit inserts (None: the edits define nothing, e.g. an existing constant is
    reused). Found by marking the name in its edit and looking for the mark in the result."""
    for index, edit in enumerate(edits):
        for match in _DEFINITION.finditer(edit.new_text):
            at_line_start = match.start() > 0 or edit.range.start.character == 0
            if not at_line_start:
                continue
            marked = edit.new_text[: match.start()] + _MARK + edit.new_text[match.start() :]
            marked_edits = [*edits[:index], edit.model_copy(update={"new_text": marked})]
            new_text = apply_edits(text, [*marked_edits, *edits[index + 1 :]])
            before = new_text[: new_text.index(_MARK)]
            line = before.count("\n")
            return Position(line=line, character=len(before) - (before.rfind("\n") + 1))
    return None


def _is_extraction(data: ActionData) -> bool:
    if data.action is ActionKind.FIX:
        return data.code in EXTRACTING_CODES
    if data.action is ActionKind.REFACTOR and data.offer is not None:
        return data.offer.kind == EXTRACT_KIND and data.offer.code in EXTRACTING_CODES
    return False


def _rename_after(
    server: StandardsServer, result: AnalysisResult, data: ActionData, fix: Fix
) -> types.Command | None:
    """The client command that puts the extracted constant into rename mode, for clients that
    have it (None otherwise, or when the fix defines no new constant)."""
    if not server.rename_after_extract or not _is_extraction(data) or fix.file_operations:
        return None
    edits = fix.edits or []
    position = defined_name_position(result.text, edits)
    if position is None:
        return None
    uri, new_text = result.uri, apply_edits(result.text, edits)
    if result.notebook is not None:  # the name is in a cell: its URI, its place there
        uri, position = result.notebook.position_after(edits, position)
        new_text = result.notebook.cell_text_after(edits, uri)
    lines = lsp_lines(new_text)
    where = client_position(position, lines, server.codec)
    # the name too: a client may run the command before the edit reaches its editor, and can
    # wait until the name is there (renaming from a position in the old text renames nothing)
    name = (
        _NAME.match(lines[position.line], position.character)
        if position.line < len(lines)
        else None
    )
    return types.Command(
        title=RENAME_AT_TITLE,
        command=RENAME_AT_COMMAND,
        arguments=[
            uri,
            {"line": where.line, "character": where.character},
            *([name.group()] if name is not None else []),
        ],
    )


async def resolve_action(server: StandardsServer, action: types.CodeAction) -> types.CodeAction:
    """Fill in an action's edit (and, for an extraction, the rename that follows it) if the
    document is still at the version it was made for."""
    try:
        data = ActionData.model_validate(action.data)
    except ValidationError:
        return action
    result = await server.scheduler.result_for(data.uri)
    if result is None or result.version != data.version:
        return action  # stale: no edit for a text the action was not computed from
    built = data.finding.fix if data.action is ActionKind.FIX and data.finding else None
    if built is not None and built.edits is not None and built.refused is None:
        _fill(action, server, result, data=data, fix=built)
        return action
    opened = open_documents(server, result.uri)
    fix = built if built is not None and built.refused is not None else None
    if fix is None:
        fix = await server.scheduler.run_in_thread(lambda: build_fix(server, result, data, opened))
    if fix is not None and fix.refused is not None:
        # nothing to apply; the reason names the use that cannot keep its behaviour
        code = data.code or (data.offer.code if data.offer is not None else "")
        action.disabled = _disabled(server, code, fix.refused)
    elif fix is not None and (fix.edits or fix.file_operations or fix.other_files):
        _fill(action, server, result, data=data, fix=fix, opened=opened)
    return action


def _disabled(server: StandardsServer, code: str, reason: str) -> types.CodeActionDisabled:
    """Why an action cannot be applied, as `fix` says it (`not converted: ...` for a model
    conversion, `not fixed: ...` otherwise)."""
    verb = server.engine.registry.refusal_verb(code)
    return types.CodeActionDisabled(reason=f"{verb}: {reason}")


def _fill(  # noqa: PLR0913 - the action and everything its edit is built from
    action: types.CodeAction,
    server: StandardsServer,
    result: AnalysisResult,
    *,
    data: ActionData,
    fix: Fix,
    opened: OpenDocuments | None = None,
) -> None:
    """Give an action its edit, the rename that follows an extraction, and a conversion's title
    (which says how many call sites in how many files change)."""
    action.edit = workspace_edit(server, result, fix, opened)
    if action.edit is None:
        return
    action.command = _rename_after(server, result, data, fix)
    if opened is not None and data.action in {ActionKind.FIX, ActionKind.REFACTOR}:
        action.title = fix.title


def _in_module(notebook: NotebookLayout, cell: CellLayout, span: types.Range) -> types.Range:
    """A client range in a cell as a client range of the notebook's module (whose lines are the
    cell's, after the lines of the cells above: the columns stand as they are)."""
    shift = notebook.first_line(cell)
    return types.Range(
        start=types.Position(line=span.start.line + shift, character=span.start.character),
        end=types.Position(line=span.end.line + shift, character=span.end.character),
    )


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
    uri = params.text_document.uri
    notebook = notebook_of(server.documents, uri)
    result = await server.scheduler.result_for(notebook.uri if notebook else uri)
    if result is None:
        return None
    asked, sent = params.range, list(params.context.diagnostics)
    if result.notebook is not None:  # a cell's range, as a range of its notebook's module
        cell = result.notebook.cell(uri)
        if cell is None:
            return None
        asked = _in_module(result.notebook, cell, asked)
        sent = [
            attrs.evolve(diagnostic, range=_in_module(result.notebook, cell, diagnostic.range))
            for diagnostic in sent
        ]
    selection = server_range(asked, result.lines, server.codec)
    lister = _Lister(server, result, selection)
    findings = lister.in_selection(sent)
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
            project_root=project_root(server, result),
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
