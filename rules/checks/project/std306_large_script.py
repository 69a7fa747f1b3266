"""STD306: a large standalone script (outside any package, run as `__main__`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import file_exists, first_line_range
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.source import split_lines

STD306 = "STD306"
PACKAGE_MARKER = "__init__.py"
# Matched at the start of a line that holds `__main__` (see `is_script`).
_MAIN_GUARD = re.compile(r"""if\s+__name__\s*==\s*['"]__main__['"]\s*:""")
MAIN_NAME = "__main__"
SHEBANG = "#!"
# Modules a tool runs or imports (Sphinx, pytest, setuptools, nox), though they may carry a
# shebang: configuration, not scripts.
TOOL_MODULES = frozenset({"conf.py", "conftest.py", "setup.py", "noxfile.py"})
EXAMPLE_BODY_LINES = 300
SCRIPT_PATH = "scripts/migrate.py"
MAIN_BLOCK = 'if __name__ == "__main__":\n    main()\n'


def is_script(text: str) -> bool:
    """Whether a module is written to be run: a `__main__` guard or a shebang line."""
    if text.startswith(SHEBANG):
        return True
    # A search of the whole text tries the pattern at every line, on every edit (0.5 ms on
    # typing.py, which names `__main__` without a guard): try it only where the name is.
    found = text.find(MAIN_NAME)
    while found != -1:
        line_start = text.rfind("\n", 0, found) + 1
        if _MAIN_GUARD.match(text, line_start) is not None:
            return True
        found = text.find(MAIN_NAME, found + len(MAIN_NAME))
    return False


def _long_script(lines: int) -> str:
    body = "".join(f"    print({index})\n" for index in range(lines))
    return f"def main():\n{body}\n\n{MAIN_BLOCK}"


@register
class LargeStandaloneScript(FileRule):
    code = STD306
    name = "large-standalone-script"
    summary = "A standalone script longer than max-script-lines: move substantial code to a package"
    severities = TierSeverities(
        production=Severity.INFORMATION, internal=Severity.INFORMATION, prototype=None
    )
    patterns = ("*.py",)
    doc = RuleDoc(
        what=(
            "Flags a Python script outside any package (no `__init__.py` beside it; run as "
            '`__main__`: it has an `if __name__ == "__main__":` block or a shebang line) that '
            "is longer than `max-script-lines` lines. Test files and the modules tools run "
            "(`conf.py`, `conftest.py`, `setup.py`, `noxfile.py`) are not scripts."
        ),
        why=(
            "Standalone Python scripts are allowed but should be kept minimal. If you are "
            "writing substantial Python you are contributing to an existing progression-labs/ "
            "package or creating a new one, where it is importable, tested and reused."
        ),
        bad=[
            RuleExample(
                source=_long_script(EXAMPLE_BODY_LINES), path=SCRIPT_PATH, expected_codes=[STD306]
            ),
        ],
        good=[
            RuleExample(
                source='def main():\n    print("done")\n\n\n' + MAIN_BLOCK, path=SCRIPT_PATH
            ),
            RuleExample(
                source=_long_script(EXAMPLE_BODY_LINES),
                path="tool/cli.py",
                files={PACKAGE_MARKER: ""},
            ),
        ],
        options=(
            "`max-script-lines` (default 300) in `[tool.standards-lsp]`: the longest script "
            "accepted, in lines."
        ),
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None or context.path is None or context.settings.is_test:
            return
        if PurePosixPath(context.path.replace("\\", "/")).name in TOOL_MODULES:
            return
        if not is_script(context.text):
            return
        if file_exists(Path(context.path).absolute().parent / PACKAGE_MARKER):
            return
        limit = context.settings.options.max_script_lines
        count = len(context.text.splitlines())
        if count <= limit:
            return
        yield self.finding(
            f"standalone script of {count} lines (max-script-lines = {limit}): scripts are kept "
            "minimal, move substantial code into a package",
            first_line_range(split_lines(context.text)[0]),
        )
