"""Shell commands in scripts, Dockerfiles, Makefiles and CI workflows: which of them manage the
project's dependencies with something other than uv, and what the uv command is.

Text comes in as `Fragment`s (a piece of one physical line and where it starts), so a command
found in a joined logical line maps back to an exact range of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict

from rules.models import Position, Range

_SEPARATOR = re.compile(r"&&|\|\||;|\|")
_TOKEN = re.compile(r"\"[^\"]*\"|'[^']*'|\S+")
_VARIABLE = re.compile(r"^\$[({](\w+)[)}]$")
_ASSIGNMENT = re.compile(r"^\w+=")
_PYTHON = re.compile(r"^(?:python|py)(?:\d+(?:\.\d+)?)?$")
_PIP = re.compile(r"^pip(?:\d+(?:\.\d+)?)?$")
_UV_REQUIREMENT = re.compile(r"^uv(?:\[[^\]]*\])?(?:[<>=!~].*)?$")
_PREFIXES = ("sudo", "exec", "time", "command", "nohup", "then", "do", "else", "!")
# pip options that take a value (the value is not a package).
_PIP_VALUE_OPTIONS = frozenset(
    {
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "-f",
        "--find-links",
        "--python-version",
        "--platform",
    }
)
_REQUIREMENT_OPTIONS = frozenset({"-r", "--requirement", "-e", "--editable"})
# pip options that say nothing about what is installed: they can be dropped in the uv command.
_HARMLESS_PIP_OPTIONS = frozenset(
    {
        "--no-cache-dir",
        "-U",
        "--upgrade",
        "-q",
        "--quiet",
        "--user",
        "--break-system-packages",
        "--no-input",
        "--disable-pip-version-check",
        "--progress-bar=off",
    }
)
_PIP_SUBCOMMANDS = frozenset({"install", "uninstall", "freeze"})
# Other managers installed with pip: the install is itself the problem, uv has no equivalent.
_OTHER_MANAGERS = frozenset({"poetry", "pipenv", "pip-tools", "conda", "pdm"})
_POETRY_SUBCOMMANDS = {
    "install": "uv sync",
    "sync": "uv sync",
    "lock": "uv lock",
    "update": "uv lock --upgrade",
    "build": "uv build",
    "publish": "uv publish",
}
_POETRY_PASSING = {"add": "uv add", "remove": "uv remove", "run": "uv run"}
_PIPENV_SUBCOMMANDS = {"sync": "uv sync", "lock": "uv lock"}
_PIPENV_PASSING = {"run": "uv run", "uninstall": "uv remove"}
_CONDA_TOOLS = frozenset({"conda", "mamba", "micromamba"})
_TEST_RUNNER = "pytest"
POETRY = "poetry"
PIPENV = "pipenv"
INSTALL = "install"
UV_SYNC = "uv sync"


class Fragment(BaseModel):
    """A piece of one physical line of a file: its text and where it starts."""

    model_config = ConfigDict(frozen=True)

    line: int
    column: int
    text: str


class CommandFinding(BaseModel):
    """A non-uv dependency command, where it is, and its uv equivalent (None: no fix)."""

    model_config = ConfigDict(frozen=True)

    range: Range
    command: str
    message: str
    replacement: str | None = None
    safe: bool = False


class Token(BaseModel):
    """A word of a command and its offsets in the logical line."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int

    @property
    def bare(self) -> str:
        return self.text.strip("\"'")


class Verdict(BaseModel):
    """What the matcher says about one command."""

    model_config = ConfigDict(frozen=True)

    message: str
    replacement: str | None = None
    safe: bool = False


class _LogicalLine:
    """Physical fragments joined on trailing backslashes, each character mapped back."""

    def __init__(self) -> None:
        self.text = ""
        self.positions: list[Position] = []

    def add(self, fragment: Fragment, text: str) -> None:
        for index, character in enumerate(text):
            self.text += character
            self.positions.append(Position(line=fragment.line, character=fragment.column + index))

    def range(self, start: int, end: int) -> Range:
        last = self.positions[end - 1]
        return Range(
            start=self.positions[start],
            end=Position(line=last.line, character=last.character + 1),
        )


