"""The Lambda functions an AWS CDK app (a folder with `cdk.json`) declares, read from its Python
and TypeScript sources with a small lexical reader: which Python handler each names and which
are wired to HTTP.

What it reads, in one source file at a time:
- functions: `<module>.Function(...)` / `Function(...)` (Python keywords `handler="app.handler"`,
  `code=<...>.Code.from_asset("lambda")`, `runtime=...`) and `new <module>.Function(this, "Id",
  { handler: "app.handler", code: lambda.Code.fromAsset("lambda") })` in TypeScript; and
  `PythonFunction(entry=..., index=..., handler=...)` (defaults `index.py`, `handler`). An asset
  path is a string (relative to the app's folder, where `cdk` runs) or `path.join(__dirname,
  "...")` / `os.path.join(os.path.dirname(__file__), "...")` (relative to the source file);
- HTTP wiring: `LambdaRestApi`, `LambdaIntegration`, `HttpLambdaIntegration` and `FunctionUrl`
  calls whose arguments name the function's variable (or hold its construct), and
  `fn.add_function_url(...)` / `fn.addFunctionUrl(...)`.

What it does not read: a function passed to another construct or file (props, `fromFunctionArn`),
handler strings or asset paths computed at synth time (variables, f-strings, template literals),
`DockerImageFunction`, other HTTP fronts (an ALB's `LambdaTarget`, AppSync), and JavaScript
sources. What it does not understand it leaves out: no finding rather than a wrong one.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict

from rules.lambda_handlers import (
    MAX_TEMPLATE_LEVELS,
    TemplateEvent,
    TemplateFunction,
    handler_module,
)
from rules.project_files import read_text_file

CDK_JSON = "cdk.json"
PYTHON_MARK = "aws_cdk"
TYPESCRIPT_MARKS = ("aws-cdk-lib", "@aws-cdk/")
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "cdk.out", ".git", ".venv", "venv", "__pycache__", "dist", "build"}
)
MAX_DEPTH = 4
MAX_SOURCES = 500
DEFAULT_INDEX = "index.py"
DEFAULT_HANDLER = "handler"
PYTHON_RUNTIME = "PYTHON"
WIRING = ("LambdaRestApi", "LambdaIntegration", "HttpLambdaIntegration", "FunctionUrl")
_FUNCTION = re.compile(r"(?<![\w.])(?:new\s+)?(?:\w+\.)?(Function|PythonFunction)\s*\(")
_WIRING = re.compile(r"(?<![\w])(?:new\s+)?(?:\w+\.)?(" + "|".join(WIRING) + r")\s*\(")
_URL_METHOD = re.compile(
    r"(?<![\w.])(?:(?:self|this)\.)?(\w+)\s*\.\s*(add_function_url|addFunctionUrl)\s*\("
)
_ASSIGNED = re.compile(r"(?:(?:self|this)\.)?(\w+)\s*(?::\s*[\w.<>]+\s*)?=\s*$")
_STRING = re.compile(r"""^\s*(["'`])([^"'`\\$]*)\1\s*$""")
_ASSET = re.compile(r"Code\s*\.\s*(?:from_asset|fromAsset)\s*\(")
_JOIN = re.compile(
    r"^\s*(?:path\s*\.\s*(?:join|resolve)|os\s*\.\s*path\s*\.\s*join)\s*\((.*)\)\s*$", re.S
)
_HERE = re.compile(r"^\s*(?:__dirname|os\s*\.\s*path\s*\.\s*dirname\s*\(\s*__file__\s*\))\s*$")
_OPEN, _CLOSE = "([{", ")]}"
TRIPLE = '"""'
LINE_COMMENT, BLOCK_START, BLOCK_END = "//", "/*", "*/"


class CdkFunction(BaseModel):
    """A function a CDK source declares: its construct id (or variable), the handler's module
    (relative to the app's folder, None when not read) and function, whether it is a Python
    function, and the HTTP wiring in the same source."""

    model_config = ConfigDict(frozen=True)

    name: str
    module: str | None
    function: str
    python: bool
    http_events: tuple[TemplateEvent, ...] = ()


def _skip_string(text: str, index: int) -> int:
    """The index after the string literal starting at `index`."""
    quote = text[index]
    triple = text.startswith(quote * len(TRIPLE), index) and quote != "`"
    end_mark = quote * len(TRIPLE) if triple else quote
    position = index + len(end_mark)
    while position < len(text):
        if text[position] == "\\":
            position += len("\\x")  # the backslash and the character it escapes
            continue
        if text.startswith(end_mark, position):
            return position + len(end_mark)
        if text[position] == "\n" and not triple and quote != "`":
            return position
        position += 1
    return len(text)


def _skip_comment(text: str, index: int) -> int | None:
    """The index after a comment starting at `index` (`#`, `//`, `/* */`), else None."""
    if text[index] == "#" or text.startswith(LINE_COMMENT, index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    if text.startswith(BLOCK_START, index):
        end = text.find(BLOCK_END, index + len(BLOCK_START))
        return len(text) if end < 0 else end + len(BLOCK_END)
    return None


def _closing(text: str, open_index: int) -> int | None:
    """The index of the bracket closing the one at `open_index`, else None."""
    depth = 0
    index = open_index
    while index < len(text):
        char = text[index]
        if char in "\"'`":
            index = _skip_string(text, index)
            continue
        skipped = _skip_comment(text, index)
        if skipped is not None:
            index = skipped
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _top_level(text: str) -> list[str]:
    """`text` split at its top-level commas (brackets and strings respected, comments out)."""
    parts: list[str] = []
    current: list[str] = []
    index, depth = 0, 0
    while index < len(text):
        char = text[index]
        if char in "\"'`":
            end = _skip_string(text, index)
            current.append(text[index:end])
            index = end
            continue
        skipped = _skip_comment(text, index)
        if skipped is not None:
            index = skipped
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _arguments(inner: str) -> tuple[list[str], dict[str, str]]:
    """A call's positional arguments and its keywords: Python's `key=value` or the entries of
    a TypeScript object literal passed to it (`{ key: value }`)."""
    positional, keywords = [], {}
    for part in _top_level(inner):
        python_keyword = re.match(r"^(\w+)\s*=(?!=)\s*(.*)$", part, re.S)
        if python_keyword:
            keywords[python_keyword.group(1)] = python_keyword.group(2)
            continue
        positional.append(part)
        if part.startswith("{") and part.endswith("}"):
            for entry in _top_level(part[1:-1]):
                typescript_entry = re.match(r"^['\"]?(\w+)['\"]?\s*:\s*(.*)$", entry, re.S)
                if typescript_entry:
                    keywords.setdefault(typescript_entry.group(1), typescript_entry.group(2))
    return positional, keywords


def _string(value: str | None) -> str | None:
    match = _STRING.match(value or "")
    return match.group(2) if match else None


def _path(value: str | None, app: Path, source: Path) -> Path | None:
    """An asset path: a string (relative to the app's folder) or a join from the source's
    folder with strings only; None for anything else."""
    text = _string(value)
    if text is not None:
        return app / text
    match = _JOIN.match(value or "")
    if match is None:
        return None
    first, *rest = _top_level(match.group(1))
    parts = [_string(part) for part in rest]
    if _HERE.match(first) is None or not parts or any(part is None for part in parts):
        return None
    return source.parent.joinpath(*[part for part in parts if part is not None])


def _asset(value: str | None, app: Path, source: Path) -> Path | None:
    """The folder of `Code.from_asset(<path>, ...)`."""
    match = _ASSET.search(value or "")
    if match is None or value is None:
        return None
    end = _closing(value, match.end() - 1)
    if end is None:
        return None
    arguments = _top_level(value[match.end() : end])
    return _path(arguments[0], app, source) if arguments else None


def _relative(path: Path, app: Path) -> str:
    return PurePosixPath(Path(os.path.relpath(os.path.normpath(path), app)).as_posix()).as_posix()


def _position(text: str, offset: int, length: int) -> TemplateEvent:
    line = text.count("\n", 0, offset)
    start = offset - (text.rfind("\n", 0, offset) + 1)
    return TemplateEvent(kind="", line=line, start=start, end=start + length)


class _Construct(BaseModel):
    model_config = ConfigDict(frozen=True)

    function: CdkFunction
    variable: str | None
    start: int


def _construct(text: str, match: re.Match[str], app: Path, source: Path) -> _Construct | None:
    open_index = match.end() - 1
    close = _closing(text, open_index)
    if close is None:
        return None
    positional, keywords = _arguments(text[open_index + 1 : close])
    construct_id = _string(positional[1]) if len(positional) > 1 else None
    line_start = text.rfind("\n", 0, match.start()) + 1
    assigned = _ASSIGNED.search(text[line_start : match.start()])
    variable = assigned.group(1) if assigned else None
    module, function = None, ""
    if match.group(1) == "PythonFunction":
        entry = _path(keywords.get("entry"), app, source)
        index = _string(keywords.get("index")) if "index" in keywords else DEFAULT_INDEX
        function = _string(keywords.get("handler")) if "handler" in keywords else DEFAULT_HANDLER
        if entry is not None and index and function:
            module = _relative(entry / index, app)
        python = True
    else:
        handler = _string(keywords.get("handler"))
        asset = _asset(keywords.get("code"), app, source)
        located = handler_module(handler) if handler else None
        if located is not None and asset is not None:
            module, function = _relative(asset / located[0], app), located[1]
        python = PYTHON_RUNTIME in keywords.get("runtime", "").upper()
    name = construct_id or variable or match.group(1)
    return _Construct(
        function=CdkFunction(name=name, module=module, function=function or "", python=python),
        variable=variable,
        start=match.start(),
    )


def _events(text: str, constructs: list[_Construct]) -> dict[int, list[TemplateEvent]]:
    """The HTTP wiring of each construct (by its index) in one source."""
    found: dict[int, list[TemplateEvent]] = {}
    for match in _WIRING.finditer(text):
        close = _closing(text, match.end() - 1)
        if close is None:
            continue
        inner = text[match.end() : close]
        kind = match.group(1)
        event = _position(text, match.start(1), len(kind)).model_copy(update={"kind": kind})
        for index, construct in enumerate(constructs):
            inside = match.end() <= construct.start < close
            named = construct.variable is not None and re.search(
                rf"(?<![\w.])(?:(?:self|this)\.)?{re.escape(construct.variable)}\b", inner
            )
            if inside or named:
                found.setdefault(index, []).append(event)
    for match in _URL_METHOD.finditer(text):
        kind = match.group(2)
        event = _position(text, match.start(2), len(kind)).model_copy(update={"kind": kind})
        for index, construct in enumerate(constructs):
            if construct.variable == match.group(1):
                found.setdefault(index, []).append(event)
    return found


def source_functions(text: str, app: Path, source: Path) -> list[CdkFunction]:
    """The functions one CDK source declares, with the HTTP wiring the same source makes."""
    constructs = [
        construct
        for match in _FUNCTION.finditer(text)
        if (construct := _construct(text, match, app, source)) is not None
    ]
    events = _events(text, constructs)
    return [
        construct.function.model_copy(update={"http_events": tuple(events.get(index, []))})
        for index, construct in enumerate(constructs)
    ]


def is_cdk_source(path: Path, text: str) -> bool:
    """Whether a file is CDK code: Python importing `aws_cdk`, TypeScript importing the CDK."""
    if path.suffix == ".py":
        return PYTHON_MARK in text
    if path.suffix == ".ts" and not path.name.endswith(".d.ts"):
        return any(mark in text for mark in TYPESCRIPT_MARKS)
    return False


def _sources(app: Path) -> Iterator[Path]:
    count = 0
    for folder, folders, files in os.walk(app):
        depth = len(Path(folder).relative_to(app).parts)
        folders[:] = sorted(
            name
            for name in folders
            if name not in SKIPPED_FOLDERS and not name.startswith(".") and depth < MAX_DEPTH
        )
        for name in sorted(files):
            if name.endswith((".py", ".ts")):
                count += 1
                if count > MAX_SOURCES:
                    return
                yield Path(folder) / name


_PARSED: dict[tuple[str, int, int], list[CdkFunction]] = {}
MAX_PARSED = 4096


def _parsed(source: Path, app: Path) -> list[CdkFunction]:
    """A source's functions, kept while the file is unchanged (every module of the app asks)."""
    try:
        stat = source.stat()
    except OSError:
        return []
    key = (f"{app}\0{source}", stat.st_mtime_ns, stat.st_size)
    known = _PARSED.get(key)
    if known is None:
        text = read_text_file(source)
        known = (
            source_functions(text, app, source)
            if text is not None and is_cdk_source(source, text)
            else []
        )
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = known
    return known


def app_functions(app: Path) -> list[tuple[Path, CdkFunction]]:
    """Every function the CDK app in folder `app` declares, with its source file."""
    return [(source, function) for source in _sources(app) for function in _parsed(source, app)]


def cdk_apps(folder: Path, *, below: bool = False) -> list[Path]:
    """The CDK apps at `folder` (and, `below`, in its direct sub-folders: `infra/cdk.json`)."""
    found = [folder] if (folder / CDK_JSON).is_file() else []
    if below:
        found.extend(child for child in child_folders(folder) if (child / CDK_JSON).is_file())
    return found


_CHILDREN: dict[Path, tuple[int, list[Path]]] = {}
MAX_LISTED = 1024
# A folder changed this recently may change again within its clock's tick, unseen by its
# modification time: it is listed every time until it has been still for this long.
SETTLED_NS = 2_000_000_000


def child_folders(folder: Path) -> list[Path]:
    """The folder's sub-folders, sorted. Every module of a project asks this of its root (a
    check of the standard library listed its 200 entries 1,740 times), so a listing is kept
    until the folder changes (an entry added, removed or renamed changes its modification
    time)."""
    try:
        changed = folder.stat().st_mtime_ns
    except OSError:
        return []
    known = _CHILDREN.get(folder)
    if known is not None and known[0] == changed:
        return known[1]
    try:
        children = sorted(child for child in folder.iterdir() if child.is_dir())
    except OSError:
        return []
    if time.time_ns() - changed > SETTLED_NS:
        if len(_CHILDREN) >= MAX_LISTED:
            _CHILDREN.clear()
        _CHILDREN[folder] = (changed, children)
    return children


def app_of(source: Path, stop: Path | None = None) -> Path | None:
    """The CDK app a source file belongs to: the nearest folder upward with `cdk.json`."""
    for folder in source.absolute().parents:
        if (folder / CDK_JSON).is_file():
            return folder
        if stop is not None and folder == stop.absolute():
            break
    return None


def as_template_function(function: CdkFunction) -> TemplateFunction:
    """A CDK function in the templates' shape (its module relative to the app's folder)."""
    return TemplateFunction(
        name=function.name,
        module=function.module or "",
        function=function.function,
        http_events=function.http_events,
    )


def naming(module_path: Path, stop: Path | None = None) -> list[tuple[str, TemplateFunction]]:
    """The functions of the CDK apps (in the module's folder or upward, to `stop`, the project
    root, and in the project root's direct sub-folders) whose handler is the module at
    `module_path`, each with its source (relative to the app's folder)."""
    found = []
    module_path = module_path.absolute()
    for level, folder in enumerate(module_path.parents):
        if level > MAX_TEMPLATE_LEVELS:
            break
        at_stop = stop is not None and folder == stop.absolute()
        for app in cdk_apps(folder, below=at_stop):
            relative = _relative(module_path, app)
            found.extend(
                (_relative(source, app), as_template_function(function))
                for source, function in app_functions(app)
                if function.module == relative and function.function
            )
        if at_stop:
            break
    return found
