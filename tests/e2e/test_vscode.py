"""VS Code (code-server in headless Chromium, driven by the scripts in tests/e2e/vscode/) with
the extension installed from this clone's .vsix: the squiggle and the Problems entry, the quick
fix applied from the keyboard (Ctrl+.), the same in a Jupyter notebook's cell, fix-all on save, a settings change without restart, and
the error when no server can be found. Screenshots land in .artifacts/e2e/vscode-*/."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from tests.e2e.editors_harness import (
    E2E_DIR,
    EditorPaths,
    artifacts_dir,
    assert_fixed,
    case_named,
    isolated_home,
    require,
    require_rule,
    write_project,
)

CASE = "std201-extract-constant"
NEW_NAME = "FEE_RATE"
PROPOSED_NAME = "CALCULATE_FEE_RATE"
# STD201 is off in the prototype tier (design.md, rule catalogue).
TIER_WITHOUT_CASE_RULE = "prototype"
SCRIPTS = E2E_DIR / "vscode"
SERVER_NAME = "standards-lsp"
# What /etc/profile gives a login shell on Debian (the extension host's PATH comes from one).
LOGIN_SHELL_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
LOCALHOST = "127.0.0.1"
# Hang guards only; each wait ends as soon as its condition holds.
INSTALL_TIMEOUT_S = 120
STARTUP_TIMEOUT_S = 90
BROWSER_TIMEOUT_S = 240
STOP_TIMEOUT_S = 10
HEALTH_POLL_S = 0.2
HTTP_OK = 200
# Settings that keep a first start quiet: no welcome page, trust prompt or update checks that
# would cover the editor or reach for the network.
USER_SETTINGS = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "chat.disableAIFeatures": True,
    "editor.minimap.enabled": False,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "workbench.colorTheme": "Default Light Modern",
}


@dataclass(frozen=True)
class CodeServer:
    """How to run code-server here, and the folders one test's instance keeps its state in."""

    node: Path
    entry: Path
    user_data: Path
    extensions: Path
    env: dict[str, str]
    log: Path

    def command(self, *arguments: str) -> list[str]:
        return [
            str(self.node),
            str(self.entry),
            "--user-data-dir",
            str(self.user_data),
            "--extensions-dir",
            str(self.extensions),
            *arguments,
        ]


class QuickFixRun(BaseModel):
    """What quick_fix.cjs saw (written as JSON)."""

    squiggle_seen: bool
    problem_text: str | None
    action_titles: list[str]
    chosen_title: str | None
    problem_gone: bool
    squiggle_gone: bool
    saved_text: str | None
    error: str | None


class MissingServerRun(BaseModel):
    """What missing_server.cjs saw (written as JSON)."""

    notification: str | None
    setting_shown: str | None
    error: str | None


class FixOnSaveRun(BaseModel):
    """What fix_on_save.cjs saw (written as JSON)."""

    squiggle_seen: bool
    saved_text: str | None
    squiggle_gone: bool
    error: str | None


class RenameRun(BaseModel):
    """What rename_after_extract.cjs saw (written as JSON)."""

    action_titles: list[str]
    chosen_title: str | None
    proposed_name: str | None
    saved_text: str | None
    error: str | None


class NotebookRun(BaseModel):
    """What notebook.cjs saw (written as JSON)."""

    squiggle_seen: bool
    problem_text: str | None
    action_titles: list[str]
    chosen_title: str | None
    problem_gone: bool
    rename_box_opened: bool  # recorded only: see notebook.cjs
    saved_text: str | None
    error: str | None


class StatusRun(BaseModel):
    """What status_item.cjs saw (written as JSON)."""

    running_label: str | None
    output_text: str | None
    error_label: str | None
    notification: str | None
    error: str | None


class FolderSettingsRun(BaseModel):
    """What folder_settings.cjs saw (written as JSON)."""

    problems: str | None
    error: str | None


