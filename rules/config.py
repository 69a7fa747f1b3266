"""Configuration: which tier and rules apply to a file, from `standards.toml` and `pyproject.toml`.

- The nearest `standards.toml` upward from a file decides its tier; both forms of
  `rulesets.md` are understood. None found: the `python-internal` tier applies.
- The nearest `pyproject.toml` with a `[tool.standards-lsp]` table gives `select`, `ignore`,
  `per-file-ignores` and rule options.
- Editors and the command line may override the tier and the selection.

Problems in either file are `ConfigProblem`s with a range in that file; rules report them as
findings there (STD502, STD503) and the command line refuses to run on fatal ones.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.conform_schema import validate as validate_conform_schema
from rules.models import Position, Range, Severity, Tier
from rules.project_files import directory_exists, file_exists
from rules.registry import Registry, default_registry
from rules.settings import FileSettings, Options
from rules.tiers import BASE_RULESET_TIERS, DEFAULT_TIER, RULESET_TIERS

if TYPE_CHECKING:
    import pathspec

STANDARDS_FILE = "standards.toml"
PYPROJECT_FILE = "pyproject.toml"
TOOL_TABLE = "standards-lsp"
ALL_CODES = "ALL"
SELECTED_OFF_TIER_SEVERITY = Severity.WARNING
_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_END_OF_DOCUMENT = "at end of document"
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_TEST_DIRECTORIES = frozenset({"tests", "test", "testing"})
_TOOL_KEYS = frozenset(
    {"select", "ignore", "extend-select", "per-file-ignores", "exclude", "required-version"}
)
REQUIRED_VERSION = "required-version"
DISTRIBUTION = "standards-lsp"
STANDARDS_SECTIONS = frozenset(
    {"standards", "metadata", "extends", "code", "process", "infra", "mcp", "monorepo"}
)
SIMPLE_FORM_SECTION = "standards"
# Keys whose values the reader checks itself (with the tier logic); the schema would repeat it.
_READER_CHECKED_KEYS = frozenset({("metadata", "tier"), ("extends", "rulesets")})
RULESET = "ruleset"
STANDARDS = "standards"
METADATA = "metadata"
TIER = "tier"
EXTENDS = "extends"
RULESETS = "rulesets"


class ConfigProblem(BaseModel):
    """Something wrong in a configuration file, where it is."""

    model_config = ConfigDict(frozen=True)

    path: str
    message: str
    range: Range
    fatal: bool = Field(default=False, description="checking cannot go on with this file as it is")
    unknown_key: bool = Field(
        default=False, description="a key nobody here knows: a warning, not an error"
    )


class StandardsFile(BaseModel):
    """What a `standards.toml` says: its tier (None if it could not tell) and its problems."""

    model_config = ConfigDict(frozen=True)

    path: str
    tier: Tier | None
    problems: tuple[ConfigProblem, ...] = ()


class ToolSettings(BaseModel):
    """The `[tool.standards-lsp]` table, validated."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, alias="per-file-ignores"
    )
    exclude: tuple[str, ...] = Field(
        default=(), description="gitignore-style patterns, relative to this pyproject, never walked"
    )
    required_version: str | None = Field(
        default=None,
        alias="required-version",
        description="a PEP 440 specifier the running standards-lsp must satisfy",
    )
    options: Options = Options()


class PyprojectFile(BaseModel):
    """A `pyproject.toml` with a `[tool.standards-lsp]` table."""

    model_config = ConfigDict(frozen=True)

    path: str
    tool: ToolSettings
    problems: tuple[ConfigProblem, ...] = ()


class Overrides(BaseModel):
    """Settings from the editor or the command line, applied over the files'."""

    model_config = ConfigDict(frozen=True)

    tier: Tier | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()


class ProjectConfig(BaseModel):
    """The configuration in force for the files below one project root."""

    model_config = ConfigDict(frozen=True)

    root: str
    tier: Tier
    standards: StandardsFile | None = None
    pyproject: PyprojectFile | None = None
    project_name: str | None = None

    @property
    def problems(self) -> tuple[ConfigProblem, ...]:
        """Every problem of both files."""
        found: tuple[ConfigProblem, ...] = ()
        if self.standards is not None:
            found += self.standards.problems
        if self.pyproject is not None:
            found += self.pyproject.problems
        return found


def _point(line: int, character: int = 0, length: int = 0) -> Range:
    return Range(
        start=Position(line=line, character=character),
        end=Position(line=line, character=character + length),
    )