def logical_lines(fragments: Iterable[Fragment], comments: bool = True) -> Iterator[_LogicalLine]:
    """Join fragments ending in a backslash with the next; drop comments when asked."""
    current = _LogicalLine()
    for fragment in fragments:
        text = fragment.text.rstrip("\r\n")
        if comments:
            text = _without_comment(text)
        continued = text.rstrip().endswith("\\")
        if continued:
            text = text.rstrip()[:-1] + " "
        current.add(fragment, text)
        if not continued:
            if current.text.strip():
                yield current
            current = _LogicalLine()
    if current.text.strip():
        yield current


def _without_comment(text: str) -> str:
    """A shell line without its comment (a `#` at a word start, outside quotes)."""
    quote = ""
    for index, character in enumerate(text):
        if quote:
            quote = "" if character == quote else quote
        elif character in "\"'":
            quote = character
        elif character == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index]
    return text


def find_commands(
    fragments: Iterable[Fragment], in_image: bool, comments: bool = True
) -> list[CommandFinding]:
    """Every non-uv dependency command in the fragments (`in_image`: a Dockerfile, where
    packages go into the image's environment rather than into the project)."""
    found = []
    for line in logical_lines(fragments, comments):
        for tokens in _segments(line.text):
            verdict = judge(tokens, in_image)
            if verdict is None:
                continue
            first = tokens[0].text
            # A Makefile recipe's `@`/`-`/`+` prefix stays: it is not part of the command.
            start = tokens[0].start + len(first) - len(first.lstrip("@-+"))
            end = tokens[-1].end
            found.append(
                CommandFinding(
                    range=line.range(start, end),
                    command=line.text[start:end],
                    message=verdict.message,
                    replacement=verdict.replacement,
                    safe=verdict.safe,
                )
            )
    return found


def _segments(text: str) -> Iterator[list[Token]]:
    """The simple commands of a logical line, as tokens (leading assignments and prefixes
    like `sudo` skipped)."""
    start = 0
    for match in [*_SEPARATOR.finditer(text), None]:
        end = match.start() if match is not None else len(text)
        tokens = [
            Token(text=found.group(), start=start + found.start(), end=start + found.end())
            for found in _TOKEN.finditer(text[start:end])
        ]
        while tokens and (_ASSIGNMENT.match(tokens[0].text) or tokens[0].text in _PREFIXES):
            tokens.pop(0)
        if tokens:
            yield tokens
        if match is not None:
            start = match.end()


def tool_name(token: str) -> str:
    """The program a command word runs: `/usr/bin/pip3` -> `pip3`, `$(PYTHON)` -> `python`,
    Makefile recipe prefixes (`@`, `-`, `+`) dropped."""
    word = token.strip("\"'").lstrip("@-+")
    variable = _VARIABLE.match(word)
    if variable is not None:
        word = variable.group(1)
    return word.rsplit("/", 1)[-1].lower()


def judge(tokens: list[Token], in_image: bool) -> Verdict | None:
    """Whether a simple command manages dependencies without uv, and its uv equivalent."""
    words = [token.bare for token in tokens]
    tool = tool_name(tokens[0].text)
    if _PYTHON.match(tool):
        return _judge_python_module(words[1:], in_image)
    if _PIP.match(tool):
        return _judge_pip(words[1:], in_image)
    if tool in _TOOL_VERDICTS:
        return _TOOL_VERDICTS[tool]
    if tool == POETRY:
        return _judge_manager(words[1:], POETRY, _POETRY_SUBCOMMANDS, _POETRY_PASSING)
    if tool == PIPENV:
        return _judge_pipenv(words[1:])
    return None


def _judge_python_module(arguments: list[str], in_image: bool) -> Verdict | None:
    """`python -m pip ...` and `python -m pytest ...`."""
    if len(arguments) < 2 or arguments[0] != "-m":  # noqa: PLR2004 - "-m" and a module
        return None
    module, rest = arguments[1], arguments[2:]
    if _PIP.match(module):
        return _judge_pip(rest, in_image)
    if module == _TEST_RUNNER and not in_image:
        return Verdict(
            message="runs pytest outside the project's uv environment",
            replacement=" ".join(["uv run pytest", *rest]),
            safe=True,
        )
    return None


