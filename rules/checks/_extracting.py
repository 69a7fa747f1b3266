"""Shared by STD201, STD202 and STD203: the lazily built "Extract to module constant" fix and the
`refactor.extract` offer on any selected literal."""

from __future__ import annotations

from functools import lru_cache

from rules.checks._literals import (
    Literal,
    ModuleLiterals,
    Scope,
    collect_literals,
    is_extractable,
    is_repeat_candidate,
    member_scope,
)
from rules.models import Finding, Fix, Range, Safety
from rules.naming import extract_title, propose_name
from rules.rule import FixRequest, RefactorOffer, RefactorRequest, Rule, UnitContext
from rules.settings import Options
from rules.source import lines_between, literal_near
from rules.units import UnitKind

EXTRACT_KIND = "refactor.extract"


# How many recent texts' literals are kept (one per document being edited, roughly).
RECENT_MODULES = 4


def build_extract_fix(
    module: ModuleLiterals, targets: list[Literal], proposed: str, display: str
) -> Fix | None:
    """The rewrite, imported on first use: libcst is only needed when a fix is built."""
    from rules.extract import build_extract_fix as build

    return build(module, targets, proposed, display)


FIX_TITLE = "Extract to module constant"


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
    scope = Scope()
    if context.unit.kind is UnitKind.MEMBER:
        info = context.class_info
        scope = (
            member_scope(info.name, info.bases)
            if info is not None
            else Scope(class_body=True, class_name="")
        )
    return collect_literals(context.body, scope)


@lru_cache(maxsize=RECENT_MODULES)
def parse_module(text: str) -> ModuleLiterals | None:
    """The module's literals, or None when the text does not parse.

    Remembered for the last few texts: an editor asks for code actions at every cursor move
    on the same version of a document, and the module's literals do not change in between."""
    try:
        return ModuleLiterals(text)
    except (SyntaxError, ValueError, RecursionError):
        return None


def repeated_group(module: ModuleLiterals, literal: Literal, options: Options) -> list[Literal]:
    """Every occurrence STD203 counts together with `literal` (what "extract all" replaces)."""
    key = literal.key
    return [
        other
        for other in module.literals
        if other.key == key and (other is literal or is_repeat_candidate(other, options))
    ]


def single_fix(literal: Literal, name: str) -> Fix | None:
    """The cheap, lazy "extract this occurrence" fix attached to a finding."""
    if not is_extractable(literal):
        return None
    return Fix(title=extract_title(literal.display, name), safety=Safety.SAFE)


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
        targets = [literal]
        if finding.data.get("all"):
            targets = repeated_group(module, literal, request.settings.options)
        proposed = str(finding.data.get("name") or propose_name(literal))
        return build_extract_fix(module, targets, proposed, literal.display)


def offer_extractions(code: str, request: RefactorRequest) -> list[RefactorOffer]:
    """ "Extract this occurrence" (and "extract all N" when it repeats) for a selected literal."""
    if not _may_select_literal(request):
        return []
    module = parse_module(request.text)
    found = module.around(request.range) if module is not None else None
    if module is None or found is None:
        return []
    literal, where = found
    if not is_extractable(literal):
        return []
    data: dict[str, str | int | float | bool | None] = {
        "line": where.start.line,
        "character": where.start.character,
    }
    name = propose_name(literal)
    offers = [
        RefactorOffer(
            code=code,
            kind=EXTRACT_KIND,
            title=extract_title(literal.display, name),
            data={**data, "name": name, "all": False},
        )
    ]
    group = _selection_group(module, literal)
    if len(group) > 1:
        group_name = propose_name(literal, prefer_value=True)
        offers.append(
            RefactorOffer(
                code=code,
                kind=EXTRACT_KIND,
                title=extract_title(literal.display, group_name, len(group)),
                data={**data, "name": group_name, "all": True},
            )
        )
    return offers


def _selection_group(module: ModuleLiterals, literal: Literal) -> list[Literal]:
    return [
        other
        for other in module.literals
        if other.key == literal.key and not other.is_fstring and is_extractable(other)
    ]


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
    return build_extract_fix(module, targets, proposed, literal.display)


def _may_select_literal(request: RefactorRequest) -> bool:
    """Cheaply: is there a literal at the selection's start (else no parse is worth it)."""
    start, end = request.range.start, request.range.end
    if end.line > start.line:
        return True
    line = lines_between(request.text, start.line, start.line)
    return literal_near(line, start.character, end.character)