def toml_error_range(error: tomllib.TOMLDecodeError, text: str) -> Range:
    """The position tomllib reports for a syntax error, as a one-character range."""
    match = _TOML_ERROR_POSITION.search(str(error))
    if match is None:
        if _END_OF_DOCUMENT in str(error):
            lines = text.splitlines() or [""]
            return _point(len(lines) - 1, len(lines[-1]))
        return _point(0)
    line = int(match.group(1)) - 1
    column = int(match.group(2)) - 1
    lines = text.splitlines() or [""]
    line = min(line, len(lines) - 1)
    return _point(line, min(column, len(lines[line])), 1)


def toml_error_message(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's message without the position, which the range carries."""
    return _TOML_ERROR_POSITION.sub("", str(error)).strip()


def locate_key(text: str, table: str, key: str | None = None) -> Range:
    """The range of `key` in `[table]` (or of the table's header when `key` is None); a key
    written only as a sub-table's header (`[table.key]`, `[table.key.more]`) or as a dotted key
    (`key.more = ...`) is found there."""
    current = ""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        header = _TABLE_HEADER.match(line)
        if header is not None:
            current = _normalise_table(header.group(1))
            if key is None and current == table:
                return _point(index, line.index("["), len(line.rstrip()) - line.index("["))
            continue
        if key is not None and current == table:
            match = re.match(rf"\s*(\"?{re.escape(key)}\"?)\s*=", line)
            if match is not None:
                return _point(index, match.start(1), len(match.group(1)))
    if key is not None:
        return _key_as_header(lines, table, key) or locate_key(text, table)
    return _point(0)


def _key_as_header(lines: list[str], table: str, key: str) -> Range | None:
    """Where `key` of `[table]` is written as part of a header or of a dotted key."""
    wanted = f"{table}.{key}" if table else key
    current = ""
    for index, line in enumerate(lines):
        header = _TABLE_HEADER.match(line)
        if header is not None:
            current = _normalise_table(header.group(1))
            if current == wanted or current.startswith(f"{wanted}."):
                return _segment_range(index, line, key)
            continue
        dotted = re.match(rf"\s*(\"?{re.escape(key)}\"?)\s*\.", line)
        if dotted is not None and current == table:
            return _point(index, dotted.start(1), len(dotted.group(1)))
    return None


def _segment_range(index: int, line: str, key: str) -> Range:
    """The range of the key's segment in a table header (the whole header if not found)."""
    match = re.search(rf"[.\[]\s*(\"?{re.escape(key)}\"?)\s*[.\]]", line)
    if match is None:
        start = line.index("[")
        return _point(index, start, len(line.rstrip()) - start)
    return _point(index, match.start(1), len(match.group(1)))


def _normalise_table(name: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in name.split("."))


def read_toml(text: str, path: str) -> tuple[dict[str, object] | None, ConfigProblem | None]:
    """Parse TOML text; a syntax error becomes a fatal problem at its position."""
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        return None, ConfigProblem(
            path=path,
            message=f"invalid TOML: {toml_error_message(error)}",
            range=toml_error_range(error, text),
            fatal=True,
        )


def parse_standards_toml(text: str, path: str) -> StandardsFile:
    """Read either form of `standards.toml` into a tier and its problems."""
    data, problem = read_toml(text, path)
    if data is None:
        return StandardsFile(path=path, tier=None, problems=(problem,) if problem else ())
    reader = _StandardsReader(text, path)
    tier = reader.read(data)
    return StandardsFile(path=path, tier=tier, problems=tuple(reader.problems))


class _StandardsReader:
    """Reads both forms of `standards.toml`, collecting problems as it goes."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.problems: list[ConfigProblem] = []

    def problem(
        self, message: str, table: str, key: str | None = None, fatal: bool = False
    ) -> None:
        self.problems.append(
            ConfigProblem(
                path=self.path,
                message=message,
                range=locate_key(self.text, table, key),
                fatal=fatal,
            )
        )

    def read(self, data: dict[str, object]) -> Tier | None:
        self._check_schema(data)
        standards = _table(data.get(SIMPLE_FORM_SECTION))
        if standards is not None:
            return self._simple_form(standards)
        return self._registry_form(data)

    def _check_schema(self, data: dict[str, object]) -> None:
        """What the organisation's `conform` CLI would reject (its schema is strict at every
        level); `[standards]` is the standard's own form and is read by `_simple_form`."""
        for found in validate_conform_schema(data, skip=frozenset({SIMPLE_FORM_SECTION})):
            checked_by_reader = (found.table, found.key) in _READER_CHECKED_KEYS
            if checked_by_reader and found.key in (_table(data.get(found.table)) or {}):
                continue
            if found.table:
                self.problem(found.message, found.table, found.key)
            else:
                self.problem(found.message, found.key or "")
            if found.unknown:
                self.problems[-1] = self.problems[-1].model_copy(update={"unknown_key": True})

    def _simple_form(self, standards: dict[str, object]) -> Tier | None:
        for key in standards:
            if key != RULESET:
                self.problem(f"unknown key {key!r} in [standards]", STANDARDS, key)
        ruleset = standards.get("ruleset")
        if ruleset is None:
            self.problem("[standards] has no ruleset", STANDARDS, fatal=True)
            return None
        tier = RULESET_TIERS.get(str(ruleset))
        if tier is None:
            known = ", ".join(sorted(RULESET_TIERS))
            self.problem(f"unknown ruleset {ruleset!r} (known: {known})", STANDARDS, RULESET, True)
        return tier

    def _registry_form(self, data: dict[str, object]) -> Tier | None:
        metadata = _table(data.get("metadata")) or {}
        extends = _table(data.get("extends")) or {}
        declared = self._declared_tier(metadata)
        implied = self._ruleset_tier(extends)
        if declared is not None and implied is not None and declared is not implied:
            self.problem(
                f"tier {declared.value!r} disagrees with the rulesets, which are {implied.value!r}",
                METADATA,
                TIER,
            )
        tier = declared or implied
        if tier is None and not self.problems:
            self.problem(
                'no tier: add [standards] ruleset = "python-..." or [metadata] tier',
                METADATA,
                fatal=True,
            )
        return tier

    def _declared_tier(self, metadata: dict[str, object]) -> Tier | None:
        value = metadata.get("tier")
        if value is None:
            return None
        try:
            return Tier(str(value))
        except ValueError:
            known = ", ".join(tier.value for tier in Tier)
            self.problem(f"unknown tier {value!r} (known: {known})", METADATA, TIER, True)
            return None

    def _ruleset_tier(self, extends: dict[str, object]) -> Tier | None:
        rulesets = extends.get("rulesets", [])
        if not isinstance(rulesets, list):
            self.problem("[extends] rulesets must be a list of names", EXTENDS, RULESETS, True)
            return None
        tiers: set[Tier] = set()
        for name in rulesets:
            tier = RULESET_TIERS.get(str(name)) or BASE_RULESET_TIERS.get(str(name))
            if tier is None:
                self.problem(f"unknown ruleset {name!r}", EXTENDS, RULESETS)
            else:
                tiers.add(tier)
        if len(tiers) > 1:
            names = ", ".join(sorted(tier.value for tier in tiers))
            self.problem(f"the rulesets mix tiers ({names})", EXTENDS, RULESETS)
        python = [RULESET_TIERS[name] for name in map(str, rulesets) if name in RULESET_TIERS]
        return python[0] if python else (next(iter(tiers)) if len(tiers) == 1 else None)


