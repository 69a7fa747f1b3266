"""What the editor clients must cover: every file pattern the server handles, a sample file for
each, and what the clients declare (the VS Code document selector, the Neovim file types)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

from rules.registry import default_registry
from server.workspace import WATCHED_FILES
from tests.support.paths import REPOSITORY

VSCODE_EXTENSION = REPOSITORY / "editors" / "vscode" / "src" / "extension.ts"
NEOVIM_DIRECTORY = REPOSITORY / "editors" / "nvim"
NEOVIM_CONFIG = NEOVIM_DIRECTORY / "lsp" / "standards_lsp.lua"

# One file, by its path in a project, for each pattern the server handles.
SAMPLES = {
    "*.py": "src/app/main.py",
    "pyproject.toml": "pyproject.toml",
    "standards.toml": "standards.toml",
    ".python-version": ".python-version",
    "requirements*.txt": "requirements-dev.txt",
    "Pipfile": "Pipfile",
    "Pipfile.lock": "Pipfile.lock",
    "poetry.lock": "poetry.lock",
    "environment.yml": "environment.yml",
    "environment.yaml": "environment.yaml",
    "mypy.ini": "mypy.ini",
    ".mypy.ini": ".mypy.ini",
    "pyrightconfig.json": "pyrightconfig.json",
    ".flake8": ".flake8",
    ".pylintrc": ".pylintrc",
    "pylintrc": "pylintrc",
    ".isort.cfg": ".isort.cfg",
    "setup.cfg": "setup.cfg",
    "tox.ini": "tox.ini",
    "Dockerfile": "Dockerfile",
    "Dockerfile.*": "Dockerfile.dev",
    "*.Dockerfile": "api.Dockerfile",
    "*.dockerfile": "api.dockerfile",
    "Containerfile": "Containerfile",
    ".github/workflows/*.yml": ".github/workflows/ci.yml",
    ".github/workflows/*.yaml": ".github/workflows/release.yaml",
    "*.sh": "scripts/setup.sh",
    "*.bash": "scripts/setup.bash",
    "Makefile": "Makefile",
    "makefile": "sub/makefile",
    "GNUmakefile": "GNUmakefile",
    "*.mk": "build/rules.mk",
    "template.yaml": "template.yaml",
    "template.yml": "infra/template.yml",
    "serverless.yml": "serverless.yml",
    "serverless.yaml": "svc/serverless.yaml",
}

# The file type Neovim 0.11 gives each sample, with editors/nvim on 'runtimepath' (its
# ftdetect/ adds the ones Neovim leaves undetected). Recorded here so the unit test needs no
# Neovim; tests/e2e/test_neovim_filetypes.py checks it against a real Neovim.
NEOVIM_FILETYPES = {
    "src/app/main.py": "python",
    "pyproject.toml": "toml",
    "standards.toml": "toml",
    ".python-version": "python_version",
    "requirements-dev.txt": "requirements",
    "Pipfile": "toml",
    "Pipfile.lock": "json",
    "poetry.lock": "toml",
    "environment.yml": "yaml",
    "environment.yaml": "yaml",
    "mypy.ini": "dosini",
    ".mypy.ini": "dosini",
    "pyrightconfig.json": "json",
    ".flake8": "dosini",
    ".pylintrc": "dosini",
    "pylintrc": "dosini",
    ".isort.cfg": "cfg",
    "setup.cfg": "dosini",
    "tox.ini": "dosini",
    "Dockerfile": "dockerfile",
    "Dockerfile.dev": "dockerfile",
    "api.Dockerfile": "dockerfile",
    "api.dockerfile": "dockerfile",
    "Containerfile": "dockerfile",
    ".github/workflows/ci.yml": "yaml",
    ".github/workflows/release.yaml": "yaml",
    "scripts/setup.sh": "sh",
    "scripts/setup.bash": "sh",
    "Makefile": "make",
    "sub/makefile": "make",
    "GNUmakefile": "make",
    "build/rules.mk": "make",
    "template.yaml": "yaml",
    "infra/template.yml": "yaml",
    "serverless.yml": "yaml",
    "svc/serverless.yaml": "yaml",
}


def server_patterns() -> set[str]:
    """Every file pattern the server handles: the file rules' and the watched files."""
    patterns = {pattern for rule in default_registry().file_rules for pattern in rule.patterns}
    return patterns | set(WATCHED_FILES)


def matches_server_pattern(sample: str, pattern: str) -> bool:
    """Whether the server's matching (`FileRule.applies_to`: the name, or the path's tail) takes
    `sample` for `pattern`."""
    path = PurePosixPath(sample)
    return fnmatch.fnmatchcase(path.name, pattern) or path.match(pattern)


def vscode_patterns() -> list[str]:
    """The glob patterns of the extension's document selector (`FILE_PATTERNS`)."""
    source = VSCODE_EXTENSION.read_text(encoding="utf-8")
    block = re.search(r"const FILE_PATTERNS = \[(.*?)\];", source, re.DOTALL)
    assert block, "no FILE_PATTERNS list in extension.ts"
    without_comments = re.sub(r"//[^\n]*", "", block.group(1))
    return re.findall(r"'([^']+)'", without_comments)


def vscode_selects_python() -> bool:
    """Whether the selector takes Python documents by language (saved and unsaved)."""
    source = VSCODE_EXTENSION.read_text(encoding="utf-8")
    return all(
        f"{{ scheme: '{scheme}', language: 'python' }}" in source for scheme in ("file", "untitled")
    )


def glob_matches(pattern: str, path: str) -> bool:
    """VS Code's glob semantics for the patterns the selector uses: `**/` any folders (or none),
    `*` and `?` within one path segment, everything else literal (case-sensitive)."""
    expression = ""
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            expression, index = expression + "(?:.*/)?", index + len("**/")
        elif pattern[index] == "*":
            expression, index = expression + "[^/]*", index + 1
        elif pattern[index] == "?":
            expression, index = expression + "[^/]", index + 1
        else:
            expression, index = expression + re.escape(pattern[index]), index + 1
    return re.fullmatch(expression, path) is not None


def neovim_filetypes() -> list[str]:
    """The `filetypes` of the Neovim client configuration."""
    source = NEOVIM_CONFIG.read_text(encoding="utf-8")
    block = re.search(r"^\s*filetypes = \{(.*?)\}", source, re.DOTALL | re.MULTILINE)
    assert block, "no filetypes list in lsp/standards_lsp.lua"
    return re.findall(r'"([^"]+)"', block.group(1))
