"""STD601: a `.py` file or package folder whose name is not snake_case, offered as a rename."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath, PurePosixPath

from rules.models import (
    FileOperation,
    Finding,
    Fix,
    Position,
    Range,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TierSeverities,
)
from rules.registry import register
from rules.rule import FileContext, FileRule

SNAKE_CASE = re.compile(r"^[a-z_][a-z0-9_]*$")
PACKAGE_MARKER = "__init__.py"
# Directories whose files are generated or named by a tool's convention (numbered migrations).
GENERATED_DIRECTORIES = frozenset({"migrations", "versions", "alembic", "node_modules"})
GENERATED_SUFFIXES = ("_pb2.py", "_pb2_grpc.py", "_pb2.pyi")
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
START_OF_FILE = Range(start=Position(line=0, character=0), end=Position(line=0, character=0))
STD601 = "STD601"
VALUE_1 = "VALUE = 1\n"


def snake_case(name: str) -> str:
    """`MyModule` -> `my_module`, `my-script` -> `my_script` (a leading digit gets a `_`)."""
    words = _WORD_BOUNDARY.sub("_", name).lower()
    snake = _NOT_WORD.sub("_", words).strip("_") or "module"
    return f"_{snake}" if snake[0].isdigit() else snake


def _relative_parts(path: str, root: str | None) -> tuple[str, ...]:
    """The path's parts below the project root (all of them when it is elsewhere)."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if root is not None:
        try:
            return posix.relative_to(PurePosixPath(root.replace("\\", "/"))).parts
        except ValueError:
            pass
    return posix.parts


def is_generated(parts: tuple[str, ...]) -> bool:
    """Whether a path lies where tools generate or number their files."""
    return any(part in GENERATED_DIRECTORIES for part in parts[:-1]) or parts[-1].endswith(
        GENERATED_SUFFIXES
    )


@register
class SnakeCaseNames(FileRule):
    code = STD601
    name = "snake-case-names"
    summary = "A .py file or package folder name that is not snake_case"
    severities = TierSeverities(production=Severity.ERROR, internal=Severity.ERROR, prototype=None)
    patterns = ("*.py",)
    fix_title = "Rename to snake_case"
    doc = RuleDoc(
        what=(
            "Flags a `.py` file whose name is not snake_case (`MyModule.py`, `my-script.py`), and "
            "a package folder whose name is not (reported on its `__init__.py`). Migrations "
            "(`migrations/`, `alembic/versions/`) and generated protobuf modules are excepted. "
            "The fix renames the file or folder (unsafe: imports of the old name must follow)."
        ),
        why=(
            "PEP 8 names modules and packages in lowercase with underscores, and the production "
            "and internal rulesets enforce it. Other names cannot be imported (`my-script`) or "
            "break on case-insensitive file systems (`MyModule` vs `mymodule`)."
        ),
        bad=[
            RuleExample(source=VALUE_1, path="DataLoader.py", expected_codes=[STD601]),
            RuleExample(source="", path="My-Package/__init__.py", expected_codes=[STD601]),
        ],
        good=[
            RuleExample(source=VALUE_1, path="data_loader.py"),
            RuleExample(source="", path="migrations/0001_Initial.py"),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.path is None:
            return
        path = PurePath(context.path)
        if is_generated(_relative_parts(context.path, context.project_root)):
            return
        stem = path.name.removesuffix(".py")
        if path.name == PACKAGE_MARKER:
            folder = path.parent.name
            if folder and not SNAKE_CASE.match(folder):
                yield self._rename(
                    f"package folder `{folder}` is not snake_case",
                    str(path.parent),
                    str(path.parent.with_name(snake_case(folder))),
                )
            return
        if stem.startswith("__") and stem.endswith("__"):
            return  # __main__, __about__ and friends are Python's own names
        if not SNAKE_CASE.match(stem):
            yield self._rename(
                f"module name `{path.name}` is not snake_case",
                str(path),
                str(path.with_name(f"{snake_case(stem)}.py")),
            )

    def _rename(self, message: str, old: str, new: str) -> Finding:
        fix = Fix(
            title=f"Rename to {PurePath(new).name}",
            safety=Safety.UNSAFE,
            edits=[],
            file_operations=[FileOperation(kind="rename", path=old, new_path=new)],
            description="Imports of the old name are not updated.",
        )
        finding = self.finding(
            f"{message}: rename it to `{PurePath(new).name}`", START_OF_FILE, fix
        )
        finding.data.update({"old_path": old, "new_path": new})
        return finding
