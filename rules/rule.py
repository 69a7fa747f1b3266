"""What a rule is, and the contexts the engine hands to rules.

Three kinds of rule, by the smallest input that serves them:

- `UnitRule` looks at one unit (a top-level statement or a member of a top-level class) at a
  time, so an edit re-runs it on the units the edit touched only.
- `ModuleRule` condenses each unit into a summary (cached with the unit) and draws its findings
  from all the summaries of a module: module-wide facts without re-reading unchanged code.
- `FileRule` looks at a whole file by its path and text: configuration files, Dockerfiles,
  lockfiles, file names.
- `SuppressionRule` looks at a Python file's `# noqa:` comments once every other rule has run,
  knowing which codes each line's comment actually silenced.

Every rule may build its fix lazily (`build_fix`) from the full text of the file the finding came
from, so listing actions is cheap and the expensive rewrite runs only when one is chosen.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import cache, cached_property, lru_cache
from pathlib import PurePosixPath
from typing import ClassVar, cast

from pydantic import BaseModel, ConfigDict, Field

from rules.models import Finding, Fix, Position, Range, RuleDoc, TierSeverities
from rules.noqa import NoqaComment, noqa_comments
from rules.parsing import Unit, prefix_lines, unit_body
from rules.settings import FileSettings
from rules.source import byte_to_char_column
from rules.syntax import walk_nodes, walk_statements

# The keyword each of these statements is spelled with (its text holds it, unless broken
# lines were set aside: then the tree holds less, never more).
_STATEMENT_KEYWORDS: dict[type, str] = {
    ast.Import: "import",
    ast.ImportFrom: "import",
    ast.ClassDef: "class",
    ast.Return: "return",
    ast.FunctionDef: "def",
    ast.AsyncFunctionDef: "def",
}


class _LookUp(Enum):
    """Which index of a unit's nodes answers `nodes_of` for a node type."""

    ABSTRACT = "abstract"  # a type with subtypes: every node, filtered
    STATEMENT = "statement"  # the statements' index (no walk of the expressions)
    NODE = "node"  # the index of every node


# each node type's look-up, found once (`nodes_of` is asked ~6 times a unit)
@cache
def _look_up_of(kind: type) -> _LookUp:
    if kind.__subclasses__():
        return _LookUp.ABSTRACT
    if issubclass(kind, ast.stmt):
        return _LookUp.STATEMENT
    return _LookUp.NODE


