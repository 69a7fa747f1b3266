"""Shared by STD201, STD202 and STD203: the lazily built "Extract to module constant" fix and the
`refactor.extract` offer on any selected literal."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from rules.checks.constants.exemptions import is_extractable, is_repeat_candidate
from rules.checks.constants.literals import (
    Literal,
    ModuleLiterals,
    Scope,
    collect_literals,
    literal_range,
    member_scope,
)
from rules.checks.constants.naming import VALUE_ROLE, extract_title, propose_name
from rules.checks.constants.naming import group_name as name_of_group
from rules.checks.constants.roles import repetition_role, role_of
from rules.models import Finding, Fix, Range, Safety
from rules.parsing import UnitKind
from rules.rule import FixRequest, RefactorOffer, RefactorRequest, Rule, UnitContext
from rules.settings import Options
from rules.source import lines_between, literal_near, split_lines
from rules.syntax import first_lineno, listing_reason

EXTRACT_KIND = "refactor.extract"


# How many recent texts' offer indexes are kept (one per document being edited, roughly).
RECENT_MODULES = 4
# How many texts' whole literal walks (syntax trees included) are kept for building fixes: the
# fixes of one version are built together ("fix all"), and a big module's walk weighs tens of
# MiB, so only the last one is kept.
RECENT_FIX_MODULES = 1


def build_extract_fix(
    module: ModuleLiterals,
    targets: list[Literal],
    proposed: str,
    *,
    same_setting: bool = False,
) -> Fix | None:
    """The rewrite, imported on first use: libcst is only needed when a fix is built.
    `same_setting`: the targets are one setting written several times (the fix stays safe)."""
    from rules.checks.constants.extract import build_extract_fix as build

    return build(module, targets, proposed, same_setting=same_setting)


def same_role_copies(module: ModuleLiterals, literal: Literal) -> list[Literal]:
    """`literal` and the copies of its value in the same role (defaults included): what
    extracting it replaces, so that no copy is left behind (`timeout=30` in two calls)."""
    key, role = literal.key, role_of(literal)
    return [
        other
        for other in module.literals
        if other is literal
        or (
            other.key == key
            and not other.is_fstring
            and is_extractable(other)
            and (other.scope.in_code or other.scope.default)
            and role_of(other) == role
            and role != VALUE_ROLE
        )
    ]


FIX_TITLE = "Extract to module constant"


# What every number literal (a digit) and every string literal (a quote) is spelled with.
_NUMBER_OR_STRING = re.compile(r"[0-9'\"]")


class _LastWalk:
    """The literals of the unit walked last: STD201, STD202 and STD203 look at the same unit one
    after the other, so one walk serves all three (the tree's identity is the key; the tree is
    held so that its id cannot be reused while it is the key)."""

    entry: tuple[object, list[Literal]] | None = None


def unit_literals(context: UnitContext) -> list[Literal]:
    """The literals of one unit, a member's seen from inside its class body."""
    entry = _LastWalk.entry
    if entry is not None and entry[0] is context.tree:
        return entry[1]
    literals = _walk_unit(context)
    _LastWalk.entry = (context.tree, literals)
    return literals


def _walk_unit(context: UnitContext) -> list[Literal]:
    if _NUMBER_OR_STRING.search(context.unit.text) is None:
        return []  # a number is spelled with a digit, a string with a quote: nothing to walk for
    scope = Scope()
    if context.unit.kind is UnitKind.MEMBER:
        info = context.class_info
        scope = (
            member_scope(info.name, info.bases)
            if info is not None
            else Scope(class_body=True, class_name="")
        )
    return collect_literals(context.body, scope)


@lru_cache(maxsize=RECENT_FIX_MODULES)
def parse_module(text: str) -> ModuleLiterals | None:
    """The module's literals with its syntax tree (what a fix is built from), or None when
    the text does not parse."""
    try:
        return ModuleLiterals(text)
    except (SyntaxError, ValueError, RecursionError):
        return None


type _Place = tuple[int, int, int, int]  # a literal's range: start line, column, end line, column