class SettingsChangeRun(BaseModel):
    """What settings_change.cjs saw (written as JSON)."""

    squiggle_seen: bool
    squiggle_gone: bool
    error: str | None


def make_code_server(editors: EditorPaths, tmp_path: Path) -> CodeServer:
    node = require(editors.node, "Node 24", editors)
    entry = require(editors.code_server, "code-server", editors)
    user_data = tmp_path / "code-server" / "user-data"
    (user_data / "User").mkdir(parents=True)
    (user_data / "User" / "settings.json").write_text(json.dumps(USER_SETTINGS))
    # code-server and its extension host need Node 24, the machine's node may be older. Folders
    # holding a standards-lsp (`uv run` puts the repo's .venv/bin first) are left out: each test
    # decides where the extension can find a server.
    inherited = os.environ.get("PATH", "").split(os.pathsep)
    kept = [folder for folder in inherited if not shutil.which(SERVER_NAME, path=folder)]
    path = os.pathsep.join([str(node.parent), *kept])
    return CodeServer(
        node=node,
        entry=entry,
        user_data=user_data,
        extensions=tmp_path / "code-server" / "extensions",
        # HOME too: the login shell that gives the extension host its PATH reads ~/.profile.
        env={**os.environ, **isolated_home(tmp_path), "HOME": str(tmp_path), "PATH": path},
        log=tmp_path / "code-server.log",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz") as response:  # noqa: S310 (local http)
            return response.status == HTTP_OK
    except (urllib.error.URLError, ConnectionError):
        return False


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"code-server did not start:\n{log.read_text()}")
        time.sleep(HEALTH_POLL_S)


def stop(process: subprocess.Popen[bytes]) -> None:
    # code-server forks its extension host and our server: end the whole process group.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=STOP_TIMEOUT_S)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running(code_server: CodeServer, workspace: Path) -> Generator[str]:
    """code-server on `workspace` (a folder, or a `.code-workspace` file: multi-root); yields
    the URL that opens it."""
    port = free_port()
    arguments = ["--auth", "none", "--bind-addr", f"{LOCALHOST}:{port}", "--disable-telemetry"]
    arguments += ["--disable-update-check", "--disable-workspace-trust", str(workspace)]
    with code_server.log.open("wb") as log:
        process = subprocess.Popen(
            code_server.command(*arguments),
            env=code_server.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{LOCALHOST}:{port}"
    try:
        wait_until_healthy(url, process, code_server.log)
        kind = "workspace" if workspace.suffix == ".code-workspace" else "folder"
        yield f"{url}/?{kind}={workspace}"
    finally:
        stop(process)


def code_server_with_extension(editors: EditorPaths, tmp_path: Path) -> CodeServer:
    """A code-server of this test's own, with the extension installed from the .vsix."""
    vsix = require(editors.vsix, "the .vsix (editors/vscode)", editors)
    code_server = make_code_server(editors, tmp_path)
    subprocess.run(
        code_server.command("--install-extension", str(vsix)),
        env=code_server.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=INSTALL_TIMEOUT_S,
        check=True,
    )
    return code_server


def drive_browser(editors: EditorPaths, script: str, arguments: list[str], scratch: Path) -> str:
    """Runs one scenario script of tests/e2e/vscode/; returns the JSON it recorded."""
    chromium = require(editors.chromium, "Chromium", editors)
    playwright = require(editors.playwright_dir, "playwright-core", editors)
    node = require(editors.node, "Node 24", editors)
    result_file = scratch / f"{script}.json"
    command = [str(node), str(SCRIPTS / f"{script}.cjs"), "--chromium", str(chromium)]
    command += [*arguments, "--result", str(result_file)]
    subprocess.run(
        command,
        env={**os.environ, "NODE_PATH": str(playwright)},
        stdin=subprocess.DEVNULL,
        timeout=BROWSER_TIMEOUT_S,
        check=True,
    )
    return result_file.read_text()


def failure_report(error: str | None, code_server: CodeServer) -> str:
    return f"{error}\n--- code-server log ---\n{code_server.log.read_text()}"


@pytest.mark.e2e
def test_vscode_quick_fix_from_keyboard(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file), "--code", case.code]
        arguments += ["--title-prefix", case.title_prefix]
        arguments += ["--artifacts", str(artifacts_dir(f"vscode-{case.name}"))]
        recorded = drive_browser(editors, "quick_fix", arguments, tmp_path)
    run = QuickFixRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.squiggle_seen
    assert run.problem_text is not None
    assert case.code in run.problem_text
    assert run.chosen_title is not None
    assert run.chosen_title.startswith(case.title_prefix)
    assert run.problem_gone
    assert run.squiggle_gone
    assert run.saved_text is not None
    assert_fixed(run.saved_text, case)


