"""STD404: `uv.lock` missing beside pyproject.toml (for a uv workspace member: at the root)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import (
    PROJECT_TABLE,
    PYPROJECT,
    UV_LOCK,
    file_directory,
    file_exists,
    header_range,
    parse_toml,
    table,
    workspace_root,
)
from rules.registry import register
from rules.rule import FileContext, FileRule

STD404 = "STD404"
PROJECT_NAME_SVC_REQUIRES_MESSAGE = '[project]\nname = "svc"\nrequires-python = ">=3.12"\n'
VERSION_1 = "version = 1\n"
TOOL = "tool"


@register
class MissingUvLock(FileRule):
    code = STD404
    name = "missing-uv-lock"
    summary = "No uv.lock beside pyproject.toml (or at the uv workspace root)"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = (PYPROJECT,)
    doc = RuleDoc(
        what=(
            "Flags a `pyproject.toml` with a `[project]` table (or a `[tool.uv.workspace]`) that "
            "has no `uv.lock` beside it. A member of a uv workspace is locked at the workspace "
            "root, so there the lock is looked for in the root's directory. Reported on the "
            "`[project]` header."
        ),
        why=(
            "The standard requires committing both `pyproject.toml` and `uv.lock`: without the "
            "lock, every install resolves afresh and CI, images and laptops drift apart. Run "
            "`uv lock` and commit the file."
        ),
        bad=[
            RuleExample(
                source=PROJECT_NAME_SVC_REQUIRES_MESSAGE,
                path=f"service/{PYPROJECT}",
                expected_codes=[STD404],
            ),
        ],
        good=[
            RuleExample(
                source=PROJECT_NAME_SVC_REQUIRES_MESSAGE,
                path=f"service/{PYPROJECT}",
                files={UV_LOCK: VERSION_1},
            ),
            RuleExample(
                source='[project]\nname = "member"\nrequires-python = ">=3.12"\n',
                path=f"service/packages/member/{PYPROJECT}",
                files={
                    f"../../{PYPROJECT}": (
                        '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n'
                    ),
                    f"../../{UV_LOCK}": VERSION_1,
                },
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        data = parse_toml(context.text)
        directory = file_directory(context.path)
        if context.text is None or data is None or directory is None:
            return
        if table(data, PROJECT_TABLE) is None and table(data, TOOL, "uv", "workspace") is None:
            return
        if (table(data, TOOL, "uv") or {}).get("managed") is False:
            return  # uv told not to manage this project: nothing is ever locked here
        workspace = workspace_root(directory)
        root = Path(workspace.root) if workspace is not None else directory
        if file_exists(root / UV_LOCK):
            return
        where = "beside this pyproject.toml" if root == directory else "at the uv workspace root"
        finding = self.finding(
            f"no {UV_LOCK} {where}: run `uv lock` and commit it",
            header_range(context.text, PROJECT_TABLE),
        )
        finding.data["root"] = str(root)
        yield finding
