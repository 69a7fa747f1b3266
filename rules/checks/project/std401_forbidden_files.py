"""STD401: a forbidden dependency file (requirements*.txt, Pipfile, Pipfile.lock, poetry.lock,
environment.yml): uv's pyproject.toml and uv.lock are the only dependency files."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import PurePosixPath

from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import (
    PROJECT_TABLE,
    PYPROJECT,
    directory_entries,
    file_directory,
    first_line_range,
    header_range,
    parse_toml,
)
from rules.registry import register
from rules.rule import FileContext, FileRule

FORBIDDEN_PATTERNS = (
    "requirements*.txt",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "environment.yml",
    "environment.yaml",
)
ADVICE = "declare dependencies in pyproject.toml and lock them in uv.lock (`uv add`, `uv lock`)"
STD401 = "STD401"
PROJECT_NAME_SVC = '[project]\nname = "svc"\n'


def is_forbidden(name: str) -> bool:
    """Whether a file name is one of the forbidden dependency files."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in FORBIDDEN_PATTERNS)


@register
class ForbiddenDependencyFile(FileRule):
    code = STD401
    name = "forbidden-dependency-file"
    summary = "A requirements.txt, Pipfile, poetry.lock or environment.yml: uv is the only manager"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.ERROR
    )
    patterns = (*FORBIDDEN_PATTERNS, PYPROJECT)
    doc = RuleDoc(
        what=(
            "Flags `requirements*.txt`, `Pipfile`, `Pipfile.lock`, `poetry.lock` and "
            "`environment.yml` files: on the file itself when it is open, and on the `[project]` "
            "table of the `pyproject.toml` beside them (so the file is reported even when nobody "
            "opens it)."
        ),
        why=(
            "uv is the only permitted package manager: `pyproject.toml` declares the "
            "dependencies and `uv.lock` pins them. A second dependency file drifts from them and "
            "tells readers (and CI) to install the project another way."
        ),
        bad=[
            RuleExample(
                source="requests==2.32.3\n",
                path="requirements.txt",
                expected_codes=[STD401],
            ),
            RuleExample(
                source=PROJECT_NAME_SVC,
                path=f"service/{PYPROJECT}",
                files={"requirements-dev.txt": "pytest\n"},
                expected_codes=[STD401],
            ),
        ],
        good=[
            RuleExample(
                source=PROJECT_NAME_SVC,
                path=f"service/{PYPROJECT}",
                files={"uv.lock": "version = 1\n"},
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        name = PurePosixPath((context.path or "").replace("\\", "/")).name
        if is_forbidden(name):
            yield self.finding(f"`{name}` is not allowed: {ADVICE}", first_line_range(context.text))
            return
        if name != PYPROJECT or context.text is None:
            return
        directory = file_directory(context.path)
        if directory is None or parse_toml(context.text) is None:
            return
        where = header_range(context.text, PROJECT_TABLE)
        for entry in directory_entries(directory):
            if is_forbidden(entry):
                finding = self.finding(
                    f"`{entry}` beside this project is not allowed: {ADVICE}", where
                )
                finding.data["file"] = entry
                yield finding