@pytest.mark.e2e
def test_vscode_reports_missing_server(editors: EditorPaths, tmp_path: Path) -> None:
    # The extension host takes PATH from a login shell; a server installed system-wide would be
    # found there, and this test is about none being found.
    if shutil.which(SERVER_NAME, path=LOGIN_SHELL_PATH):
        pytest.skip(f"{SERVER_NAME} is installed system-wide, so it cannot be missing")
    case = case_named(CASE)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case)

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file)]
        arguments += ["--artifacts", str(artifacts_dir("vscode-missing-server"))]
        recorded = drive_browser(editors, "missing_server", arguments, tmp_path)
    run = MissingServerRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.notification is not None
    assert "not found" in run.notification
    assert run.setting_shown == "standardsLsp.server.path"


@pytest.mark.e2e
def test_vscode_fix_all_on_save(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)
    workspace_settings = source_file.parent / ".vscode" / "settings.json"
    workspace_settings.parent.mkdir()
    workspace_settings.write_text(json.dumps({"standardsLsp.fixAllOnSave": True}))

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file)]
        arguments += ["--artifacts", str(artifacts_dir("vscode-fix-all-on-save"))]
        recorded = drive_browser(editors, "fix_on_save", arguments, tmp_path)
    run = FixOnSaveRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.squiggle_seen
    assert run.saved_text is not None
    assert_fixed(run.saved_text, case)
    assert run.squiggle_gone


@pytest.mark.e2e
def test_vscode_settings_change_without_restart(
    editors: EditorPaths, server: Path, tmp_path: Path
) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)
    new_settings = json.dumps({"standardsLsp.tier": TIER_WITHOUT_CASE_RULE})

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file), "--settings", new_settings]
        arguments += ["--artifacts", str(artifacts_dir("vscode-settings-change"))]
        recorded = drive_browser(editors, "settings_change", arguments, tmp_path)
    run = SettingsChangeRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.squiggle_seen
    assert run.squiggle_gone


@pytest.mark.e2e
def test_vscode_renames_after_extract(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file), "--new-name", NEW_NAME]
        arguments += ["--title-prefix", case.title_prefix]
        arguments += ["--artifacts", str(artifacts_dir("vscode-rename-after-extract"))]
        recorded = drive_browser(editors, "rename_after_extract", arguments, tmp_path)
    run = RenameRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.chosen_title is not None
    assert run.chosen_title.startswith(case.title_prefix)
    assert run.proposed_name == PROPOSED_NAME  # the rename box opened on the new constant
    assert case.expected is not None
    assert run.saved_text == case.expected.replace(PROPOSED_NAME, NEW_NAME)


