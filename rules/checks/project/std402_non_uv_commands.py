"""STD402: pip, pip-compile, poetry, pipenv or conda used to manage the project's dependencies
(Dockerfiles, CI workflows, shell scripts, Makefiles and `subprocess` calls), with the uv command
as the fix."""

from __future__ import annotations

import ast
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from rules.checks.project.shell import CommandFinding, Fragment, Token, find_commands, judge
from rules.models import (
    Finding,
    Fix,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TextEdit,
    TierSeverities,
)
from rules.registry import register
from rules.rule import FileContext, FileRule, UnitContext, UnitRule
from rules.source import split_lines, strip_line_break

if TYPE_CHECKING:
    import yaml

DOCKERFILE_PATTERNS = (
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
)
WORKFLOW_PATTERNS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
SCRIPT_PATTERNS = ("*.sh", "*.bash", "Makefile", "makefile", "GNUmakefile", "*.mk")
_RUN_INSTRUCTION = re.compile(r"^(\s*RUN\s+)((?:--\S+\s+)*)", re.IGNORECASE)
_RUN_KEY = "run"
_QUOTED_STYLES = frozenset({'"', "'"})
_BLOCK_STYLES = frozenset({"|", ">"})
_SUBPROCESS_FUNCTIONS = frozenset({"run", "call", "check_call", "check_output", "Popen"})
_OS_FUNCTIONS = frozenset({"system", "popen"})
# The modules whose calls `_runs_a_command` accepts, as words of source text.
# The module names, ending a word; where the word starts is tested apart (see
# `_may_run_a_command`).
_COMMAND_MODULE_END = re.compile(r"(?:os|subprocess)\b")
_SHELL_SAFE = re.compile(r"^[\w@%+=:,./<>~^-]+$")
MAX_SHOWN_COMMAND = 60
STD402 = "STD402"
DOCKERFILE = "Dockerfile"


def _is_dockerfile(name: str) -> bool:
    return any(PurePosixPath(name).match(pattern) for pattern in DOCKERFILE_PATTERNS)


