"""Adding pydantic to a setuptools project that declares its dependencies outside `[project]`:
`[options] install_requires` of `setup.cfg`, or the `install_requires=` list of `setup.py`'s
`setup(...)` call.

Each edit changes only the requirement list (the rest of the file, its comments and layout
stay as they are). A list that is computed (read from a file, built by a function, extended
later) cannot be edited safely: that is a refusal whose reason says where the list comes from.
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from pydantic import BaseModel

from rules.fixes import edits_between
from rules.models import Position, Range, TextEdit
from rules.project_files import requirement_name

PYDANTIC = "pydantic"
REQUIREMENT = "pydantic>=2"  # the generated code uses pydantic 2's API (model_validate, ...)
INSTALL_REQUIRES = "install_requires"
SETUP_FUNCTION = "setup"
EXCERPT_LENGTH = 40  # characters of a computed list shown in a refusal
ELLIPSIS = "..."
DEFAULT_INDENT = "    "
_OPTIONS_HEADER = re.compile(r"^\[options\]\s*(?:[#;].*)?$")
_SECTION_HEADER = re.compile(r"^\[")
_INSTALL_REQUIRES = re.compile(r"^install_requires\s*[=:]\s*(?P<value>.*?)\s*$")
_CFG_COMMENT = ("#", ";")
FILE_DIRECTIVE = "file:"
UNPARSED = "setup.py does not parse: add pydantic to it first"


class SetupEdit(BaseModel):
    """The outcome for one file: edits (empty when pydantic is declared already), or why not."""

    edits: list[TextEdit] = []
    declared: bool = False
    refusal: str | None = None


# --- setup.cfg ---------------------------------------------------------------------------------


class _CfgLines(BaseModel):
    """Where `[options]` and its `install_requires` sit in a `setup.cfg` (0-based lines)."""

    lines: list[str]
    options: int | None = None
    section_end: int = 0
    key: int | None = None
    value: str = ""
    continuation: list[int] = []


def _cfg_lines(text: str) -> _CfgLines:
    lines = text.splitlines(keepends=True)
    found = _CfgLines(lines=lines, section_end=len(lines))
    stripped = [line.rstrip("\r\n") for line in lines]
    found.options = next(
        (index for index, line in enumerate(stripped) if _OPTIONS_HEADER.match(line)), None
    )
    if found.options is None:
        return found
    found.section_end = next(
        (
            index
            for index in range(found.options + 1, len(lines))
            if _SECTION_HEADER.match(stripped[index])
        ),
        len(lines),
    )
    for index in range(found.options + 1, found.section_end):
        match = _INSTALL_REQUIRES.match(stripped[index])
        if match is None:
            continue
        found.key, found.value = index, match.group("value")
        # A value goes on while lines are indented (configparser keeps blank lines inside it).
        for following in range(index + 1, found.section_end):
            line = stripped[following]
            if line.strip() and not line[0].isspace():
                break
            if line.strip():
                found.continuation.append(following)
        break
    return found


def cfg_requirements(text: str) -> list[str] | None:
    """The requirements `[options] install_requires` lists (None: no such key)."""
    found = _cfg_lines(text)
    if found.key is None:
        return None
    items = [found.lines[index].strip() for index in found.continuation]
    if found.value and not items:
        items = found.value.split(";")  # one line: setuptools splits it at `;`
    elif found.value:
        items = [found.value, *items]
    return [item.strip() for item in items if item.strip() and not item.startswith(_CFG_COMMENT)]


def cfg_has_options(text: str) -> bool:
    """Whether `setup.cfg` has an `[options]` section (setuptools reads dependencies there)."""
    return _cfg_lines(text).options is not None


def setup_cfg_edit(text: str) -> SetupEdit:
    """The edit adding pydantic to `[options] install_requires` (the key, or the section,
    added when missing)."""
    found = _cfg_lines(text)
    requirements = cfg_requirements(text)
    if requirements is not None and PYDANTIC in map(requirement_name, requirements):
        return SetupEdit(declared=True)
    if found.value.startswith(FILE_DIRECTIVE):
        return SetupEdit(
            refusal=f"setup.cfg reads install_requires from a file (`{found.value}`): "
            "add pydantic to that file"
        )
    if found.key is None:
        return _cfg_new_key(found)
    if found.continuation:
        last = found.continuation[-1]
        first = found.lines[found.continuation[0]]
        indent = first[: len(first) - len(first.lstrip())] or DEFAULT_INDENT
        return _cfg_insert(found, last + 1, f"{indent}{REQUIREMENT}\n")
    line = found.lines[found.key]
    if found.value:
        # One line is split at `;` by setuptools: the new requirement joins that list.
        end = len(line.rstrip("\r\n").rstrip())
        return SetupEdit(edits=[_text_insert(found.key, end, f"; {REQUIREMENT}")])
    return _cfg_insert(found, found.key + 1, f"{DEFAULT_INDENT}{REQUIREMENT}\n")


def _cfg_new_key(found: _CfgLines) -> SetupEdit:
    block = f"{INSTALL_REQUIRES} =\n{DEFAULT_INDENT}{REQUIREMENT}\n"
    if found.options is not None:
        return _cfg_insert(found, found.options + 1, block)
    lines = found.lines
    if not lines:
        return SetupEdit(edits=[_text_insert(0, 0, f"[options]\n{block}")])
    last = len(lines) - 1
    ended = lines[last].endswith("\n")
    # A blank line between the last section and the new one, as sections are usually laid out.
    separator = ("" if ended else "\n") + ("\n" if lines[last].strip() else "")
    at = (last + 1, 0) if ended else (last, len(lines[last]))
    return SetupEdit(edits=[_text_insert(*at, f"{separator}[options]\n{block}")])


def _cfg_insert(found: _CfgLines, line: int, new_text: str) -> SetupEdit:
    if line >= len(found.lines) and found.lines and not found.lines[-1].endswith("\n"):
        last = len(found.lines) - 1
        return SetupEdit(
            edits=[_text_insert(last, len(found.lines[last]), "\n" + new_text.rstrip("\n"))]
        )
    return SetupEdit(edits=[_text_insert(line, 0, new_text)])


def _text_insert(line: int, character: int, new_text: str) -> TextEdit:
    start = Position(line=line, character=character)
    return TextEdit(range=Range(start=start, end=start), new_text=new_text)


# --- setup.py ----------------------------------------------------------------------------------


class SetupCall(BaseModel):
    """What `setup.py`'s `setup(...)` call says about `install_requires`."""

    found: bool = False
    has_keyword: bool = False
    spreads: bool = False  # `setup(**options)`: the keyword may come from there
    refusal: str | None = None


