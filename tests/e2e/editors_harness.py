"""What the e2e tests share: the editors installed by editors/install-editors.sh, the server
under test, the quick-fix cases, and the rule for a missing editor (skip here, fail in CI)."""

from __future__ import annotations

import functools
import os
import shlex
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from pydantic import BaseModel, Field

REPO_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = REPO_ROOT / ".artifacts" / "e2e"
INSTALL_HINT = "run `bash editors/install-editors.sh`"
# Where install-editors.sh leaves this clone's own build of the extension.
OWN_VSIX = REPO_ROOT / "editors" / "vscode" / "standards-lsp.vsix"
PROJECT_STANDARDS = '[standards]\nruleset = "python-production"\n'
# A hang guard for `standards-lsp explain`, which answers at once.
EXPLAIN_TIMEOUT_S = 60


class FixCase(BaseModel):
    """One quick fix to apply in an editor (see cases.toml)."""

    name: str
    code: str
    title_prefix: str
    file: str
    source: str
    expected: str | None = None
    expected_fragments: list[str] = Field(default_factory=list)


class _Cases(BaseModel):
    case: list[FixCase]


@dataclass(frozen=True)
class EditorPaths:
    """Where install-editors.sh put each editor; None when it is not installed here."""

    env_file: Path
    nvim: Path | None
    node: Path | None
    code_server: Path | None
    chromium: Path | None
    playwright_dir: Path | None
    vsix: Path | None


def e2e_required() -> bool:
    """CI sets both, so that an editor missing there fails the run instead of skipping."""
    return os.environ.get("CI") == "true" and os.environ.get("STANDARDS_LSP_REQUIRE_E2E") == "1"


def unavailable(reason: str) -> NoReturn:
    if e2e_required():
        pytest.fail(
            f"{reason} (required in CI: CI=true, STANDARDS_LSP_REQUIRE_E2E=1)", pytrace=False
        )
    pytest.skip(reason)


def env_file_path() -> Path:
    if explicit := os.environ.get("STANDARDS_LSP_EDITORS_ENV"):
        return Path(explicit)
    if cache := os.environ.get("STANDARDS_LSP_EDITORS_CACHE"):
        return Path(cache) / "env.sh"
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "standards-lsp-editors" / "env.sh"


def _read_exports(env_file: Path) -> dict[str, str]:
    exports: dict[str, str] = {}
    if not env_file.is_file():
        return exports
    for line in env_file.read_text().splitlines():
        name, _, quoted = line.removeprefix("export ").partition("=")
        if line.startswith("export ") and quoted:
            exports[name] = shlex.split(quoted)[0]
    return exports


def load_editor_paths() -> EditorPaths:
    """The env file's paths, each overridable by the variable of the same name; the .vsix is
    this clone's own build (editors/vscode/standards-lsp.vsix) unless STANDARDS_LSP_VSIX is set."""
    env_file = env_file_path()
    exports = _read_exports(env_file)

    def existing(name: str) -> Path | None:
        value = os.environ.get(name) or exports.get(name)
        return Path(value) if value and Path(value).exists() else None

    # The env file is shared by every clone on the machine; its .vsix is the last one built.
    # This clone's own build is the one to test, unless a variable names another.
    own_vsix = OWN_VSIX if OWN_VSIX.is_file() else None
    explicit_vsix = os.environ.get("STANDARDS_LSP_VSIX")

    return EditorPaths(
        env_file=env_file,
        nvim=existing("STANDARDS_LSP_NVIM"),
        node=existing("STANDARDS_LSP_NODE"),
        code_server=existing("STANDARDS_LSP_CODE_SERVER"),
        chromium=existing("STANDARDS_LSP_CHROMIUM"),
        playwright_dir=existing("STANDARDS_LSP_PLAYWRIGHT_DIR"),
        vsix=existing("STANDARDS_LSP_VSIX") if explicit_vsix else own_vsix,
    )


def require(path: Path | None, what: str, paths: EditorPaths) -> Path:
    if path is None:
        unavailable(f"{what} is not installed (no usable path in {paths.env_file}): {INSTALL_HINT}")
    return path


def server_executable() -> Path:
    """The server of the repository under test (STANDARDS_LSP_SERVER overrides it)."""
    configured = os.environ.get("STANDARDS_LSP_SERVER")
    server = Path(configured) if configured else REPO_ROOT / ".venv" / "bin" / "standards-lsp"
    if not os.access(server, os.X_OK):
        unavailable(f"no standards-lsp server at {server}: run `uv sync`")
    return server


@functools.cache
def rule_implemented(server: Path, code: str) -> bool:
    """Whether the server knows the rule (`standards-lsp explain CODE` exits 0)."""
    explain = subprocess.run(
        [str(server), "explain", code],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=EXPLAIN_TIMEOUT_S,
        check=False,
    )
    return explain.returncode == 0


def require_rule(server: Path, code: str) -> None:
    """Fail when the server under test does not know the rule the editor test drives."""
    if not rule_implemented(server, code):
        pytest.fail(f"{code} is not implemented by {server}")


def load_cases() -> list[FixCase]:
    with (E2E_DIR / "cases.toml").open("rb") as handle:
        return _Cases.model_validate(tomllib.load(handle)).case


def case_named(name: str) -> FixCase:
    return next(case for case in load_cases() if case.name == name)


def write_project(root: Path, case: FixCase, server: Path | None = None) -> Path:
    """A production-tier project holding the case's file; returns that file. With `server`, the
    project also gets it as `.venv/bin/standards-lsp`, where both editor setups look first."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "standards.toml").write_text(PROJECT_STANDARDS)
    source_file = root / case.file
    source_file.write_text(case.source)
    if server is not None:
        venv_bin = root / ".venv" / "bin"
        venv_bin.mkdir(parents=True)
        (venv_bin / "standards-lsp").symlink_to(server)
    return source_file


def assert_fixed(text: str, case: FixCase) -> None:
    if case.expected is not None:
        assert text == case.expected
    for fragment in case.expected_fragments:
        assert fragment in text, f"{fragment!r} not in the fixed file:\n{text}"


def isolated_home(tmp_path: Path) -> dict[str, str]:
    """XDG folders in the test's tmp dir, so no user configuration or state leaks in or out."""
    xdg = tmp_path / "xdg"
    folders = {
        "XDG_CONFIG_HOME": xdg / "config",
        "XDG_DATA_HOME": xdg / "data",
        "XDG_STATE_HOME": xdg / "state",
        "XDG_CACHE_HOME": xdg / "cache",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


def artifacts_dir(test_name: str) -> Path:
    folder = ARTIFACTS_DIR / test_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
