"""HTTP status codes: protocol values that never change, named by `http.HTTPStatus`.

A number is a status code when its role says so (the value alone never does: `404` may be a
count):
- the value of a `status_code=` / `status=` keyword (`HTTPException(status_code=404)`);
- the first argument of `abort(404)`, `HTTPException(404)`, `send_response(200)`, ...;
- compared with a status (`response.status_code == 200`, `resp.status in (200, 201)`);
- assigned to a status (`status_code = 201`) or the value of a `"statusCode"` / `"status"` key
  of a dict display (a Lambda proxy response);
and its value is an `HTTPStatus` member. STD201 then asks for the member (`HTTPStatus.NOT_FOUND`)
instead of a module constant, and its safe fix writes it with the import: `HTTPStatus` is an
`IntEnum`, equal to its number, with the same hash, `str()` and JSON form.

A status *class* bound in an ordering comparison (`200 <= status < 400`, `status >= 500`) is not
flagged: it is the protocol's own grouping, and no member names "the 3xx class" (`< 400` would
read `< HTTPStatus.BAD_REQUEST`, which says something else).
"""

from __future__ import annotations

import ast
import re
from enum import StrEnum
from http import HTTPStatus

from rules.checks.constants.literals import ModuleLiterals, last_name
from rules.models import Fix, Position, Range, Safety, TextEdit
from rules.syntax import first_lineno, listing_reason


class Role(StrEnum):
    """How a number stands where a status code goes."""

    VALUE = "value"  # passed, assigned or returned as a status
    COMPARE = "compare"  # compared for (in)equality with a status
    RANGE = "range"  # an ordering comparison with a status


HTTP_MODULE = "http"
HTTP_STATUS = "HTTPStatus"
IMPORT_LINE = "from http import HTTPStatus"
_STATUS_NAME = re.compile(r"(?:^|_)status(?:_?code|_int)?$", re.IGNORECASE)
_STATUS_KEYWORDS = frozenset({"status_code", "status", "statuscode", "http_status"})
_STATUS_KEYS = frozenset({"statuscode", "status_code", "status"})
# Calls whose first positional argument is a status code.
_STATUS_CALLS = frozenset(
    {"abort", "HTTPException", "HTTPError", "send_response", "send_error", "HttpResponseBase"}
)
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_MEMBERSHIP = (ast.In, ast.NotIn)
STATUS_CLASS_SIZE = 100
BLANK_LINES_BEFORE_DEFINITION = 2
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_MEMBERS = {member.value: member.name for member in HTTPStatus}


def _is_status_operand(node: ast.AST) -> bool:
    if isinstance(node, ast.Subscript):
        key = node.slice
        return isinstance(key, ast.Constant) and str(key.value).lower() in _STATUS_KEYS
    name = last_name(node) if isinstance(node, ast.Name | ast.Attribute | ast.Call) else ""
    return bool(name) and _STATUS_NAME.search(name) is not None


type _Parents = tuple[tuple[ast.AST, str], ...]


def _in_membership_test(node: ast.AST, parents: _Parents) -> Role | None:
    """`resp.status in (200, 201)`: an element of a display tested for membership."""
    if len(parents) < 2:  # noqa: PLR2004 - the parent and the grandparent
        return None
    grand, _ = parents[-2]
    is_test = isinstance(grand, ast.Compare) and isinstance(grand.ops[0], _MEMBERSHIP)
    return Role.COMPARE if is_test and _is_status_operand(grand.left) else None


def _in_call(node: ast.AST, parent: ast.Call, field: str) -> Role | None:
    first = parent.args[0] if parent.args else None
    is_status = field == "args" and first is node and last_name(parent.func) in _STATUS_CALLS
    return Role.VALUE if is_status else None


def _in_comparison(node: ast.AST, parent: ast.Compare) -> Role | None:
    operands = [parent.left, *parent.comparators]
    if not any(_is_status_operand(operand) for operand in operands if operand is not node):
        return None
    return Role.RANGE if any(isinstance(op, _ORDERING) for op in parent.ops) else Role.COMPARE


def _in_dict(node: ast.AST, parent: ast.Dict, field: str) -> Role | None:
    index = next((i for i, value in enumerate(parent.values) if value is node), -1)
    key = parent.keys[index] if field == "values" and index >= 0 else None
    is_key = isinstance(key, ast.Constant) and str(key.value).lower() in _STATUS_KEYS
    return Role.VALUE if is_key else None


def _in_assignment(parent: ast.Assign | ast.AnnAssign, field: str) -> Role | None:
    targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
    is_status = field == Role.VALUE and all(_is_status_operand(target) for target in targets)
    return Role.VALUE if is_status else None