class ClassInfo(BaseModel):
    """What a class member may need to know of its class."""

    model_config = ConfigDict(frozen=True)

    name: str
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class UnitContext(BaseModel):
    """One unit handed to a rule: its statements, its class (for members), its file's settings."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    unit: Unit
    tree: ast.Module
    settings: FileSettings
    path: str | None = None
    class_info: ClassInfo | None = None
    first_in_block: bool = False  # first unit of the module or first member of its class
    memo: dict[str, object] = Field(default_factory=dict, repr=False)

    @property
    def body(self) -> list[ast.stmt]:
        """The unit's own statements (a member's wrapper is looked through)."""
        return unit_body(self.tree, self.unit.kind)

    @cached_property
    def lines(self) -> list[str]:
        """The unit's own lines (split once: every position a rule reports reads them)."""
        return self.unit.lines

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the unit, walked once and shared by all the rules (expression contexts
        and operators are left out: read them through their parents, `node.ctx`, `node.op`)."""
        return walk_nodes(self.body)

    def shared[Value](self, key: str, compute: Callable[[], Value]) -> Value:
        """A value computed once per unit and shared by every rule that asks for `key`."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast("Value", self.memo[key])

    @cached_property
    def _nodes_by_type(self) -> dict[type, list[ast.AST]]:
        by_type: dict[type, list[ast.AST]] = {}
        for node in self.nodes:
            by_type.setdefault(type(node), []).append(node)
        return by_type

    @cached_property
    def _statements_by_type(self) -> dict[type, list[ast.AST]]:
        by_type: dict[type, list[ast.AST]] = {}
        for node in walk_statements(self.body):
            by_type.setdefault(type(node), []).append(node)
        return by_type

    def nodes_of[NodeType: ast.AST](self, kind: type[NodeType]) -> list[NodeType]:
        """The unit's nodes of one type (in walk order), from an index built once per unit
        (of its statements alone when a statement type is asked for: most rules look for
        imports, classes or returns, and need no walk of the expressions)."""
        look_up = _look_up_of(kind)
        if look_up is _LookUp.ABSTRACT:  # an abstract node type (`ast.expr`): filter by it
            return [node for node in self.nodes if isinstance(node, kind)]
        keyword = _STATEMENT_KEYWORDS.get(kind)
        if keyword is not None and keyword not in self.unit.text:
            return []  # such a statement spells its keyword (never an identifier's NFKC form)
        if look_up is _LookUp.STATEMENT:
            return cast("list[NodeType]", self._statements_by_type.get(kind, []))
        return cast("list[NodeType]", self._nodes_by_type.get(kind, []))

    def position_of(self, lineno: int, col_offset: int) -> Position:
        """A unit-relative position from `ast`'s 1-based line and UTF-8 byte column."""
        line = lineno - 1 - prefix_lines(self.unit.kind)
        lines = self.lines
        text = lines[line] if 0 <= line < len(lines) else ""
        return Position(line=max(line, 0), character=byte_to_char_column(text, col_offset))

    def range_of(self, node: ast.AST) -> Range:
        """The unit-relative range of an `ast` node."""
        lineno = getattr(node, "lineno", 1)
        end_lineno = getattr(node, "end_lineno", None) or lineno
        col = getattr(node, "col_offset", 0)
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col
        return Range(start=self.position_of(lineno, col), end=self.position_of(end_lineno, end_col))

    def is_set_aside(self, node: ast.AST) -> bool:
        """Whether `node` lies on a line that recovery replaced (its findings would be noise)."""
        set_aside = self.unit.outcome.set_aside
        if not set_aside:
            return False
        shift = prefix_lines(self.unit.kind) + 1
        first = getattr(node, "lineno", 1) - shift
        last = (getattr(node, "end_lineno", None) or first + shift) - shift
        return any(line in set_aside for line in range(first, last + 1))


