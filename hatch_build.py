"""The wheel's build hook: `rules/` and `server/` go into the wheel as `standards_lsp.rules` and
`standards_lsp.server`, with their first-party imports rewritten to those names.

Why: an application that adds standards-lsp as a dev dependency may have its own `server` or
`rules` package; the installed distribution must add one import name only. The repository keeps
`rules/` and `server/` at its top level (editable installs put the checkout on `sys.path`, so
development imports them as they are; hatchling's editable installs cannot map a folder under a
prefix, hence a rewrite at build time rather than a `sources` mapping).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PREFIX = "standards_lsp"
SOURCE_PACKAGES = ("rules", "server")
# `from rules.x import y` / `from server import z` at any indentation (the lazy imports too).
FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+(?P<package>rules|server)(?P<rest>[.\s])", re.M
)
# `import rules` / `import server` (bound as that name, so kept bound as that name).
PLAIN_IMPORT = re.compile(r"^(?P<indent>[ \t]*)import[ \t]+(?P<package>rules|server)[ \t]*$", re.M)
# `import rules.x` binds `rules`: a rewrite cannot keep that name, so the build refuses it.
DOTTED_IMPORT = re.compile(r"^[ \t]*import[ \t]+(?:rules|server)\.", re.M)


def rewrite_imports(source: str, path: str = "<source>") -> str:
    """`source` with its imports of `rules` and `server` moved under `standards_lsp`."""
    if DOTTED_IMPORT.search(source):
        raise ValueError(f"{path}: write `from rules.x import y`, not `import rules.x`")
    source = FROM_IMPORT.sub(
        lambda match: f"{match['indent']}from {PREFIX}.{match['package']}{match['rest']}", source
    )
    return PLAIN_IMPORT.sub(
        lambda match: f"{match['indent']}from {PREFIX} import {match['package']}", source
    )


class CustomBuildHook(BuildHookInterface):
    """Adds the rewritten packages to the wheel (not to editable installs)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Write the rewritten copies and have the wheel include them under the prefix."""
        if self.target_name != "wheel" or version == "editable":
            return
        self._staging = Path(tempfile.mkdtemp(prefix="standards-lsp-wheel-"))
        root = Path(self.root)
        for package in (*SOURCE_PACKAGES, PREFIX):
            for path in sorted((root / package).rglob("*.py")):
                relative = path.relative_to(root)
                target = relative if package == PREFIX else Path(PREFIX) / relative
                staged = self._staging / target
                staged.parent.mkdir(parents=True, exist_ok=True)
                text = rewrite_imports(path.read_text(encoding="utf-8"), str(relative))
                staged.write_text(text, encoding="utf-8")
                build_data["force_include"][str(staged)] = target.as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the staged copies."""
        staging = getattr(self, "_staging", None)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