def _shown(command: str) -> str:
    command = " ".join(command.split())
    if len(command) > MAX_SHOWN_COMMAND:
        return command[: MAX_SHOWN_COMMAND - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return command


@register
class NonUvDependencyCommand(UnitRule, FileRule):
    """Both kinds: `subprocess`/`os.system` calls in `.py` units, and whole scripts,
    Dockerfiles, workflows and Makefiles."""

    code = STD402
    name = "non-uv-dependency-command"
    summary = "pip, poetry, pipenv or conda manages dependencies: use the uv command"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (*DOCKERFILE_PATTERNS, *WORKFLOW_PATTERNS, *SCRIPT_PATTERNS)
    fix_title = "Rewrite to the uv command"
    doc = RuleDoc(
        what=(
            "Flags `pip install`/`uninstall`/`freeze` (also `python -m pip`), `pip-compile`, "
            "`pip-sync`, `poetry`, `pipenv` and `conda`/`mamba` commands in Dockerfiles (`RUN`), "
            "GitHub workflows (`run:` steps), shell scripts, Makefiles, and in `subprocess`/"
            "`os.system` calls of Python code; also `python -m pytest` outside an image. "
            "Installing uv itself with pip (`pip install uv`) is allowed."
        ),
        why=(
            "uv is the only permitted package manager: another tool installs versions the lock "
            "file never saw. The fix rewrites the command: `pip install -r requirements.txt` -> "
            "`uv sync`, `pip install X` -> `uv add X` in a project or `uv pip install --system X` "
            "in an image, `poetry install` -> `uv sync`, `python -m pytest` -> `uv run pytest`."
        ),
        bad=[
            RuleExample(
                source=(
                    "FROM python:3.12-slim\nRUN pip install uv\n"
                    "RUN pip install --no-cache-dir -r requirements.txt\n"
                ),
                path=DOCKERFILE,
                expected_codes=[STD402],
                fixed="FROM python:3.12-slim\nRUN pip install uv\nRUN uv sync\n",
                unsafe=True,
            ),
            RuleExample(
                source="#!/bin/sh\nset -e\npython -m pytest -x tests\n",
                path="scripts/test.sh",
                expected_codes=[STD402],
                fixed="#!/bin/sh\nset -e\nuv run pytest -x tests\n",
            ),
            RuleExample(
                source='import subprocess\n\nsubprocess.run(["pip", "install", "httpx"], check=True)\n',
                expected_codes=[STD402],
                fixed='import subprocess\n\nsubprocess.run(["uv", "add", "httpx"], check=True)\n',
                unsafe=True,
            ),
        ],
        good=[
            RuleExample(
                source="FROM python:3.12-slim\nRUN pip install uv\nRUN uv sync --frozen\n",
                path=DOCKERFILE,
            ),
            RuleExample(
                source="jobs:\n  test:\n    steps:\n      - run: uv sync\n      - run: uv run pytest\n",
                path=".github/workflows/ci.yml",
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None or context.path is None:
            return
        path = context.path.replace("\\", "/")
        name = PurePosixPath(path).name
        if _is_dockerfile(name):
            commands = find_commands(_dockerfile_fragments(context.text), in_image=True)
        elif any(PurePosixPath(path).match(pattern) for pattern in WORKFLOW_PATTERNS):
            commands = find_commands(_workflow_fragments(context.text), in_image=False)
        else:
            commands = find_commands(_plain_fragments(context.text), in_image=False)
        for command in commands:
            yield self._command_finding(command)

    def _command_finding(self, command: CommandFinding) -> Finding:
        fix = None
        if command.replacement is not None:
            fix = Fix(
                title=f"Replace with `{command.replacement}`",
                safety=Safety.SAFE if command.safe else Safety.UNSAFE,
                edits=[TextEdit(range=command.range, new_text=command.replacement)],
            )
        return self.finding(f"`{_shown(command.command)}`: {command.message}", command.range, fix)

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if not _may_run_a_command(context.unit.text):
            return  # no `subprocess.` or `os.` call can be in it: no walk of its expressions
        for call in context.nodes_of(ast.Call):
            if not call.args or not _runs_a_command(call.func):
                continue
            argument = call.args[0]
            words = _command_words(argument)
            if not words:
                continue
            tokens = [Token(text=word, start=0, end=0) for word in words]
            verdict = judge(tokens, in_image=False)
            if verdict is None:
                continue
            where = context.range_of(argument)
            fix = None
            if verdict.replacement is not None:
                new_text = _literal_like(argument, verdict.replacement)
                if new_text is not None:
                    fix = Fix(
                        title=f"Replace with `{verdict.replacement}`",
                        safety=Safety.SAFE if verdict.safe else Safety.UNSAFE,
                        edits=[TextEdit(range=where, new_text=new_text)],
                    )
            yield self.finding(f"`{_shown(' '.join(words))}`: {verdict.message}", where, fix)


def _plain_fragments(text: str) -> list[Fragment]:
    return [
        Fragment(line=index, column=0, text=strip_line_break(line))
        for index, line in enumerate(split_lines(text))
    ]


def _dockerfile_fragments(text: str) -> Iterator[Fragment]:
    """The shell text of every `RUN` instruction (shell form), continuation lines included."""
    lines = [strip_line_break(line) for line in split_lines(text)]
    in_run = False
    for index, line in enumerate(lines):
        if not in_run:
            match = _RUN_INSTRUCTION.match(line)
            if match is None or line[match.end() :].lstrip().startswith(("[", "<<")):
                continue
            in_run = True
            yield Fragment(line=index, column=match.end(), text=line[match.end() :])
        elif not line.strip().startswith("#"):  # Docker drops comment lines inside RUN
            yield Fragment(line=index, column=0, text=line)
        else:
            continue
        in_run = line.rstrip().endswith("\\")


def _workflow_fragments(text: str) -> list[Fragment]:
    """The shell text of every `run:` value of a workflow (nothing if it is not valid YAML:
    the workflow is then skipped rather than guessed at)."""
    # imported where a workflow is read: at the top, yaml cost every start-up 11 ms
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    lines = [strip_line_break(line) for line in split_lines(text)]
    fragments: list[Fragment] = []
    stack: list[yaml.Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == _RUN_KEY:
                    if isinstance(value, yaml.ScalarNode):
                        fragments.extend(_scalar_fragments(value, lines))
                else:
                    stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(fragments, key=lambda fragment: (fragment.line, fragment.column))


def _scalar_fragments(node: yaml.ScalarNode, lines: list[str]) -> list[Fragment]:
    start, end = node.start_mark, node.end_mark
    if node.style in _BLOCK_STYLES:
        last = end.line if end.column > 0 else end.line - 1
        return [
            Fragment(line=line, column=0, text=lines[line])
            for line in range(start.line + 1, min(last, len(lines) - 1) + 1)
        ]
    if start.line != end.line:
        return []  # a plain scalar folded over lines: rare in `run:`, not worth guessing
    column, stop = start.column, end.column
    if node.style in _QUOTED_STYLES:
        column, stop = column + 1, stop - 1
    return [Fragment(line=start.line, column=column, text=lines[start.line][column:stop])]


def _may_run_a_command(text: str) -> bool:
    """Whether source text can hold a call `_runs_a_command` accepts: it spells `os` or
    `subprocess` as a word, or it is not ASCII (an identifier is read in its NFKC form,
    which other letters may spell)."""
    if not text.isascii():
        return True
    # `\b(?:os|subprocess)\b` in one search, but a pattern that starts with `\b` makes the
    # regex engine try every character (2.2 ms a search of typing.py); one that starts with the
    # names jumps from one `o` or `s` to the next (0.6 ms)
    for match in _COMMAND_MODULE_END.finditer(text):
        start = match.start()
        if start == 0 or not _is_word_character(text[start - 1]):
            return True
    return False


def _is_word_character(character: str) -> bool:
    """Whether a regex word class (`\\w` of a str pattern) matches `character`."""
    return character.isalnum() or character == "_"


def _runs_a_command(function: ast.expr) -> bool:
    if not isinstance(function, ast.Attribute) or not isinstance(function.value, ast.Name):
        return False
    module, attribute = function.value.id, function.attr
    return (module == "subprocess" and attribute in _SUBPROCESS_FUNCTIONS) or (
        module == "os" and attribute in _OS_FUNCTIONS
    )


def _command_words(argument: ast.expr) -> list[str]:
    """The words of a command given as a list of literals (`sys.executable` reads as python)
    or as one shell string; empty when the command is not literal."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        try:
            return shlex.split(argument.value)
        except ValueError:
            return []
    if not isinstance(argument, ast.List | ast.Tuple):
        return []
    words = []
    for element in argument.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            words.append(element.value)
        elif ast.unparse(element) == "sys.executable":
            words.append("python")
        else:
            return []
    return words


def _literal_like(argument: ast.expr, command: str) -> str | None:
    """The uv command as the same kind of literal as the original argument."""
    words = shlex.split(command)
    if isinstance(argument, ast.Constant):
        if all(_SHELL_SAFE.match(word) for word in words):
            return json.dumps(command)
        return None
    items = ", ".join(json.dumps(word) for word in words)
    return f"({items},)" if isinstance(argument, ast.Tuple) else f"[{items}]"
