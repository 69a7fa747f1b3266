"""The built distribution adds one import name, `standards_lsp`: installed into an application
that has its own `server` and `rules` packages, both the application and `standards-lsp check`
work (hatch_build.py rewrites the packaged imports)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from hatch_build import rewrite_imports

ROOT = Path(__file__).resolve().parents[2]
FINDINGS_EXIT = 1
APPLICATION_FILES = {
    "server/__init__.py": 'WHO = "the application\'s server"\n',
    "rules/__init__.py": 'WHO = "the application\'s rules"\n',
    "main.py": "import rules\nimport server\n\nprint(server.WHO, rules.WHO)\n",
    "standards.toml": '[standards]\nruleset = "python-production"\n',
    "fees.py": "def fee(amount: int) -> int:\n    return int(amount * 0.025)\n",
}

pytestmark = pytest.mark.skipif(
    not os.environ.get("UV"), reason="building the distribution needs uv (run under `uv run`)"
)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    environment.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=environment, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist of this checkout, built as a user's installer would."""
    out = tmp_path_factory.mktemp("dist")
    uv = os.environ["UV"]
    result = _run([uv, "build", "--out-dir", str(out), str(ROOT)], ROOT)
    assert result.returncode == 0, result.stderr
    return out


def _wheel(built: Path) -> Path:
    return next(built.glob("*.whl"))


def test_the_wheel_holds_one_top_level_package(built: Path) -> None:
    with zipfile.ZipFile(_wheel(built)) as wheel:
        names = wheel.namelist()
        init = wheel.read("standards_lsp/server/cli/main.py").decode()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"standards_lsp"}
    assert "standards_lsp/rules/checks/constants/std201_magic_number.py" in names
    assert "\nfrom rules." not in init
    assert "from standards_lsp.rules." in init


def test_the_sdist_carries_the_sources_and_the_build_hook(built: Path) -> None:
    sdist = next(built.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {
        "hatch_build.py",
        "rules/engine.py",
        "server/app.py",
        "standards_lsp/__init__.py",
    } <= names


def test_installed_beside_an_application_with_its_own_server_and_rules(
    built: Path, tmp_path: Path
) -> None:
    application = tmp_path / "app"
    for relative, text in APPLICATION_FILES.items():
        path = application / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    uv = os.environ["UV"]
    venv = tmp_path / "venv"
    assert _run([uv, "venv", "--python", sys.executable, str(venv)], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    installed = _run([uv, "pip", "install", "--python", str(python), str(_wheel(built))], tmp_path)
    assert installed.returncode == 0, installed.stderr

    own = _run([str(python), "main.py"], application)
    assert own.stdout.strip() == "the application's server the application's rules", own.stderr

    check = _run([str(venv / "bin" / "standards-lsp"), "check", "fees.py"], application)
    assert check.returncode == FINDINGS_EXIT, check.stderr
    assert "fees.py:2:" in check.stdout
    assert "STD201" in check.stdout

    outside = _run([str(python), "-c", "import server"], tmp_path)
    assert outside.returncode != 0
    assert "No module named 'server'" in outside.stderr


def test_the_rewrite_moves_every_form_of_first_party_import() -> None:
    source = (
        "import rules\n"
        "from rules.engine import Engine\n"
        "from server import app\n"
        "def f():\n"
        "    from server.cli.main import main\n"
        "import rulesets\n"
        "from serverless import x\n"
    )
    assert rewrite_imports(source) == (
        "from standards_lsp import rules\n"
        "from standards_lsp.rules.engine import Engine\n"
        "from standards_lsp.server import app\n"
        "def f():\n"
        "    from standards_lsp.server.cli.main import main\n"
        "import rulesets\n"
        "from serverless import x\n"
    )


def test_the_rewrite_refuses_an_import_it_cannot_keep_bound() -> None:
    with pytest.raises(ValueError, match=r"import rules\.x"):
        rewrite_imports("import rules.engine\n", "m.py")