class ModuleContext(BaseModel):
    """A module's summaries, one per unit with the unit's first line, for a `ModuleRule`."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    summaries: list[tuple[int, BaseModel]]
    settings: FileSettings
    path: str | None = None


class FileContext(BaseModel):
    """A whole file for a `FileRule`; `text` is None for a file that is not text."""

    model_config = ConfigDict(frozen=True)

    path: str | None
    text: str | None
    settings: FileSettings
    project_root: str | None = None


class FixRequest(BaseModel):
    """Everything a rule needs to build the fix of one of its findings, later."""

    model_config = ConfigDict(frozen=True)

    text: str
    finding: Finding
    settings: FileSettings
    path: str | None = None
    project_root: str | None = Field(
        default=None, description="the project whose files a whole-project refactoring edits"
    )
    open_texts: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "texts that differ from the disk by absolute path (open documents, files a run has "
            "already changed): a whole-project refactoring reads these instead"
        ),
    )


class RefactorRequest(BaseModel):
    """A selection in a file where the user may want a refactoring, whether or not a finding
    stands there (`refactor.extract`, `refactor.rewrite`)."""

    model_config = ConfigDict(frozen=True)

    text: str
    range: Range
    settings: FileSettings
    path: str | None = None
    project_root: str | None = None
    open_texts: dict[str, str] = Field(default_factory=dict)
    statements: list[tuple[int, int]] = Field(
        default_factory=list,
        description=(
            "the lines [start, end) of each top-level statement, as a check of this very text "
            "split it (`Analysis.statement_lines`); empty: a rule parses the text whole"
        ),
    )


class RefactorOffer(BaseModel):
    """A refactoring a rule can make at a selection: listed cheaply, built on demand."""

    model_config = ConfigDict(frozen=True)

    code: str
    kind: str = Field(description="the LSP code action kind, e.g. 'refactor.extract'")
    title: str
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class Rule:
    """A rule of the standard: its identity, documentation, severities and check."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severities: ClassVar[TierSeverities]
    doc: ClassVar[RuleDoc]
    fix_title: ClassVar[str | None] = None  # what the fix does, for `rules` and the docs
    refusal_verb: ClassVar[str] = "not fixed"  # how a refused fix is announced: "not fixed: why"

    def build_fix(self, request: FixRequest) -> Fix | None:
        """The complete fix for `request.finding`, built on demand; None if it cannot be made."""
        return request.finding.fix

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        """Refactorings this rule's fixer can make at a selection (cheap: no rewrite yet)."""
        del request
        return []

    def build_refactoring(self, request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
        """The edits of an offered refactoring, built on demand."""
        del request, offer
        return None

    def finding(self, message: str, where: Range, fix: Fix | None = None) -> Finding:
        """A finding of this rule (the engine sets its severity from the tier)."""
        return Finding(code=self.code, message=message, range=where, fix=fix)


class UnitRule(Rule):
    """A rule that checks one unit at a time."""

    def check_unit(self, context: UnitContext) -> Iterable[Finding]:
        raise NotImplementedError


class ModuleRule(Rule):
    """A rule whose findings come from per-unit summaries of a whole module."""

    def summarize(self, context: UnitContext) -> BaseModel | None:
        raise NotImplementedError

    def check_module(self, context: ModuleContext) -> Iterable[Finding]:
        raise NotImplementedError


class FileRule(Rule):
    """A rule that checks whole files, chosen by name patterns (`fnmatch`, on the file name or
    on the path relative to the project root)."""

    patterns: ClassVar[Sequence[str]] = ()

    def applies_to(self, path: str | None) -> bool:
        """Whether this rule looks at the file at `path` (None: an unsaved Python buffer)."""
        if path is None:
            return "*.py" in self.patterns
        return _path_matches(tuple(self.patterns), path)

    def check_file(self, context: FileContext) -> Iterable[Finding]:
        raise NotImplementedError


class SuppressionContext(BaseModel):
    """A Python file's text and lines, and the (line, code) pairs its `# noqa:` comments
    silenced in this check."""

    model_config = ConfigDict(frozen=True)

    text: str
    lines: list[str]
    used: frozenset[tuple[int, str]]
    settings: FileSettings
    known_codes: frozenset[str]
    path: str | None = None
    # the text's noqa comments, when the engine found them already (one tokenize of
    # the units that have any, shared by STD901 and STD902 and cached by unit text)
    found_comments: list[NoqaComment] | None = None

    def comments(self) -> list[NoqaComment]:
        """The text's `# noqa:` comments that are comments (not text in a string)."""
        if self.found_comments is not None:
            return self.found_comments
        return noqa_comments(self.text, self.lines)


class SuppressionRule(Rule):
    """A rule about the suppressions themselves (run after every other rule of a file)."""

    def check_suppressions(self, context: SuppressionContext) -> Iterable[Finding]:
        raise NotImplementedError


@lru_cache(maxsize=4096)
def _path_matches(patterns: tuple[str, ...], path: str) -> bool:
    """Whether `path` matches a pattern (remembered: every check of a file asks again)."""
    posix = PurePosixPath(path.replace("\\", "/"))
    names, paths = _compiled_patterns(patterns)
    if names is not None and names.match(posix.name) is not None:
        return True
    return any(posix.match(pattern) for pattern in paths)


@lru_cache(maxsize=64)
def _compiled_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """A rule's patterns as one expression over the file name (a pattern without `/` matches
    the name, and `PurePosixPath.match` of such a pattern is the same test), and the patterns
    with a `/`, matched against the path's tail. One compiled expression per rule, not one per
    pattern: compiling them one by one took 3.4 ms of a server's first check."""
    names = [pattern for pattern in patterns if "/" not in pattern]
    paths = tuple(pattern for pattern in patterns if "/" in pattern)
    if not names:
        return None, paths
    expression = "|".join(fnmatch.translate(name) for name in names)
    return re.compile(expression, _NAME_CASE), paths


# `fnmatch.fnmatch` compares names as the platform does (without case on Windows).
_NAME_CASE = re.IGNORECASE if os.path.normcase("A") == "a" else re.NOFLAG
