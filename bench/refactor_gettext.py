"""The gettext messages xgettext would extract from a source tree, read with `ast`.

xgettext finds a message only where the marked call's argument is a string literal:
`_("seconds")` gives the msgid `seconds`, `_(SECONDS)` gives nothing. A fix that moves such a
literal into a module constant keeps the program's behaviour at run time (the constant has the
same value) and still loses the message from every catalogue at the next
extract/merge/compile of the translations. This module lists the messages before and after.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

type Message = tuple[str, ...]
"""(context or "", msgid, plural or "") as xgettext keys an entry."""


@dataclass(frozen=True)
class Keyword:
    """One xgettext `-k` spec: the function's name and the 1-based argument positions."""

    name: str
    msgid: int = 1
    plural: int | None = None
    context: int | None = None


def parse_keyword(spec: str) -> Keyword:
    """`NAME`, `NAME:2`, `NAME:1,2` or `NAME:1c,2` (context first) as xgettext reads them."""
    name, _, positions = spec.partition(":")
    if not positions:
        return Keyword(name)
    context = None
    numbers = []
    for part in positions.split(","):
        if part.endswith("c"):
            context = int(part[:-1])
        else:
            numbers.append(int(part))
    plural = numbers[1] if len(numbers) > 1 else None
    return Keyword(name, msgid=numbers[0], plural=plural, context=context)


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _literal(call: ast.Call, position: int | None) -> str | None:
    """The string literal at 1-based `position`, "" when none is asked, None when not literal."""
    if position is None:
        return ""
    if position > len(call.args):
        return None
    argument = call.args[position - 1]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    return None


def messages(text: bytes, keywords: list[Keyword]) -> set[Message]:
    """The messages of one module; a module that does not parse has none."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    by_name = {keyword.name: keyword for keyword in keywords}
    found: set[Message] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        keyword = by_name.get(_called_name(node) or "")
        if keyword is None:
            continue
        parts = (
            _literal(node, keyword.context),
            _literal(node, keyword.msgid),
            _literal(node, keyword.plural),
        )
        if all(part is not None for part in parts):
            found.add(tuple(part or "" for part in parts))
    return found


def tree_messages(files: dict[str, bytes], specs: tuple[str, ...]) -> set[Message]:
    """The messages of every `.py` file in a snapshot (relative path -> bytes)."""
    keywords = [parse_keyword(spec) for spec in specs]
    found: set[Message] = set()
    for name, text in files.items():
        if name.endswith(".py"):
            found |= messages(text, keywords)
    return found
