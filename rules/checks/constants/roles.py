"""The role a literal plays where it stands: what makes two equal literals "the same value".

STD203 counts a value as repeated only when its occurrences play the same role, because one
constant for two roles would tie together settings that change independently
(`search(n_hits=3, n_snippets_per_hit=3)`), and the fix would name one after the other. A role is:

- `keyword:NAME`: the value of a keyword argument (`timeout=30` in any call) or the default of
  the parameter it binds (`poll_interval: float = 60.0` in two signatures);
- `key:KEY`: the value under a key of a dict display (`{"model": "gpt-4o"}`);
- `compared:NAME`: compared with a name, attribute or length (`len(items) > 50`,
  `part.kind in ("a", "b")`), whatever the direction;
- `assigned:NAME`: assigned to a name or attribute (`self.retries = 3`), or a class field's
  default;
- `value`: anywhere else, where nothing names the value (returned, a positional argument such as
  `ValueError("bad amount")`, an operand): such occurrences are one role, the value itself.

Roles separate numbers and short words only: a longer or punctuated string (a message, a
template, a reference) is not equal to another by coincidence, so all its occurrences are one
role.

Arithmetic, negation and the elements of a list, tuple or set are looked through: in
`timeout=(5, 30)` both numbers play `keyword:timeout`.
"""

from __future__ import annotations

import ast
import re

from rules.checks.constants.literals import Literal, last_name

_LOOKED_THROUGH = (ast.BinOp, ast.UnaryOp, ast.Tuple, ast.List, ast.Set, ast.BoolOp, ast.IfExp)
ASSIGNED = "assigned"
VALUE = "value"


def _target(node: ast.AST) -> str:
    if isinstance(node, ast.Name | ast.Attribute):
        return last_name(node)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


def _compared(node: ast.AST) -> str:
    if isinstance(node, ast.Call) and last_name(node.func) == "len" and node.args:
        return f"len:{_compared(node.args[0])}"
    if isinstance(node, ast.Name | ast.Attribute | ast.Call | ast.Subscript):
        return _target(node) or last_name(node)
    return ""


def parameter_name(arguments: ast.arguments, field: str, below: ast.AST) -> str:
    if field == "kw_defaults":
        index = next((i for i, d in enumerate(arguments.kw_defaults) if d is below), -1)
        return arguments.kwonlyargs[index].arg if index >= 0 else ""
    positional = [*arguments.posonlyargs, *arguments.args]
    index = next((i for i, d in enumerate(arguments.defaults) if d is below), -1)
    if index < 0:
        return ""
    return positional[len(positional) - len(arguments.defaults) + index].arg


def _dict_role(display: ast.Dict, field: str, below: ast.AST) -> str:
    if field != "values":
        return VALUE
    index = next((i for i, value in enumerate(display.values) if value is below), -1)
    key = display.keys[index] if index >= 0 else None
    if isinstance(key, ast.Constant):
        return f"key:{key.value}"
    return "key:"


def _assignment_role(parent: ast.AST) -> str:
    if isinstance(parent, ast.Assign):
        names = [_target(target) for target in parent.targets]
        return f"{ASSIGNED}:{','.join(names)}"
    if isinstance(parent, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        return f"{ASSIGNED}:{_target(parent.target)}"
    return ""


# Calls declaring a command-line option whose first argument is its default.
OPTION_CALLS = frozenset({"Option", "option", "Argument"})


def _option_role(call: ast.Call, below: ast.AST) -> str:
    """`typer.Option(3, "--max-retries")`: the default binds the option's parameter."""
    if last_name(call.func) not in OPTION_CALLS or not call.args or call.args[0] is not below:
        return ""
    names = [
        str(argument.value).lstrip("-").replace("-", "_")
        for argument in call.args[1:]
        if isinstance(argument, ast.Constant) and str(argument.value).startswith("--")
    ]
    return f"keyword:{names[0]}" if names else ""


def _role_at(parent: ast.AST, field: str, below: ast.AST) -> str:
    if isinstance(parent, ast.keyword):
        return f"keyword:{parent.arg}"
    if isinstance(parent, ast.Call) and field == "args":
        return _option_role(parent, below) or VALUE
    if isinstance(parent, ast.arguments):  # a parameter is what a keyword binds
        return f"keyword:{parameter_name(parent, field, below)}"
    if isinstance(parent, ast.Dict):
        return _dict_role(parent, field, below)
    if isinstance(parent, ast.Compare):
        operands = [parent.left, *parent.comparators]
        names = sorted(filter(None, (_compared(o) for o in operands if o is not below)))
        return f"compared:{','.join(names)}"
    return _assignment_role(parent) or VALUE


def role_of(literal: Literal) -> str:
    """The literal's role (see the module docstring)."""
    below: ast.AST = literal.node
    for parent, field in reversed(literal.parents):
        if not isinstance(parent, _LOOKED_THROUGH):
            return _role_at(parent, field, below)
        below = parent
    return VALUE


# A short single word: a value that two roles may share by coincidence (`name="lib"`,
# `where="lib"`). Longer or punctuated strings (messages, templates, references) are not equal
# by coincidence: their role is the value itself.
_COINCIDENTAL_WORD = re.compile(r"[\w.:/-]{1,32}")


def repetition_role(literal: Literal) -> str:
    """The role STD203 groups a literal's occurrences by: its role for a number or a short
    word, `value` for any other string."""
    value = literal.value
    if isinstance(value, str) and _COINCIDENTAL_WORD.fullmatch(value) is None:
        return VALUE
    return role_of(literal)


_ROLE_WORDS = {
    "keyword": "given as",
    "assigned": "assigned to",
    "key": "under key",
    "compared": "compared with",
}


def describe_role(role: str) -> str:
    """How a message says a role (`keyword:timeout` -> "passed as `timeout`"; "" for `value`)."""
    kind, _, name = role.partition(":")
    words = _ROLE_WORDS.get(kind)
    return f" {words} `{name}`" if words and name else ""