def _table(value: object) -> dict[str, object] | None:
    return value if isinstance(value, dict) else None


def parse_tool_settings(text: str, path: str) -> PyprojectFile | None:
    """The `[tool.standards-lsp]` table of a `pyproject.toml` (None if it has none)."""
    data, problem = read_toml(text, path)
    if data is None:
        return PyprojectFile(path=path, tool=ToolSettings(), problems=(problem,) if problem else ())
    tool = _table(_table(data.get("tool")) or {})
    table = _table((tool or {}).get(TOOL_TABLE))
    if table is None:
        return None
    table_name = f"tool.{TOOL_TABLE}"
    problems: list[ConfigProblem] = []
    options = {key: value for key, value in table.items() if key not in _TOOL_KEYS}
    settings = {key: value for key, value in table.items() if key in _TOOL_KEYS}
    parsed_options = _valid_options(options, problems, text, path)
    try:
        tool_settings = ToolSettings.model_validate({**settings, "options": parsed_options})
    except ValidationError as error:
        problems.extend(_validation_problems(error, text, path, table_name))
        tool_settings = ToolSettings(options=parsed_options)
    refusal = version_refusal(tool_settings.required_version)
    if refusal is not None:
        where = locate_key(text, table_name, REQUIRED_VERSION)
        problems.append(ConfigProblem(path=path, message=refusal, range=where, fatal=True))
    return PyprojectFile(path=path, tool=tool_settings, problems=tuple(problems))


