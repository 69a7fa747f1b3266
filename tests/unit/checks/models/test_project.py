"""The conversion across a project on disk: an identical model of another module is reused
(imported), and the new import goes where the project's ruff isort settings put it."""

from __future__ import annotations

from pathlib import Path

from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.rule import FixRequest
from tests.support.models import settings
from tests.support.projects import write_files

POINT_MODEL = (
    "from pydantic import BaseModel\n\n\nclass Point(BaseModel):\n    x: int\n    y: int\n"
)
ORIGIN = 'def origin():\n    return {"x": 0, "y": 0}\n'
ENGINE = Engine()


def _converted(root: Path, relative: str) -> str:
    """The module at `relative` after the fix of its first fixable finding."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    source = SourceFile(text=text, settings=settings(), path=str(path), project_root=str(root))
    finding = next(found for found in ENGINE.check(source).findings if found.fix)
    request = FixRequest(
        text=text, finding=finding, settings=settings(), path=str(path), project_root=str(root)
    )
    fix = ENGINE.resolve_fix(request)
    assert fix is not None and fix.edits, fix
    return apply_edits(text, fix.edits)


def test_an_identical_model_of_another_module_is_imported(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {"app/__init__.py": "", "app/shapes.py": POINT_MODEL, "app/geometry.py": ORIGIN},
    )
    fixed = _converted(root, "app/geometry.py")
    assert fixed == (
        "from app.shapes import Point\n\n\ndef origin() -> Point:\n    return Point(x=0, y=0)\n"
    )


def test_a_model_of_another_shape_is_not_reused(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/shapes.py": POINT_MODEL.replace("y: int", "y: float"),
            "app/geometry.py": ORIGIN,
        },
    )
    fixed = _converted(root, "app/geometry.py")
    assert "(BaseModel):" in fixed
    assert "app.shapes" not in fixed


MIXED_IMPORTS = (
    "import json\n"
    "from collections import OrderedDict\n"
    "import re\n"
    "\n"
    "import pytz\n"
    "from requests import get\n"
    "import yaml\n"
    "\n"
    "import corelib\n"
    "\n"
    "\n"
    "def build(x: int):\n"
    '    return {"x": x, "ok": json, "re": re, "z": (OrderedDict, pytz, get, yaml, corelib)}\n'
)


def test_known_first_party_and_force_sort_within_sections_place_the_import(
    tmp_path: Path,
) -> None:
    """`corelib` is first-party only by `known-first-party`; with `force-sort-within-sections`
    `from pydantic import ...` sorts by module among `import pytz` and `import yaml`."""
    pyproject = (
        '[project]\nname = "app"\nversion = "0"\ndependencies = ["pydantic"]\n\n'
        "[tool.ruff.lint.isort]\n"
        'known-first-party = ["corelib"]\n'
        "force-sort-within-sections = true\n"
    )
    root = write_files(tmp_path, {"pyproject.toml": pyproject, "app/build.py": MIXED_IMPORTS})
    fixed = _converted(root, "app/build.py")
    assert fixed.startswith(
        "import json\n"
        "from collections import OrderedDict\n"
        "import re\n"
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "import pytz\n"
        "from requests import get\n"
        "import yaml\n"
        "\n"
        "import corelib\n"
        "\n"
        "\n"
    ), fixed


def test_without_the_settings_plain_imports_come_first(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "app"\nversion = "0"\ndependencies = ["pydantic"]\n'
    text = (
        MIXED_IMPORTS.replace("import corelib\n\n", "")
        .replace(", corelib", "")
        .replace(
            "import pytz\nfrom requests import get\nimport yaml\n",
            "import pytz\nimport yaml\nfrom requests import get\n",
        )
    )
    root = write_files(tmp_path, {"pyproject.toml": pyproject, "app/build.py": text})
    fixed = _converted(root, "app/build.py")
    placed = "import pytz\nimport yaml\nfrom pydantic import BaseModel\nfrom requests import get\n"
    assert placed in fixed, fixed