def _place(where: Range) -> _Place:
    return (where.start.line, where.start.character, where.end.line, where.end.character)


def _statement_lines(statement: ast.stmt) -> tuple[int, int]:
    """The 0-based lines a top-level statement spans (decorators included, end excluded)."""
    return first_lineno(statement) - 1, statement.end_lineno or statement.lineno


class OfferIndex:
    """What listing extract offers needs of a module, without its syntax tree: where each
    literal is, and how many extractable occurrences each value has.

    An editor asks for code actions at every cursor move; a big module's tree and literal
    walk weigh tens of MiB, so only this is kept, and the literal under the selection is found
    again by parsing just its top-level statement."""

    def __init__(self, text: str, statements: Sequence[tuple[int, int]] = ()) -> None:
        self.lines = split_lines(text)
        self.places: list[_Place] = []
        self.counts: Counter[str] = Counter()
        if statements:
            # one statement's tree at a time: a big module's whole tree (and the parser's
            # working memory) would add tens of MiB to the server's peak
            self.statements = list(statements)
            for first, end in self.statements:
                self._add(collect_literals(self._parse(first, end).body), first)
        else:
            tree = ast.parse(text)
            self.statements = [_statement_lines(statement) for statement in tree.body]
            self._add(collect_literals(tree.body), 0)
        # the last statement walked, as (first line, its literals by place): the cursor tends
        # to stay in one function or class while code actions are asked
        self._walked: tuple[int, dict[_Place, Literal]] = (-1, {})

    def _parse(self, first: int, end: int) -> ast.Module:
        return ast.parse("".join(self.lines[first:end]))

    def _add(self, literals: list[Literal], first: int) -> None:
        for literal in literals:
            self.places.append(_place(literal_range(literal, self.lines, line_shift=-first)))
            if _groups(literal):
                self.counts[literal.key] += 1

    def around(self, selection: Range) -> _Place | None:
        """The innermost literal that contains the selection (or that the selection covers)."""
        wanted = _place(selection)
        best: _Place | None = None
        for place in self.places:
            overlaps = _encloses(place, wanted) or _encloses(wanted, place)
            if overlaps and (best is None or _encloses(best, place)):
                best = place
        return best

    def literal_at(self, place: _Place) -> Literal | None:
        """The literal at `place`, walked from its top-level statement alone."""
        line = place[0]
        for first, end in self.statements:
            if first <= line < end:
                return self._literal_in(first, end, place)
        return None

    def _literal_in(self, first: int, end: int, place: _Place) -> Literal | None:
        walked_first, literals = self._walked
        if walked_first != first:
            try:
                tree = self._parse(first, end)
            except (SyntaxError, ValueError, RecursionError):
                return None
            literals = {
                _place(literal_range(literal, self.lines, line_shift=-first)): literal
                for literal in collect_literals(tree.body)
            }
            self._walked = (first, literals)
        return literals.get(place)


def _groups(literal: Literal) -> bool:
    """Whether "extract all" replaces this occurrence of its value."""
    return not literal.is_fstring and is_extractable(literal)


def _encloses(outer: _Place, inner: _Place) -> bool:
    return outer[:2] <= inner[:2] and inner[2:] <= outer[2:]


def offer_index(request: RefactorRequest) -> OfferIndex | None:
    """The offer index of the request's text, or None when it does not parse."""
    return _offer_index(request.text, tuple(request.statements))


@lru_cache(maxsize=RECENT_MODULES)
def _offer_index(text: str, statements: tuple[tuple[int, int], ...]) -> OfferIndex | None:
    """Remembered for the last few texts: the cursor moves many times on one version of a
    document."""
    try:
        return OfferIndex(text, statements)
    except (SyntaxError, ValueError, RecursionError):
        return None


def repeated_group(module: ModuleLiterals, literal: Literal, options: Options) -> list[Literal]:
    """Every occurrence STD203 counts together with `literal` (what "extract all" replaces)."""
    key, role = literal.key, repetition_role(literal)
    return [
        other
        for other in module.literals
        if other is literal
        or (
            other.key == key
            and is_repeat_candidate(other, options)
            and repetition_role(other) == role
        )
    ]


