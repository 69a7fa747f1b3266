"""STD203: the same literal repeated in a module (extract it once, replace every occurrence)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from rules.checks.constants.extracting import ExtractingRule, unit_literals
from rules.checks.constants.literals import is_repeat_candidate
from rules.checks.constants.naming import extract_title, propose_name
from rules.models import (
    Finding,
    Fix,
    Position,
    Range,
    RuleDoc,
    RuleExample,
    Safety,
    Severity,
    TierSeverities,
)
from rules.registry import register
from rules.rule import ModuleContext, ModuleRule, UnitContext

STD203 = "STD203"


class Occurrence(BaseModel):
    """One counted literal of a unit: its identity, how to show and name it, where it is."""

    model_config = ConfigDict(frozen=True)

    key: str
    display: str
    name: str
    line: int  # unit-relative
    start: int
    end_line: int
    end: int


class LiteralSummary(BaseModel):
    """A unit's counted literals, in source order."""

    model_config = ConfigDict(frozen=True)

    occurrences: tuple[Occurrence, ...]


MIN_REPETITIONS = 2
MAX_MEMOISED_GROUPS = 4096


class _GroupMemo:
    """Findings of recently seen groups of occurrences (see `RepeatedLiteral._memoised`)."""

    entries: ClassVar[dict[tuple[tuple[int, int], ...], tuple[object, list[Finding]]]] = {}


@register
class RepeatedLiteral(ExtractingRule, ModuleRule):
    code = STD203
    name = "repeated-literal"
    summary = "The same string or number repeated in a module instead of a named constant"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.INFORMATION, prototype=None
    )
    doc = RuleDoc(
        what=(
            "Flags every occurrence of a string (at least 3 characters) or number that appears "
            "at least twice in a module's executable code. Not counted: docstrings, module-level "
            "`NAME = literal` definitions and class constants, dict keys and other field names "
            "(subscripts, `.get(...)`, `in` tests, `getattr` names), `__all__` and dunder "
            'names, type-annotation strings, codec and error-handler names (`"utf-8"`, '
            '`"strict"`), strings without a letter or digit, the numbers STD201 exempts, test '
            "files. The fix (unsafe: it ties the occurrences together) extracts the value once "
            "and replaces every occurrence."
        ),
        why=(
            "The standard: any value that appears more than once belongs in a module constant, "
            "so that changing it cannot miss a copy."
        ),
        bad=[
            RuleExample(
                source=(
                    "def save(client, body: bytes) -> None:\n"
                    '    client.post(body, content_type="application/json")\n\n\n'
                    "def load(client) -> bytes:\n"
                    '    return client.get(accept="application/json")\n'
                ),
                expected_codes=[STD203, STD203],
                unsafe=True,
                fixed=(
                    'APPLICATION_JSON = "application/json"\n\n\n'
                    "def save(client, body: bytes) -> None:\n"
                    "    client.post(body, content_type=APPLICATION_JSON)\n\n\n"
                    "def load(client) -> bytes:\n"
                    "    return client.get(accept=APPLICATION_JSON)\n"
                ),
            )
        ],
        good=[
            RuleExample(
                source=(
                    'JSON = "application/json"\n\n\n'
                    "def headers(user: dict) -> dict:\n"
                    '    return {"accept": JSON, "name": user["name"]}\n\n\n'
                    "def name_of(user: dict) -> str:\n"
                    '    return user["name"].encode("utf-8")\n'
                )
            )
        ],
        options=(
            "`repeated-literal-min-count` (default 2): occurrences that make a literal "
            "repeated. `repeated-string-min-length` (default 3): the shortest string counted."
        ),
    )

    def summarize(self, context: UnitContext) -> LiteralSummary | None:
        if context.settings.is_test:
            return None
        options = context.settings.options
        occurrences = []
        for literal in unit_literals(context):
            if not is_repeat_candidate(literal, options) or context.is_set_aside(literal.node):
                continue
            where = context.range_of(literal.node)
            occurrences.append(
                Occurrence(
                    key=literal.key,
                    display=literal.display,
                    name=propose_name(literal, prefer_value=True),
                    line=where.start.line,
                    start=where.start.character,
                    end_line=where.end.line,
                    end=where.end.character,
                )
            )
        return LiteralSummary(occurrences=tuple(occurrences)) if occurrences else None

    def check_module(self, context: ModuleContext) -> Iterator[Finding]:
        groups: dict[str, list[tuple[int, Occurrence]]] = {}
        for start_line, summary in context.summaries:
            if isinstance(summary, LiteralSummary):
                for occurrence in summary.occurrences:
                    groups.setdefault(occurrence.key, []).append((start_line, occurrence))
        minimum = max(context.settings.options.repeated_literal_min_count, MIN_REPETITIONS)
        for group in groups.values():
            if len(group) >= minimum:
                yield from self._memoised(group)

    def _memoised(self, group: list[tuple[int, Occurrence]]) -> list[Finding]:
        """A group's findings, reused while its occurrences (the very summary objects, which the
        engine's cache keeps for unchanged units) stand at the same lines: a keystroke rebuilds
        only the groups it touched."""
        key = tuple((start, id(occurrence)) for start, occurrence in group)
        memo = _GroupMemo.entries
        known = memo.get(key)
        if known is not None:
            return known[1]
        findings = list(self._group_findings(group))
        if len(memo) >= MAX_MEMOISED_GROUPS:
            memo.clear()
        memo[key] = (group, findings)  # the group is held so that its ids stay unique
        return findings

    def _group_findings(self, group: list[tuple[int, Occurrence]]) -> Iterator[Finding]:
        first = group[0][1]
        count = len(group)
        lines = ", ".join(str(start + occurrence.line + 1) for start, occurrence in group)
        message = f"`{first.display}` appears {count} times in this module (lines {lines})"
        fix = Fix(title=extract_title(first.display, first.name, count), safety=Safety.UNSAFE)
        data: dict[str, str | int | float | bool | None] = {"name": first.name, "all": True}
        for start, occurrence in group:
            yield Finding.model_construct(
                code=self.code,
                message=message,
                range=Range.model_construct(
                    start=Position.model_construct(
                        line=start + occurrence.line, character=occurrence.start
                    ),
                    end=Position.model_construct(
                        line=start + occurrence.end_line, character=occurrence.end
                    ),
                ),
                severity=Severity.WARNING,
                fix=fix,
                data=data,
            )
