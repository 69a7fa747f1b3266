"""The conversion across a project on disk: an identical model of another module is reused
(imported), and the new import goes where the project's ruff isort settings put it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rules.fixes import apply_edits
from rules.models import Fix
from tests.support.models import project_fixes
from tests.support.projects import write_files

POINT_MODEL = (
    "from pydantic import BaseModel\n\n\nclass Point(BaseModel):\n    x: int\n    y: int\n"
)
ORIGIN = 'def origin():\n    return {"x": 0, "y": 0}\n'


def _first_fix(root: Path, relative: str) -> tuple[str, Fix]:
    """The text of the module at `relative` and the fix of its first fixable finding."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    fix = next(fix for finding, fix in project_fixes(root, path, text) if finding.fix)
    assert fix is not None and fix.edits, fix
    return text, fix


def _converted(root: Path, relative: str) -> str:
    """The module at `relative` after the fix of its first fixable finding."""
    text, fix = _first_fix(root, relative)
    return apply_edits(text, fix.edits or [])


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


NODES = (
    "def leaf(value: int):\n"
    '    return {"type": "leaf", "value": value, "children": []}\n'
    "\n\n"
    "def pair(left, right):\n"
    '    return {"type": "pair", "value": None, "children": [left, right]}\n'
)
PARSER = (
    "from app.nodes import leaf, pair\n"
    "\n\n"
    "def parse(text):\n"
    '    first, second = text.split("+")\n'
    "    return pair(leaf(int(first)), leaf(int(second)))\n"
    "\n\n"
    "def evaluate(node):\n"
    '    if node["type"] == "leaf":\n'
    '        return node["value"]\n'
    '    return sum(evaluate(child) for child in node["children"])\n'
)
RUN_NODES = 'from app.parser import evaluate, parse\n\nprint(evaluate(parse("2+3")))\n'
RUN_TIMEOUT = 60


def _refusals(root: Path, relative: str) -> list[str]:
    """Every refusal the fixes of the module's findings give."""
    path = root / relative
    reasons = []
    for _finding, fix in project_fixes(root, path, path.read_text(encoding="utf-8")):
        assert fix is not None
        assert not fix.edits
        reasons.append(fix.refused or "")
    return reasons


def test_a_result_every_caller_passes_on_as_a_dict_is_not_converted(tmp_path: Path) -> None:
    """jmespath's node builders: the parser returns and nests the nodes, a visitor reads them
    by key. Converting would only wrap every call in `.model_dump()` (and make parsing twice as
    slow), so it is refused with the first place the dict is passed on; the program is
    untouched and runs as before."""
    root = write_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/nodes.py": NODES,
            "app/parser.py": PARSER,
            "run.py": RUN_NODES,
        },
    )
    reasons = _refusals(root, "app/nodes.py")
    assert len(reasons) == 2  # leaf and pair
    assert reasons[0] == (
        "no caller reads the result of `leaf` as a model: it is passed on as a dict "
        "(app/parser.py:6 and 1 more), so each call would only be dumped back: "
        "convert its readers first"
    )
    done = subprocess.run(
        [sys.executable, "run.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=True,
    )
    assert done.stdout == "5\n"


def test_a_result_one_caller_reads_by_key_is_converted(tmp_path: Path) -> None:
    """The same builder with one caller reading `["value"]`: that read becomes `.value`, and
    the other caller, which passes the node on, dumps it."""
    parser = PARSER + '\n\ndef first_value(text):\n    return leaf(int(text))["value"]\n'
    root = write_files(
        tmp_path, {"app/__init__.py": "", "app/nodes.py": NODES, "app/parser.py": parser}
    )
    fixed = _converted(root, "app/nodes.py")
    assert "def leaf(value: int) -> LeafResult:" in fixed


AUTH = (
    "class TokenAuth:\n"
    "    def refresh(self, reply: str) -> None:\n"
    '        self._store({"access_token": reply, "expires_in": 60.0})\n'
    "\n"
    "    def _store(self, token_data: dict) -> None:\n"
    '        self.token = token_data["access_token"]\n'
    '        self.lifetime = token_data["expires_in"]\n'
)
SUBCLASS = (
    "from app.auth import TokenAuth\n"
    "\n\n"
    "class Certificate(TokenAuth):\n"
    "    def exchange(self, token_data: object) -> None:\n"
    "        self._store(token_data)\n"
)


def test_a_subclass_calling_the_method_on_self_is_a_call_site(tmp_path: Path) -> None:
    """openai's `_store_token`, called as `self._store_token(token_data)` in a subclass of
    another module: that `self` is an instance of the method's class, so the call is converted
    (validated there) with the method. The executed program: tests/samples/pydantic_project."""
    root = write_files(
        tmp_path, {"app/__init__.py": "", "app/auth.py": AUTH, "app/certificates.py": SUBCLASS}
    )
    assert "def _store(self, token_data: TokenData) -> None:" in _converted(root, "app/auth.py")


def test_other_receivers_of_the_name_are_still_refused(tmp_path: Path) -> None:
    """A mixin (not derived from the class) whose `self` may be anything, `super()._store`,
    and an override in a subclass: each keeps the conversion from being made."""
    mixin = SUBCLASS.replace("class Certificate(TokenAuth):", "class Certificate:")
    override = SUBCLASS + "\n    def _store(self, token_data: dict) -> None:\n        pass\n"
    through_super = SUBCLASS.replace("self._store(token_data)", "super()._store(token_data)")
    expected = {
        mixin: "`self._store` in app/certificates.py:6 is not a call of this class's method",
        override: "another `_store` is defined in app/certificates.py:8",
        through_super: "`super()._store` in app/certificates.py:6 is not a call of this class's",
    }
    for index, (subclass, reason) in enumerate(expected.items()):
        files = {"app/__init__.py": "", "app/auth.py": AUTH, "app/certificates.py": subclass}
        root = write_files(tmp_path / str(index), files)
        refused = _refusals(root, "app/auth.py")
        assert len(refused) == 1 and refused[0].startswith(reason), refused


UPLOADS = (
    "def upload(size: int) -> dict:\n"
    '    return {"status": 200 if size else 400, "body": "stored"}\n'
)


def _caller_after(root: Path, relative: str, caller: str) -> str:
    """The caller module at `caller` after the fix of the first finding of `relative`."""
    _text, fix = _first_fix(root, relative)
    other = next(edits for edits in fix.other_files if edits.path == str(root / caller))
    return apply_edits((root / caller).read_text(encoding="utf-8"), other.edits)


def test_a_result_read_with_get_reads_the_field_and_a_default_is_dumped(tmp_path: Path) -> None:
    """slack_sdk's `result.get("status")`: a one-argument `.get` of a returned dict is its
    field (None where a return leaves the key out, as the optional field is). A default makes
    it differ for a missing key: that caller gets the dict back (`.model_dump()`). The
    executed program: tests/samples/pydantic_project."""
    reads = (
        'from app.uploads import upload\n\n\ndef status():\n    return upload(1).get("status")\n'
    )
    defaults = reads.replace('.get("status")', '.get("status", 0)')
    for name, caller, expected in (
        ("get", reads, "upload(1).status"),
        ("default", defaults, 'upload(1).model_dump().get("status", 0)'),
    ):
        files = {"app/__init__.py": "", "app/uploads.py": UPLOADS, "app/calls.py": caller}
        root = write_files(tmp_path / name, files)
        assert f"    return {expected}\n" in _caller_after(root, "app/uploads.py", "app/calls.py")