def _role(node: ast.AST, parents: _Parents) -> Role | None:
    """Role.COMPARE, Role.RANGE (an ordering comparison) or Role.VALUE when `node` stands where a
    status code goes, else None."""
    parent, field = parents[-1]
    role: Role | None = None
    if isinstance(parent, ast.Tuple | ast.List | ast.Set):
        role = _in_membership_test(node, parents)
    elif isinstance(parent, ast.keyword):
        role = Role.VALUE if (parent.arg or "").lower() in _STATUS_KEYWORDS else None
    elif isinstance(parent, ast.Call):
        role = _in_call(node, parent, field)
    elif isinstance(parent, ast.Compare):
        role = _in_comparison(node, parent)
    elif isinstance(parent, ast.Dict):
        role = _in_dict(node, parent, field)
    elif isinstance(parent, ast.Assign | ast.AnnAssign):
        role = _in_assignment(parent, field)
    return role


def status_member(node: ast.AST, value: object, parents: _Parents) -> str:
    """The `HTTPStatus` member a number in a status role stands for ("" when it is not one, or
    when it is a status class bound)."""
    if not isinstance(value, int) or isinstance(value, bool) or value not in _MEMBERS:
        return ""
    role = _role(node, parents)
    if role is None or (role == Role.RANGE and value % STATUS_CLASS_SIZE == 0):
        return ""
    return _MEMBERS[value]


def is_status_class_bound(node: ast.AST, value: object, parents: _Parents) -> bool:
    """`200 <= status < 400`: a status class bound (not a magic number)."""
    return (
        isinstance(value, int)
        and value % STATUS_CLASS_SIZE == 0
        and _role(node, parents) == Role.RANGE
    )


# The fix -----------------------------------------------------------------------------------


def _http_status_reference(tree: ast.Module) -> tuple[str, bool] | None:
    """How the module can name `HTTPStatus` (and whether the import must be added), or None
    when the name is taken by something else."""
    imported_module = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == HTTP_MODULE and node.level == 0:
            for alias in node.names:
                if alias.name == HTTP_STATUS:
                    return alias.asname or HTTP_STATUS, False
        elif isinstance(node, ast.Import):
            imported_module = imported_module or any(
                alias.name == HTTP_MODULE and alias.asname is None for alias in node.names
            )
    if imported_module:
        return f"{HTTP_MODULE}.{HTTP_STATUS}", False
    if any(
        (isinstance(node, ast.Name) and node.id == HTTP_STATUS)
        or (isinstance(node, ast.alias) and (node.asname or node.name) == HTTP_STATUS)
        or (isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == HTTP_STATUS)
        for node in ast.walk(tree)
    ):
        return None
    return HTTP_STATUS, True


def _import_position(tree: ast.Module) -> tuple[int, int]:
    """The 0-based line the import goes on, and how many blank lines it needs after it (none
    when another import follows, two before a definition)."""
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        index = 1
    while index < len(body) and _is_future_import(body[index]):
        index += 1
    following = body[index] if index < len(body) else None
    if isinstance(following, ast.Import | ast.ImportFrom):
        return first_lineno(following) - 1, 0
    blank = BLANK_LINES_BEFORE_DEFINITION if isinstance(following, _DEFINITIONS) else 1
    if index == 0:
        return 0, blank
    return body[index - 1].end_lineno or 0, blank


def _is_future_import(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.ImportFrom) and statement.module == "__future__"


def build_status_fix(module: ModuleLiterals, where: Range, member: str) -> Fix | None:
    """Replace the number at `where` by `HTTPStatus.<member>`, importing it if needed."""
    literal = module.at(where)
    reference = _http_status_reference(module.tree)
    if literal is None or reference is None:
        return None
    name, needs_import = reference
    title = status_title(member, name)
    listing = listing_reason(module.tree) if needs_import else None
    if listing is not None:  # `HTTPStatus` would be among the names it lists
        return Fix(title=title, safety=Safety.SAFE, edits=[], refused=listing)
    edits = [TextEdit(range=where, new_text=f"{name}.{member}")]
    if needs_import:
        line, blank_after = _import_position(module.tree)
        newline = "\r\n" if module.lines and module.lines[0].endswith("\r\n") else "\n"
        before = newline if line > 0 and blank_after else ""
        existing = 0
        while line + existing < len(module.lines) and not module.lines[line + existing].strip():
            existing += 1
        text = before + IMPORT_LINE + newline + newline * max(blank_after - existing, 0)
        at = Position(line=line, character=0)
        edits.insert(0, TextEdit(range=Range(start=at, end=at), new_text=text))
    return Fix(title=title, safety=Safety.SAFE, edits=edits, adds_module_names=needs_import)


def status_title(member: str, name: str = HTTP_STATUS) -> str:
    return f"Use `{name}.{member}`"
