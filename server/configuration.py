"""The editor's settings and the configuration files, resolved into each document's settings.

Editor settings arrive as `initializationOptions` and, later, under the section `standardsLsp`
of `workspace/didChangeConfiguration` or `workspace/configuration`, in one shape:
`{"tier": "production" | "internal" | "prototype" | null, "select": [...], "ignore": [...],
"workspaceDiagnostics": bool, "workspaceIndex": bool, "logLevel": "error" | "warning" | "info" |
"debug" | null}`. They override the tier and rule selection of the files'
configuration (`standards.toml`, `[tool.standards-lsp]`), which `ConfigResolver` reads once per
directory until a watched configuration file changes. A workspace folder may have its own tier and
rule selection (asked with `workspace/configuration` for the folder's URI): an open document
uses its folder's; everything else is the window's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.baseline import Baseline, BaselineCache, project_baseline_path
from rules.config import ConfigResolver, Overrides, ProjectConfig, version_refusal
from rules.models import Finding, Tier
from rules.settings import FileSettings
from server.documents import Document, uri_to_path
from server.result_cache import project_cache_directory

SETTINGS_SECTION = "standardsLsp"
# `logLevel` values, as the editors name them, and the server's logging level for each.
LOG_LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
# Findings about `[tool.standards-lsp]` itself stay visible when the project refuses this version.
TOOL_SETTINGS_CODE = "STD503"
logger = logging.getLogger(__name__)


class EditorSettings(BaseModel):
    """What the editor may set (unknown keys are ignored: clients send more than we read)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    tier: Tier | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    workspace_diagnostics: bool = Field(default=False, alias="workspaceDiagnostics")
    workspace_index: bool = Field(default=True, alias="workspaceIndex")
    show_baselined: bool = Field(
        default=False,
        alias="showBaselined",
        description="also show the findings the project's baseline covers",
    )
    log_level: str | None = Field(
        default=None,
        alias="logLevel",
        description="the server's log level (see LOG_LEVELS); None or unknown: unchanged",
    )

    @property
    def overrides(self) -> Overrides:
        """The engine's view of these settings (an empty selection means "not set")."""
        return Overrides(tier=self.tier, select=self.select or None, ignore=self.ignore)


def parse_editor_settings(value: object) -> EditorSettings | None:
    """Editor settings from a client's JSON, bare or under `standardsLsp` (None: unusable)."""
    if isinstance(value, dict) and isinstance(value.get(SETTINGS_SECTION), dict):
        value = value[SETTINGS_SECTION]
    if value is None:
        return EditorSettings()
    if not isinstance(value, dict):
        return None
    cleaned = {key: item for key, item in value.items() if item is not None}
    try:
        return EditorSettings.model_validate(cleaned)
    except ValidationError as error:
        logger.warning("ignoring invalid editor settings %r: %s", value, error)
        return None


def apply_log_level(editor: EditorSettings) -> None:
    """Set the server's logging level (stderr, which editors show in their output) from the
    `logLevel` setting, when it names one."""
    level = LOG_LEVELS.get((editor.log_level or "").lower())
    if level is not None:
        logging.getLogger().setLevel(level)


def _folder_of(path: str, folders: dict[str, EditorSettings]) -> EditorSettings | None:
    """The settings of the innermost folder holding `path`, if it has its own."""
    owners = [folder for folder in folders if Path(path).is_relative_to(folder)]
    return folders[max(owners, key=len)] if owners else None


class FindingView:
    """The filter between a document's findings and its diagnostics (see `view_for`)."""

    def __init__(
        self, path: str | None, refusal: str | None = None, baseline: Baseline | None = None
    ) -> None:
        self.path = path
        self.refusal = refusal
        self.baseline = baseline

    def shown(self, findings: list[Finding], lines: list[str]) -> list[Finding]:
        """The findings to publish."""
        if self.refusal is not None:
            return [finding for finding in findings if finding.code == TOOL_SETTINGS_CODE]
        if self.baseline is None or self.path is None or not findings:
            return findings
        new, _known = self.baseline.split(self.path, findings, lines)
        return new