def _judge_pip(arguments: list[str], in_image: bool) -> Verdict | None:
    subcommand = next((word for word in arguments if not word.startswith("-")), None)
    if subcommand is None or subcommand not in _PIP_SUBCOMMANDS:
        return None
    rest = arguments[arguments.index(subcommand) + 1 :]
    if subcommand == "freeze":
        return Verdict(
            message="pip freeze pins dependencies outside uv (use `uv lock`/`uv export`)"
        )
    packages, requirement_options, other_options = _pip_arguments(rest)
    if subcommand == INSTALL and packages and all(map(_UV_REQUIREMENT.match, packages)):
        return None  # installing uv itself with pip is how uv gets into an image
    managers = sorted({name.split("=")[0] for name in packages} & _OTHER_MANAGERS)
    if managers:
        return Verdict(message=f"pip installs {', '.join(managers)}: uv is the only manager")
    replacement = None
    if not other_options:
        replacement = _pip_replacement(subcommand, packages, requirement_options, in_image)
    return Verdict(
        message=f"pip {subcommand} manages dependencies outside uv", replacement=replacement
    )


def _pip_replacement(
    subcommand: str, packages: list[str], requirements: list[str], in_image: bool
) -> str | None:
    """The uv command for a pip install/uninstall (None when there is no faithful one)."""
    if subcommand == "uninstall":
        verb = "uv pip uninstall --system" if in_image else "uv remove"
        return f"{verb} {' '.join(packages)}"
    if requirements and not packages:
        return UV_SYNC
    if packages and not requirements:
        verb = "uv pip install --system" if in_image else "uv add"
        return f"{verb} {' '.join(packages)}"
    return None


def _pip_arguments(arguments: list[str]) -> tuple[list[str], list[str], list[str]]:
    """pip install's arguments as (packages, requirement/editable options, other options)."""
    packages: list[str] = []
    requirements: list[str] = []
    others: list[str] = []
    taking_value: str | None = None
    for word in arguments:
        if taking_value is not None:
            (requirements if taking_value in _REQUIREMENT_OPTIONS else others).append(word)
            taking_value = None
        elif word in _PIP_VALUE_OPTIONS:
            taking_value = word
        elif word.startswith(("-r", "-e")) and len(word) > 2:  # noqa: PLR2004 - "-rFILE"
            requirements.append(word)
        elif word.startswith("-"):
            if word not in _HARMLESS_PIP_OPTIONS:
                others.append(word)
        elif word in {".", "./"}:
            requirements.append(word)
        else:
            packages.append(word)
    return packages, requirements, others


def _judge_manager(
    arguments: list[str],
    tool: str,
    simple: dict[str, str],
    passing: dict[str, str],
) -> Verdict:
    message = f"{tool} manages dependencies: uv is the only manager"
    subcommand = next((word for word in arguments if not word.startswith("-")), None)
    if subcommand in simple:
        return Verdict(message=message, replacement=simple[subcommand])
    if subcommand in passing:
        rest = arguments[arguments.index(subcommand) + 1 :]
        return Verdict(message=message, replacement=" ".join([passing[subcommand], *rest]))
    return Verdict(message=message)


def _judge_pipenv(arguments: list[str]) -> Verdict:
    subcommand = next((word for word in arguments if not word.startswith("-")), None)
    if subcommand == INSTALL:
        rest = arguments[arguments.index(INSTALL) + 1 :]
        packages = [word for word in rest if not word.startswith("-")]
        message = "pipenv manages dependencies: uv is the only manager"
        if not packages:
            return Verdict(message=message, replacement=UV_SYNC)
        if len(packages) == len(rest):
            return Verdict(message=message, replacement=f"uv add {' '.join(packages)}")
        return Verdict(message=message)
    return _judge_manager(arguments, PIPENV, _PIPENV_SUBCOMMANDS, _PIPENV_PASSING)


# Tools whose every use is the problem, whatever their arguments.
_TOOL_VERDICTS = {
    "pip-compile": Verdict(
        message="pip-compile pins dependencies outside uv", replacement="uv lock"
    ),
    "pip-sync": Verdict(message="pip-sync installs dependencies outside uv", replacement="uv sync"),
    **{tool: Verdict(message=f"{tool} manages dependencies outside uv") for tool in _CONDA_TOOLS},
}