def running_version() -> str | None:
    """The installed standards-lsp's version (None when it is not installed, e.g. run from a
    bare checkout)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def version_refusal(required: str | None, running: str | None = None) -> str | None:
    """Why this standards-lsp must not check a project requiring `required` (None: it may)."""
    if required is None:
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # only for a requirement

    table = f"[tool.{TOOL_TABLE}] {REQUIRED_VERSION}"
    try:
        specifier = SpecifierSet(required)
    except InvalidSpecifier:
        return f'{table}: {required!r} is not a PEP 440 version specifier (e.g. ">=0.2,<0.3")'
    version = running or running_version()
    if version is None or specifier.contains(version, prereleases=True):
        return None
    return (
        f"{table} is {required!r}, but standards-lsp {version} is running: install a "
        f"matching version (`uv tool install 'standards-lsp{required}'`, or pin it in the "
        "project's dev dependencies) so the editor and CI agree"
    )


def _valid_options(
    options: dict[str, object], problems: list[ConfigProblem], text: str, path: str
) -> Options:
    """The options that are valid; each unknown or invalid one becomes a problem and is dropped."""
    table = f"tool.{TOOL_TABLE}"
    known = {field.alias or name for name, field in Options.model_fields.items()}
    for key in options:
        if key not in known:
            problems.append(
                ConfigProblem(
                    path=path,
                    message=f"[{table}] {key}: unknown setting",
                    range=locate_key(text, table, key),
                )
            )
    kept = {key: value for key, value in options.items() if key in known}
    try:
        return Options.model_validate(kept)
    except ValidationError as error:
        found = _validation_problems(error, text, path, table)
        problems.extend(found)
        invalid = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        return Options.model_validate({k: v for k, v in kept.items() if k not in invalid})


def _validation_problems(
    error: ValidationError, text: str, path: str, table: str
) -> list[ConfigProblem]:
    problems = []
    for detail in error.errors():
        key = str(detail["loc"][0]) if detail["loc"] else None
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = "unknown setting"
        problems.append(
            ConfigProblem(
                path=path,
                message=f"[{table}] {key}: {message}",
                range=locate_key(text, table, key),
            )
        )
    return problems


def is_test_path(path: str | None) -> bool:
    """Whether a file is test code (tests directories, `test_*.py`, `*_test.py`, conftest)."""
    if path is None:
        return False
    # by string, as PurePosixPath would split it (a batch run asks once per file: the path
    # objects cost a warm check of the standard library 3%)
    *folders, name = path.replace("\\", "/").rstrip("/").split("/")
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(part in _TEST_DIRECTORIES for part in folders)


def _matches(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(prefix == ALL_CODES or code.startswith(prefix.upper()) for prefix in prefixes)


def resolve_settings(
    project: ProjectConfig,
    path: str | None,
    overrides: Overrides | None = None,
    registry: Registry | None = None,
) -> FileSettings:
    """The settings for one file of `project`, overrides applied."""
    registry = registry or default_registry()
    overrides = overrides or Overrides()
    tier = overrides.tier or project.tier
    tool = project.pyproject.tool if project.pyproject is not None else ToolSettings()
    select = overrides.select if overrides.select is not None else tool.select
    ignored = (*tool.ignore, *overrides.ignore, *_per_file_ignores(project, path, tool))
    severities: dict[str, Severity] = {}
    for rule in registry.rules:
        severity = rule.severities.for_tier(tier)
        explicitly = select is not None and _matches(rule.code, select)
        if select is not None and not explicitly and not _matches(rule.code, tool.extend_select):
            continue
        if severity is None and (explicitly or _matches(rule.code, tool.extend_select)):
            severity = SELECTED_OFF_TIER_SEVERITY
        if severity is not None and not _matches(rule.code, ignored):
            severities[rule.code] = severity
    return FileSettings(
        tier=tier,
        severities=severities,
        options=tool.options,
        is_test=is_test_path(path),
        project_name=project.project_name,
        syntax_errors=ALL_CODES not in ignored,
    )


def _per_file_ignores(
    project: ProjectConfig, path: str | None, tool: ToolSettings
) -> tuple[str, ...]:
    if path is None or not tool.per_file_ignores or project.pyproject is None:
        return ()
    base = Path(project.pyproject.path).parent
    try:
        relative = Path(path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    ignored: tuple[str, ...] = ()
    for pattern, codes in tool.per_file_ignores.items():
        if fnmatch.fnmatch(relative, pattern) or PurePosixPath(relative).match(pattern):
            ignored += codes
    return ignored


class ConfigResolver:
    """Finds and reads configuration files for paths, remembering each directory's answer.

    `invalidate()` forgets everything (the server calls it when a configuration file changes).
    """

    def __init__(
        self, overrides: Overrides | None = None, registry: Registry | None = None
    ) -> None:
        self._overrides = overrides or Overrides()
        self.registry = registry or default_registry()
        self._projects: dict[Path, ProjectConfig] = {}
        # the directory whose configuration applies to each path asked about (a batch run asks
        # several times per file)
        self._directories: dict[str, Path] = {}
        self._folders: dict[str, Path] = {}  # a file path's folder part, made absolute
        # resolved settings by what decides them besides the project: per-file ignores, test-ness
        self._settings: dict[tuple[int, tuple[str, ...], bool, Overrides], FileSettings] = {}
        self._lookups = _Lookups()

    @property
    def overrides(self) -> Overrides:
        """The command line's or the editor's overrides of the configuration files."""
        return self._overrides

    @overrides.setter
    def overrides(self, overrides: Overrides) -> None:
        self._overrides = overrides
        self._settings.clear()  # resolved with the former overrides

    def invalidate(self) -> None:
        """Forget every configuration read so far."""
        self._projects.clear()
        self._directories.clear()
        self._folders.clear()
        self._settings.clear()
        self._lookups = _Lookups()

    def project_for(self, path: str | Path) -> ProjectConfig:
        """The configuration in force for the file (or directory) at `path`."""
        key = os.fspath(path)
        directory = self._directories.get(key)
        if directory is None:
            target = Path(path).absolute()
            # by string: os.path.isdir is directory_exists without pathlib's cost per file
            directory = target if os.path.isdir(target) else target.parent
            self._directories[key] = directory
        cached = self._projects.get(directory)
        if cached is None:
            cached = self._read_project(directory)
            self._projects[directory] = cached
        return cached

    def project_for_file(self, path: str | Path) -> ProjectConfig:
        """As `project_for`, for a path known not to be a directory (a file a walk found):
        without the look at the disk that tells a directory from a file."""
        key = os.fspath(path)
        if key not in self._directories:
            # one path object per folder, not per file: `Path(folder)` drops `.` parts and
            # doubled separators as `Path(key).parent` would
            folder = os.path.dirname(key)
            directory = self._folders.get(folder)
            if directory is None:
                directory = self._folders[folder] = Path(folder).absolute()
            self._directories[key] = directory
        return self.project_for(path)

    def settings_for(
        self, path: str | None, default_root: str | None = None, overrides: Overrides | None = None
    ) -> FileSettings:
        """The resolved settings for one file (None: an unsaved buffer, under `default_root`),
        with `overrides` instead of the resolver's own when given (a workspace folder's)."""
        anchor = path or default_root
        if anchor is None:
            project = ProjectConfig(root=str(Path.cwd()), tier=DEFAULT_TIER)
            return resolve_settings(project, path, overrides or self.overrides, self.registry)
        project = self.project_for(anchor if path else Path(anchor) / "untitled.py")
        chosen = overrides or self.overrides
        # every file of a project with the same per-file ignores and test-ness has the same
        # settings; the projects read stay in `_projects`, so their ids are not reused meanwhile
        tool = project.pyproject.tool if project.pyproject is not None else ToolSettings()
        key = (id(project), _per_file_ignores(project, path, tool), is_test_path(path), chosen)
        settings = self._settings.get(key)
        if settings is None:
            settings = resolve_settings(project, path, chosen, self.registry)
            self._settings[key] = settings
        return settings

    def _read_project(self, directory: Path) -> ProjectConfig:
        lookups = self._lookups
        standards_path = lookups.nearest(directory, STANDARDS_FILE)
        standards = lookups.standards(standards_path) if standards_path is not None else None
        pyproject = lookups.nearest_tool_table(
            directory, standards_path.parent if standards_path else None
        )
        nearest_pyproject = lookups.nearest(directory, PYPROJECT_FILE)
        if standards_path is not None:
            root = standards_path.parent
        else:
            root = _project_root(directory, pyproject, nearest_pyproject)
        tier = standards.tier if standards is not None and standards.tier else DEFAULT_TIER
        return ProjectConfig(
            root=str(root),
            tier=tier,
            standards=standards,
            pyproject=pyproject,
            project_name=lookups.project_name(nearest_pyproject),
        )

    def is_excluded(self, path: Path) -> bool:
        """Whether the `exclude` patterns of the project's `[tool.standards-lsp]` skip `path`."""
        pyproject = self.project_for(path).pyproject
        if pyproject is None or not pyproject.tool.exclude:
            return False
        base = Path(pyproject.path).parent.absolute()
        try:
            relative = path.absolute().relative_to(base).as_posix()
        except ValueError:
            return False
        if directory_exists(path):
            relative += "/"
        return _exclude_spec(tuple(pyproject.tool.exclude)).match_file(relative)