class Configuration:
    """Resolved settings per open document, recomputed only when something they depend on
    changes (editor settings, a configuration file, the workspace folders)."""

    def __init__(self) -> None:
        self.editor = EditorSettings()
        self.folder_editors: dict[str, EditorSettings] = {}  # folder path -> its own settings
        self.resolver = ConfigResolver(self.editor.overrides)
        self.folders: list[str] = []
        self.folder_uris: list[str] = []
        self.editor_updates = 0  # how many times editor settings were applied
        self.pulls = 0  # how many times they were asked for (the latest answer wins)
        self.generation = 0
        self._settings: dict[str, tuple[int, FileSettings]] = {}
        self._projects: dict[str, tuple[int, ProjectConfig]] = {}
        self.baselines = BaselineCache()
        self.on_refusal: list[Callable[[str], None]] = []  # told each refusal once
        self._refusals_told: set[str] = set()

    def set_editor_settings(
        self, editor: EditorSettings, folders: dict[str, EditorSettings] | None = None
    ) -> bool:
        """Apply new editor settings (the window's, and the folders' that differ from them:
        none unless given); True when they change anything."""
        self.editor_updates += 1
        apply_log_level(editor)
        folders = {path: own for path, own in (folders or {}).items() if own != editor}
        if editor == self.editor and folders == self.folder_editors:
            return False
        self.editor = editor
        self.folder_editors = folders
        self.resolver.overrides = editor.overrides
        self._changed()
        return True

    def files_changed(self) -> None:
        """A configuration file changed on disk: read everything again."""
        self.resolver.invalidate()
        self._changed()

    def set_folders(self, folder_uris: list[str]) -> None:
        """The workspace folders (the first one configures unsaved buffers)."""
        self.folder_uris = list(folder_uris)
        self.folders = [path for path in map(uri_to_path, folder_uris) if path is not None]
        self._changed()

    def settings_for(self, document: Document) -> FileSettings:
        """The settings of one document (cached until the configuration changes)."""
        default_root = self.folders[0] if self.folders else None
        anchor = document.path or default_root
        own = _folder_of(anchor, self.folder_editors) if anchor else None
        overrides = own.overrides if own is not None else None
        return self._current(
            self._settings,
            document.uri,
            lambda: self.resolver.settings_for(document.path, default_root, overrides),
        )

    def project_root(self, document: Document) -> str | None:
        """The project root of a document on disk (None for unsaved buffers)."""
        if document.path is None:
            return self.folders[0] if self.folders else None
        return self._project_of(document.uri, document.path).root

    def cache_directory(self, document: Document) -> Path | None:
        """Where the result cache of a document on disk lives (None: unsaved, or outside any
        project with a `standards.toml`)."""
        if document.path is None:
            return None
        return project_cache_directory(self._project_of(document.uri, document.path))

    def view_for(self, document: Document) -> FindingView:
        """Which of a document's findings to show: none but the configuration's when this
        version of standards-lsp is outside the project's `required-version`, and none the
        project's baseline covers (unless `showBaselined`)."""
        if document.path is None:
            return FindingView(document.path)
        project = self._project_of(document.uri, document.path)
        tool = project.pyproject.tool if project.pyproject is not None else None
        refusal = version_refusal(tool.required_version if tool is not None else None)
        if refusal is not None and refusal not in self._refusals_told:
            self._refusals_told.add(refusal)
            for callback in self.on_refusal:
                callback(f"standards-lsp is not checking {project.root}: {refusal}")
        baseline = None
        if not self.editor.show_baselined:
            baseline = self.baselines.get(project_baseline_path(project.root))
        return FindingView(document.path, refusal=refusal, baseline=baseline)

    def _project_of(self, uri: str, path: str) -> ProjectConfig:
        """A document's project (cached like its settings: asked on every keystroke)."""
        return self._current(self._projects, uri, lambda: self.resolver.project_for(Path(path)))

    def _current[Value](
        self, cache: dict[str, tuple[int, Value]], uri: str, resolve: Callable[[], Value]
    ) -> Value:
        """A document's value from `cache` while the configuration is unchanged, else resolved
        anew and remembered."""
        cached = cache.get(uri)
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        value = resolve()
        cache[uri] = (self.generation, value)
        return value

    def forget(self, uri: str) -> None:
        """Drop a closed document's cached settings."""
        self._settings.pop(uri, None)
        self._projects.pop(uri, None)

    def _changed(self) -> None:
        self.generation += 1