def _notebook(*cells: tuple[str, str]) -> str:
    """An nbformat 4 notebook of (cell type, source) cells, as Jupyter writes it."""
    written = [
        {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
        | ({"execution_count": None, "outputs": []} if kind == "code" else {})
        for kind, source in cells
    ]
    document = {
        "cells": written,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


@pytest.mark.e2e
def test_vscode_notebook_cell_squiggle_and_quick_fix(
    editors: EditorPaths, server: Path, tmp_path: Path
) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)
    notebook = source_file.parent / "fees.ipynb"
    source_file.unlink()
    notebook.write_text(
        _notebook(
            ("markdown", "# Fees\n"),
            ("code", "import math\n"),
            ("code", "def fee(amount):\n    return math.floor(amount * 0.025)"),
        )
    )

    with running(code_server, notebook.parent) as url:
        arguments = ["--url", url, "--file", str(notebook), "--code", case.code]
        arguments += ["--title-prefix", case.title_prefix]
        arguments += ["--artifacts", str(artifacts_dir("vscode-notebook"))]
        recorded = drive_browser(editors, "notebook", arguments, tmp_path)
    run = NotebookRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.squiggle_seen
    assert run.problem_text is not None
    assert case.code in run.problem_text
    assert run.chosen_title is not None
    assert run.chosen_title.startswith(case.title_prefix)
    assert run.problem_gone
    assert run.saved_text is not None
    cells = ["".join(cell["source"]) for cell in json.loads(run.saved_text)["cells"]]
    # the constant went into the first code cell, the use stayed in its own
    assert cells[0] == "# Fees\n"
    assert cells[1].startswith("import math\n")
    assert f"{NEW_NAME} = 0.025" in cells[1]
    assert cells[2] == f"def fee(amount):\n    return math.floor(amount * {NEW_NAME})"


@pytest.mark.e2e
def test_vscode_status_item(editors: EditorPaths, server: Path, tmp_path: Path) -> None:
    case = case_named(CASE)
    code_server = code_server_with_extension(editors, tmp_path)
    source_file = write_project(tmp_path / "workspace", case, server)
    venv_server = source_file.parent / ".venv" / "bin" / SERVER_NAME

    with running(code_server, source_file.parent) as url:
        arguments = ["--url", url, "--file", str(source_file), "--server", str(venv_server)]
        arguments += ["--artifacts", str(artifacts_dir("vscode-status-item"))]
        recorded = drive_browser(editors, "status_item", arguments, tmp_path)
    run = StatusRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.running_label is not None
    assert "running" in run.running_label
    assert run.output_text is not None
    assert "found via workspace .venv" in run.output_text
    assert run.error_label is not None
    assert "stopped unexpectedly" in run.error_label
    assert run.notification is not None
    assert "stopped unexpectedly" in run.notification


@pytest.mark.e2e
def test_vscode_folder_setting_in_a_multi_root_workspace(
    editors: EditorPaths, server: Path, tmp_path: Path
) -> None:
    case = case_named(CASE)
    require_rule(server, case.code)
    code_server = code_server_with_extension(editors, tmp_path)
    user_settings = code_server.user_data / "User" / "settings.json"
    user_settings.write_text(
        json.dumps({**USER_SETTINGS, "standardsLsp.tier": TIER_WITHOUT_CASE_RULE})
    )
    strict_file = write_project(tmp_path / "strict", case, server)
    loose_file = write_project(tmp_path / "loose", case.model_copy(update={"file": "rates.py"}))
    folder_settings = strict_file.parent / ".vscode" / "settings.json"
    folder_settings.parent.mkdir()
    folder_settings.write_text(json.dumps({"standardsLsp.tier": "production"}))
    workspace = tmp_path / "both.code-workspace"
    folders = [{"path": str(strict_file.parent)}, {"path": str(loose_file.parent)}]
    workspace.write_text(json.dumps({"folders": folders}))

    with running(code_server, workspace) as url:
        arguments = ["--url", url, "--strict", str(strict_file), "--loose", str(loose_file)]
        arguments += ["--code", case.code]
        arguments += ["--artifacts", str(artifacts_dir("vscode-folder-settings"))]
        recorded = drive_browser(editors, "folder_settings", arguments, tmp_path)
    run = FolderSettingsRun.model_validate_json(recorded)

    assert run.error is None, failure_report(run.error, code_server)
    assert run.problems is not None
    assert case.code in run.problems
    assert strict_file.name in run.problems
    assert loose_file.name not in run.problems