def single_fix(literal: Literal, name: str) -> Fix | None:
    """The cheap, lazy "extract this occurrence" fix attached to a finding."""
    if not is_extractable(literal):
        return None
    return Fix(
        title=extract_title(literal.display, name), safety=Safety.SAFE, adds_module_names=True
    )


class ExtractingRule(Rule):
    """A rule whose findings are fixed by extracting the literal to a module constant."""

    fix_title = FIX_TITLE

    def finding_for(self, literal: Literal, message: str, where: Range) -> Finding:
        """A finding on `literal` carrying the lazy single-occurrence fix."""
        name = propose_name(literal)
        return Finding(
            code=self.code,
            message=message,
            range=where,
            fix=single_fix(literal, name),
            data={"name": name, "all": False},
        )

    def build_fix(self, request: FixRequest) -> Fix | None:
        finding = request.finding
        if finding.fix is None:
            return None
        if finding.fix.edits is not None:
            return finding.fix
        module = parse_module(request.text)
        literal = module.at(finding.range) if module is not None else None
        if module is None or literal is None:
            return None
        listing = listing_reason(module.tree)  # it would find the new constant among them
        if listing is not None:
            return finding.fix.model_copy(update={"edits": [], "refused": listing})
        proposed = str(finding.data.get("name") or propose_name(literal))
        if finding.data.get("all"):
            targets = repeated_group(module, literal, request.settings.options)
            return build_extract_fix(module, targets, proposed)
        targets = same_role_copies(module, literal)
        return build_extract_fix(module, targets, proposed, same_setting=True)


def offer_extractions(code: str, request: RefactorRequest) -> list[RefactorOffer]:
    """ "Extract this occurrence" (and "extract all N" when it repeats) for a selected literal."""
    if not _may_select_literal(request):
        return []
    index = offer_index(request)
    place = index.around(request.range) if index is not None else None
    literal = index.literal_at(place) if index is not None and place is not None else None
    if index is None or place is None or literal is None or not is_extractable(literal):
        return []
    data: dict[str, str | int | float | bool | None] = {"line": place[0], "character": place[1]}
    name = propose_name(literal)
    offers = [
        RefactorOffer(
            code=code,
            kind=EXTRACT_KIND,
            title=extract_title(literal.display, name),
            data={**data, "name": name, "all": False},
        )
    ]
    count = index.counts[literal.key]
    if count > 1:
        group_name = name_of_group(literal, role_of(literal))
        offers.append(
            RefactorOffer(
                code=code,
                kind=EXTRACT_KIND,
                title=extract_title(literal.display, group_name, count),
                data={**data, "name": group_name, "all": True},
            )
        )
    return offers


def _selection_group(module: ModuleLiterals, literal: Literal) -> list[Literal]:
    return [other for other in module.literals if other.key == literal.key and _groups(other)]


def build_extraction(request: RefactorRequest, offer: RefactorOffer) -> Fix | None:
    """The edits of an offered extraction, built from the text the offer was made on."""
    module = parse_module(request.text)
    if module is None:
        return None
    line, character = offer.data.get("line"), offer.data.get("character")
    literal = next(
        (
            candidate
            for candidate, where in module.iter_with_ranges()
            if (where.start.line, where.start.character) == (line, character)
        ),
        None,
    )
    if literal is None or not is_extractable(literal):
        return None
    targets = _selection_group(module, literal) if offer.data.get("all") else [literal]
    proposed = str(offer.data.get("name") or propose_name(literal))
    return build_extract_fix(module, targets, proposed)


def _may_select_literal(request: RefactorRequest) -> bool:
    """Cheaply: is there a literal at the selection's start (else no parse is worth it)."""
    start, end = request.range.start, request.range.end
    if end.line > start.line:
        return True
    line = lines_between(request.text, start.line, start.line)
    return literal_near(line, start.character, end.character)