def _is_setup(call: ast.Call) -> bool:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id == SETUP_FUNCTION
    return isinstance(function, ast.Attribute) and function.attr == SETUP_FUNCTION


def _setup_calls(tree: ast.Module) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_setup(node)]


def read_setup_call(text: str) -> SetupCall:
    """The one `setup(...)` call of `setup.py`: whether it passes `install_requires`."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return SetupCall(refusal=UNPARSED)
    calls = _setup_calls(tree)
    if len(calls) != 1:
        return SetupCall(
            refusal=f"setup.py has {len(calls)} `setup(...)` calls, not one: add pydantic first"
        )
    call = calls[0]
    keywords = {keyword.arg for keyword in call.keywords}
    return SetupCall(found=True, has_keyword=INSTALL_REQUIRES in keywords, spreads=None in keywords)


def _excerpt(text: str, node: ast.AST) -> str:
    shown = " ".join((ast.get_source_segment(text, node) or ast.unparse(node)).split())
    if len(shown) <= EXCERPT_LENGTH:
        return shown
    return shown[: EXCERPT_LENGTH - len(ELLIPSIS)] + ELLIPSIS


def _literal_strings(node: ast.expr) -> list[str] | None:
    if not isinstance(node, ast.List | ast.Tuple):
        return None
    strings = [
        item.value
        for item in node.elts
        if isinstance(item, ast.Constant) and isinstance(item.value, str)
    ]
    return strings if len(strings) == len(node.elts) else None


def _list_variable(tree: ast.Module, name: str) -> ast.Assign | None:
    """The one module-level `NAME = [...]` when nothing else binds or changes `NAME`."""
    assignments = [
        statement
        for statement in tree.body
        if isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == name
    ]
    if len(assignments) != 1:
        return None
    for node in ast.walk(tree):
        bound = (
            isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
        )
        if bound and node is not assignments[0].targets[0]:
            return None  # bound again, `+=`, `del`: the list is computed
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            return None  # `NAME.append(...)`, `NAME.extend(...)`: changed after it is built
    return assignments[0]


def setup_py_edit(text: str) -> SetupEdit:
    """The edit adding pydantic to `setup(...)`'s `install_requires`: to the literal list it
    passes (or the one module-level list it names), or as a new keyword."""
    call = read_setup_call(text)
    if call.refusal is not None:
        return SetupEdit(refusal=call.refusal)
    tree = ast.parse(text)
    setup = _setup_calls(tree)[0]
    keyword = next((item for item in setup.keywords if item.arg == INSTALL_REQUIRES), None)
    if keyword is None:
        if call.spreads:
            return SetupEdit(
                refusal="setup.py passes `**` options to `setup(...)` and no install_requires: "
                "add pydantic to them"
            )
        return _rewritten(text, _AddKeyword(_quote_of(text)))
    value = keyword.value
    listed = value
    if isinstance(value, ast.Name):
        assignment = _list_variable(tree, value.id)
        listed = assignment.value if assignment is not None else value
    strings = _literal_strings(listed)
    if strings is None:
        return SetupEdit(
            refusal=f"setup.py computes install_requires (`{_excerpt(text, value)}`): "
            "add pydantic to it by hand"
        )
    if PYDANTIC in map(requirement_name, strings):
        return SetupEdit(declared=True)
    variable = value.id if isinstance(value, ast.Name) else None
    return _rewritten(text, _AppendRequirement(variable, _quote_of(text)))


def _quote_of(text: str) -> str:
    """The quote the file's strings mostly use (the new requirement is written alike)."""
    return "'" if text.count("'") > text.count('"') else '"'


