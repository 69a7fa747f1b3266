"""Configuration without restart: editor settings, watched configuration files, folders.

- `workspace/didChangeConfiguration` carries the settings under `standardsLsp`, or nothing (then
  they are asked for with `workspace/configuration`).
- `standards.toml`, `pyproject.toml` and `.python-version` are watched (registered dynamically
  when the client can); a change re-reads the configuration and re-checks every open document.
- Pull clients are asked to pull again (`workspace/diagnostic/refresh`) when settings change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types

from server.configuration import SETTINGS_SECTION, EditorSettings, parse_editor_settings
from server.documents import uri_to_path

if TYPE_CHECKING:
    from server.language_server import StandardsServer

WATCHED_FILES = ("standards.toml", "pyproject.toml", ".python-version")
WATCHER_REGISTRATION_ID = "standards-lsp-watched-files"
CONFIGURATION_REGISTRATION_ID = "standards-lsp-configuration"
logger = logging.getLogger(__name__)


def _supports(capability: object) -> bool:
    return bool(capability is not None and getattr(capability, "dynamic_registration", False))


def supports_refresh(server: StandardsServer) -> bool:
    workspace = server.client_capabilities.workspace
    diagnostics = workspace.diagnostics if workspace else None
    return bool(diagnostics and diagnostics.refresh_support)


type Hook = Callable[[], None]


def configuration_file_touched(
    server: StandardsServer, uri: str, hooks: Sequence[Hook] = ()
) -> None:
    """A configuration file was saved or opened: for a client that does not watch files for
    the server (ALE), that is how a change reaches it: re-read and re-check."""
    if not server.watches_configuration_files and uri.endswith(WATCHED_FILES):
        server.configuration.files_changed()
        configuration_changed(server, hooks)


def configuration_changed(server: StandardsServer, hooks: Sequence[Hook] = ()) -> None:
    """Re-check every open document after a configuration change, then run `hooks`."""
    server.scheduler.schedule_all()
    if not server.push_diagnostics and supports_refresh(server):
        server.workspace_diagnostic_refresh(None)
    for hook in hooks:
        hook()


async def pull_settings(server: StandardsServer, hooks: Sequence[Hook] = ()) -> None:
    """Ask the client for the `standardsLsp` section, the window's and each workspace
    folder's (a folder may override the tier and selection), and apply them."""
    workspace = server.client_capabilities.workspace
    if workspace is None or not workspace.configuration:
        return
    configuration = server.configuration
    configuration.pulls += 1
    pull = configuration.pulls
    asked_at = configuration.editor_updates
    folders = [
        (uri, path)
        for uri in server.configuration.folder_uris
        if (path := uri_to_path(uri)) is not None
    ]
    items = [types.ConfigurationItem(section=SETTINGS_SECTION)]
    items += [
        types.ConfigurationItem(section=SETTINGS_SECTION, scope_uri=uri) for uri, _ in folders
    ]
    try:
        values = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception:  # a client that fails this request keeps the settings we have
        logger.exception("workspace/configuration failed")
        return
    if configuration.pulls != pull:
        return  # asked again meanwhile (settings changed twice): the later answer is newer
    if configuration.editor_updates != asked_at:
        return  # settings pushed meanwhile are newer than this answer
    value = values[0] if values else None
    if value is None:
        return  # the client has no such section: initializationOptions stay in force
    editor = parse_editor_settings(value)
    if editor is None:
        return
    own: dict[str, EditorSettings] = {}
    for (_uri, path), folder_value in zip(folders, values[1:], strict=False):
        parsed = parse_editor_settings(folder_value) if folder_value is not None else None
        if parsed is not None:
            own[path] = parsed
    if server.configuration.set_editor_settings(editor, own):
        configuration_changed(server, hooks)


type RegistrationProvider = Callable[[StandardsServer], types.Registration | None]


async def _register_dynamically(
    server: StandardsServer, more: Sequence[RegistrationProvider]
) -> None:
    workspace = server.client_capabilities.workspace
    registrations: list[types.Registration] = []
    registrations += [r for provide in more if (r := provide(server)) is not None]
    watching = workspace is not None and _supports(workspace.did_change_watched_files)
    if watching:
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in WATCHED_FILES]
        registrations.append(
            types.Registration(
                id=WATCHER_REGISTRATION_ID,
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
        )
    if workspace is not None and _supports(workspace.did_change_configuration):
        registrations.append(
            types.Registration(
                id=CONFIGURATION_REGISTRATION_ID,
                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            )
        )
    if registrations:
        try:
            await server.client_register_capability_async(
                types.RegistrationParams(registrations=registrations)
            )
        except Exception:  # the server works without watching; say so in the log
            logger.exception("client/registerCapability failed")
            return
    server.watches_configuration_files = watching


def register(
    server: StandardsServer,
    after_initialized: Sequence[Hook] = (),
    after_change: Sequence[Hook] = (),
    more_registrations: Sequence[RegistrationProvider] = (),
) -> None:
    """Install the workspace handlers; `after_initialized` run once the client's settings are
    in, `after_change` after every configuration or folder change; `more_registrations` are
    other features' capabilities to register dynamically at `initialized`."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def opened(params: types.DidOpenTextDocumentParams) -> None:
        configuration_file_touched(server, params.text_document.uri, after_change)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        del params
        await _register_dynamically(server, more_registrations)
        await pull_settings(server)
        for hook in after_initialized:
            hook()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and SETTINGS_SECTION in settings:
            editor = parse_editor_settings(settings)
            if editor is not None and server.configuration.set_editor_settings(editor):
                configuration_changed(server, after_change)
            return
        await pull_settings(server, after_change)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(WATCHED_FILES) for change in params.changes):
            server.configuration.files_changed()
            configuration_changed(server, after_change)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        removed = {folder.uri for folder in params.event.removed}
        folders = [uri for uri in server.configuration.folder_uris if uri not in removed]
        folders += [folder.uri for folder in params.event.added]
        server.configuration.set_folders(folders)
        configuration_changed(server, after_change)