class _Lookups:
    """What one resolver's configuration look-ups found on disk, each asked of the disk once:
    the nearest file of a name above each folder, and every configuration file read (a check of
    the standard library resolves 128 directories of one tree, which asked the same parents for
    the same files again for each: a fifth of a warm run)."""

    def __init__(self) -> None:
        self._nearest: dict[tuple[Path, str], Path | None] = {}
        self._standards: dict[Path, StandardsFile] = {}
        self._tool_tables: dict[Path, PyprojectFile | None] = {}
        self._names: dict[Path | None, str | None] = {}

    def nearest(self, directory: Path, name: str) -> Path | None:
        """The file `name` in `directory` or the closest of its parents (None: in none)."""
        walked: list[tuple[Path, str]] = []
        found: Path | None = None
        for folder in (directory, *directory.parents):
            key = (folder, name)
            if key in self._nearest:
                found = self._nearest[key]
                break
            walked.append(key)
            candidate = folder / name
            # a folder that cannot be looked into (another user's) holds no configuration we
            # can use
            if file_exists(candidate):
                found = candidate
                break
        for key in walked:  # every folder walked through has the same answer
            self._nearest[key] = found
        return found

    def nearest_tool_table(
        self, directory: Path, project_root: Path | None
    ) -> PyprojectFile | None:
        """The nearest `[tool.standards-lsp]` table, not above the project's `standards.toml`."""
        folder = directory
        while (candidate := self.nearest(folder, PYPROJECT_FILE)) is not None:
            holder = candidate.parent
            if project_root is not None and len(holder.parts) < len(project_root.parts):
                return None  # above the project: both are on the same chain of parents
            parsed = self.tool_table(candidate)
            if parsed is not None:
                return parsed
            if holder.parent == holder:  # the file system's root
                return None
            folder = holder.parent
        return None

    def standards(self, path: Path) -> StandardsFile:
        """A `standards.toml`, read once."""
        if path not in self._standards:
            self._standards[path] = parse_standards_toml(_read_text(path), str(path))
        return self._standards[path]

    def tool_table(self, path: Path) -> PyprojectFile | None:
        """The `[tool.standards-lsp]` table of a `pyproject.toml`, read once."""
        if path not in self._tool_tables:
            self._tool_tables[path] = parse_tool_settings(_read_text(path), str(path))
        return self._tool_tables[path]

    def project_name(self, pyproject: Path | None) -> str | None:
        """The project name a `pyproject.toml` declares, read once."""
        if pyproject not in self._names:
            self._names[pyproject] = _project_name(pyproject)
        return self._names[pyproject]


def _project_root(
    directory: Path, pyproject: PyprojectFile | None, nearest_pyproject: Path | None
) -> Path:
    if pyproject is not None:
        return Path(pyproject.path).parent
    return nearest_pyproject.parent if nearest_pyproject is not None else directory


def _project_name(pyproject: Path | None) -> str | None:
    if pyproject is None:
        return None
    data, _ = read_toml(_read_text(pyproject), str(pyproject))
    project = _table((data or {}).get("project")) or {}
    poetry = _table((_table((data or {}).get("tool")) or {}).get("poetry")) or {}
    name = project.get("name", poetry.get("name"))
    return name if isinstance(name, str) else None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@cache
def _exclude_spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    """A project's `[tool.standards-lsp] exclude` patterns, compiled once per process (pathspec
    is imported only by a project that excludes something)."""
    import pathspec  # deferred: most projects exclude nothing

    return pathspec.PathSpec.from_lines("gitignore", patterns)
