"""The words of the `Literal[...]` types a module's package declares: STD203's typed vocabularies.

A value that is a member of a `Literal` type (`AgentState = Literal["listening", "speaking"]`,
`display: Literal["inline", "side"]`) has its spelling checked by the type checker wherever it
is compared, passed or assigned against that type; a module constant would only restate it
(`SPEAKING = "speaking"`). STD203 cannot follow the types across modules, so it reads what the
package declares: every string listed in a `Literal[...]` of the module itself, or of any module
of the package the file belongs to (the outermost folder above it holding an `__init__.py`). The package's files are read once per process; an edit elsewhere in
the package is seen when the server restarts or the CLI runs again.
"""

from __future__ import annotations

import ast
import os
import re
from functools import lru_cache
from pathlib import Path

from rules.checks.constants.literals import last_name
from rules.project_files import read_text_file

PACKAGE_MARKER = "__init__.py"
MAX_PACKAGE_FILES = 2000
_LITERAL = re.compile(r"\bLiteral\[([^\[\]]*)\]")
_QUOTED = re.compile(r"""(["'])([^"'\\\n]{1,64})\1""")
_SKIPPED = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist"})


NONE: frozenset[str] = frozenset()


def may_name_literal(text: str) -> bool:
    """Whether source text can hold a `Literal[...]` subscript: it spells `Literal`, or it is
    not ASCII (an identifier is read in its NFKC form, which other letters may spell)."""
    return "Literal" in text or not text.isascii()


def literal_words_of(tree: ast.AST) -> frozenset[str]:
    """The strings listed in the `Literal[...]` subscripts of a syntax tree."""
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and last_name(node.value) == "Literal":
            index = node.slice
            items = index.elts if isinstance(index, ast.Tuple) else [index]
            words.update(
                item.value
                for item in items
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            )
    return frozenset(words)


def words_in_text(text: str) -> set[str]:
    """The strings listed in the `Literal[...]` subscripts of a source text (without parsing)."""
    return {
        quoted.group(2)
        for found in _LITERAL.finditer(text)
        for quoted in _QUOTED.finditer(found.group(1))
    }


def package_root(path: str) -> Path | None:
    """The outermost folder above `path` that holds an `__init__.py` (None outside a package)."""
    folder = Path(os.path.abspath(path)).parent
    root = None
    while (folder / PACKAGE_MARKER).is_file():
        root = folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return root


@lru_cache(maxsize=64)
def _package_words(root: str) -> frozenset[str]:
    words: set[str] = set()
    count = 0
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in _SKIPPED]
        for name in files:
            if not name.endswith((".py", ".pyi")):
                continue
            count += 1
            if count > MAX_PACKAGE_FILES:
                return frozenset(words)
            text = read_text_file(Path(folder) / name)
            if text and "Literal[" in text:
                words.update(words_in_text(text))
    return frozenset(words)


def package_literal_words(path: str | None) -> frozenset[str]:
    """The `Literal` words the package of the file at `path` declares (none for a buffer)."""
    if path is None:
        return frozenset()
    try:
        root = package_root(path)
        return _package_words(str(root)) if root is not None else frozenset()
    except OSError:
        return frozenset()
