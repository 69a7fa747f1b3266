"""Editing help in `standards.toml` over LSP: completion of sections, keys, tiers and rulesets;
hover on a ruleset or tier (its values); a code action converting between the two forms.

The logic is `rules.checks.project.standards_toml` (pure); this module only translates. LSP has
one handler per method and `server.hover` / `server.code_actions` own hover and code actions:
`hover_for` and `convert_action` are handed to them by `server.app` (answering for
`standards.toml`, None for any other document).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from rules.checks.project.standards_toml import CompletionKind, completions, conversion, hover
from rules.models import Position, Range
from server.hover import hover_contents
from server.rendering import client_range, server_position

if TYPE_CHECKING:
    from server.documents import Document
    from server.language_server import StandardsServer

STANDARDS_FILE = "standards.toml"
TRIGGER_CHARACTERS = ["[", '"', "=", " ", "."]
COMPLETION_REGISTRATION_ID = "standards-lsp-standards-toml-completion"
STANDARDS_FILE_PATTERN = f"**/{STANDARDS_FILE}"
CONVERT_KIND = types.CodeActionKind.RefactorRewrite
_ITEM_KINDS = {
    CompletionKind.SECTION: types.CompletionItemKind.Module,
    CompletionKind.KEY: types.CompletionItemKind.Property,
    CompletionKind.VALUE: types.CompletionItemKind.Value,
}

type Handler = Callable[[Any], Any]


def standards_document(server: StandardsServer, uri: str) -> Document | None:
    """The open document at `uri` if it is a `standards.toml`."""
    document = server.documents.get(uri)
    if document is None or document.path is None:
        return None
    return document if PurePath(document.path).name == STANDARDS_FILE else None


def _supports_markdown(server: StandardsServer) -> bool:
    text_document = server.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    item = completion.completion_item if completion else None
    formats = item.documentation_format if item else None
    return bool(formats and types.MarkupKind.Markdown in formats)


def _documentation(server: StandardsServer, text: str) -> types.MarkupContent | str | None:
    """Markdown when the client renders it, else the same text as plain text."""
    if not text:
        return None
    if _supports_markdown(server):
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return text


def completion_items(
    server: StandardsServer, params: types.CompletionParams
) -> list[types.CompletionItem] | None:
    """What may be typed at the cursor in a `standards.toml` (None for other files)."""
    document = standards_document(server, params.text_document.uri)
    if document is None:
        return None
    position = server_position(params.position, document.lines, server.codec)
    return [
        types.CompletionItem(
            label=item.label,
            kind=_ITEM_KINDS[item.kind],
            detail=item.detail or None,
            documentation=_documentation(server, item.documentation),
            insert_text=item.insert_text,
        )
        for item in completions(document.text, position)
    ]


def hover_for(server: StandardsServer, params: types.HoverParams) -> types.Hover | None:
    """The values of the ruleset or tier under the cursor in a `standards.toml`."""
    document = standards_document(server, params.text_document.uri)
    if document is None:
        return None
    position = server_position(params.position, document.lines, server.codec)
    found = hover(document.text, position)
    if found is None:
        return None
    return types.Hover(
        contents=hover_contents(server, found.markdown),
        range=client_range(found.range, document.lines, server.codec),
    )


def _whole_document(document: Document) -> Range:
    lines = document.lines
    if lines and lines[-1].endswith(("\n", "\r")):
        end = Position(line=len(lines), character=0)
    else:
        last = len(lines) - 1
        end = Position(line=max(last, 0), character=len(lines[last]) if lines else 0)
    return Range(start=Position(line=0, character=0), end=end)


def convert_action(
    server: StandardsServer, params: types.CodeActionParams
) -> types.CodeAction | None:
    """The action rewriting a `standards.toml` into its other form."""
    document = standards_document(server, params.text_document.uri)
    only = params.context.only
    if document is None or (only and not any(CONVERT_KIND.startswith(kind) for kind in only)):
        return None
    converted = conversion(document.text)
    if converted is None:
        return None
    edit = types.TextEdit(
        range=client_range(_whole_document(document), document.lines, server.codec),
        new_text=converted.text,
    )
    return types.CodeAction(
        title=converted.title,
        kind=CONVERT_KIND,
        edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
    )


def register(server: StandardsServer) -> None:
    """Install completion in `standards.toml` (hover and the conversion action are passed to
    `server.hover` and `server.code_actions` by `server.app`).

    Completion is registered for every file with no trigger characters: a client that cannot
    register capabilities per document gets it on request only (a trigger on space or `.`
    fired in every Python file, for a null answer). A client that can gets it for
    `standards.toml` alone, with its triggers (`completion_registration`)."""

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())
    def complete(params: types.CompletionParams) -> list[types.CompletionItem] | None:
        return completion_items(server, params)


def _registers_completion(server: StandardsServer) -> bool:
    text_document = server.client_capabilities.text_document
    completion = text_document.completion if text_document else None
    return bool(completion is not None and completion.dynamic_registration)


def withhold_static_completion(server: StandardsServer) -> None:
    """At `initialize`, before the capabilities are built: a client that registers completion
    dynamically is not told of it for every file (`completion_registration` adds it back)."""
    if _registers_completion(server):
        features = server.protocol.fm.features
        server.withheld_features[types.TEXT_DOCUMENT_COMPLETION] = features.pop(
            types.TEXT_DOCUMENT_COMPLETION
        )


def completion_registration(server: StandardsServer) -> types.Registration | None:
    """At `initialized`: completion for `standards.toml` only, with its trigger characters."""
    handler = server.withheld_features.pop(types.TEXT_DOCUMENT_COMPLETION, None)
    if handler is None:
        return None
    server.protocol.fm.features[types.TEXT_DOCUMENT_COMPLETION] = handler
    return types.Registration(
        id=COMPLETION_REGISTRATION_ID,
        method=types.TEXT_DOCUMENT_COMPLETION,
        register_options=types.CompletionRegistrationOptions(
            document_selector=[types.TextDocumentFilterPattern(pattern=STANDARDS_FILE_PATTERN)],
            trigger_characters=TRIGGER_CHARACTERS,
        ),
    )