def _rewritten(text: str, transformer: cst.CSTTransformer) -> SetupEdit:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return SetupEdit(refusal=UNPARSED)
    new_text = module.visit(transformer).code
    if new_text == text:
        return SetupEdit(refusal="cannot add pydantic to setup.py's install_requires")
    return SetupEdit(edits=edits_between(text, new_text))


def _requirement(quote: str) -> cst.SimpleString:
    return cst.SimpleString(f"{quote}{REQUIREMENT}{quote}")


def _appended[Item: (cst.BaseElement, cst.Arg)](
    items: list[Item], new: Item, opening: cst.BaseParenthesizableWhitespace
) -> list[Item]:
    """`items` with `new` at the end, laid out like its neighbours: on a line of its own at the
    items' indentation when the bracket is followed by a line break, else after `, `; the last
    item's trailing comma (if any) stays the list's last, and its comment stays on its line."""
    if not items:
        return [new]
    last = items[-1]
    trailing = last.comma
    if not isinstance(opening, cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return [*items[:-1], last.with_changes(comma=separator), new.with_changes(comma=trailing)]
    own_line = cst.TrailingWhitespace()
    if isinstance(trailing, cst.Comma) and isinstance(
        trailing.whitespace_after, cst.ParenthesizedWhitespace
    ):
        own_line = trailing.whitespace_after.first_line  # the last item's comment
        closing = trailing.whitespace_after.with_changes(first_line=cst.TrailingWhitespace())
        trailing = trailing.with_changes(whitespace_after=closing)
    separator = cst.Comma(
        whitespace_after=cst.ParenthesizedWhitespace(
            first_line=own_line, indent=opening.indent, last_line=opening.last_line
        )
    )
    return [*items[:-1], last.with_changes(comma=separator), new.with_changes(comma=trailing)]


def _with_requirement(value: cst.BaseExpression, quote: str) -> cst.BaseExpression:
    """A list or tuple display of requirements with the new one appended."""
    new = cst.Element(value=_requirement(quote))
    if isinstance(value, cst.List):
        items = list(value.elements)
        return value.with_changes(elements=_appended(items, new, value.lbracket.whitespace_after))
    if isinstance(value, cst.Tuple) and value.lpar:
        items = list(value.elements)
        if not items:
            return value.with_changes(elements=[new.with_changes(comma=cst.Comma())])
        return value.with_changes(elements=_appended(items, new, value.lpar[0].whitespace_after))
    return value


class _AppendRequirement(cst.CSTTransformer):
    """Appends the requirement to `setup(...)`'s `install_requires=` list display, or to the
    module-level list display bound to `variable` that it names."""

    def __init__(self, variable: str | None, quote: str) -> None:
        super().__init__()
        self.variable = variable
        self.quote = quote
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        keyword = updated_node.keyword
        if self.variable is not None or keyword is None or keyword.value != INSTALL_REQUIRES:
            return updated_node
        return updated_node.with_changes(value=_with_requirement(updated_node.value, self.quote))

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        targets = updated_node.targets
        if self.variable is None or self.depth or len(targets) != 1:
            return updated_node
        target = targets[0].target
        if not isinstance(target, cst.Name) or target.value != self.variable:
            return updated_node
        return updated_node.with_changes(value=_with_requirement(updated_node.value, self.quote))


class _AddKeyword(cst.CSTTransformer):
    """Adds `install_requires=["pydantic>=2"]` as the last argument of `setup(...)`."""

    def __init__(self, quote: str) -> None:
        super().__init__()
        self.quote = quote

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        function = original_node.func
        name = function.value if isinstance(function, cst.Name) else None
        if isinstance(function, cst.Attribute):
            name = function.attr.value
        if name != SETUP_FUNCTION:
            return updated_node
        new = cst.Arg(
            keyword=cst.Name(INSTALL_REQUIRES),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(""),
            ),
            value=cst.List(elements=[cst.Element(value=_requirement(self.quote))]),
        )
        arguments = _appended(list(updated_node.args), new, updated_node.whitespace_before_args)
        return updated_node.with_changes(args=arguments)
