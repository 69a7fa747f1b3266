"""STD203: the same literal repeated in a module (extract it once, replace every occurrence)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from rules.checks.constants.exemptions import is_repeat_candidate
from rules.checks.constants.extracting import ExtractingRule, unit_literals
from rules.checks.constants.literal_types import (
    NONE,
    literal_words_of,
    may_name_literal,
    package_literal_words,
)
from rules.checks.constants.naming import VALUE_ROLE, extract_title, group_name
from rules.checks.constants.roles import describe_role, repetition_role, role_of
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
from rules.parsing import built
from rules.registry import register
from rules.rule import ModuleContext, ModuleRule, UnitContext

STD203 = "STD203"


class Occurrence(BaseModel):
    """One counted literal of a unit: its identity, how to show and name it, where it is."""

    model_config = ConfigDict(frozen=True)

    key: str
    role: str
    word: str | None = None  # the value, for a string
    display: str
    name: str  # the constant it would be: given only by the first of its group in the unit
    line: int  # unit-relative
    start: int
    end_line: int
    end: int


class LiteralSummary(BaseModel):
    """A unit's counted literals, in source order."""

    model_config = ConfigDict(frozen=True)

    occurrences: tuple[Occurrence, ...]
    literal_words: frozenset[str] = frozenset()  # the unit's `Literal[...]` members


MIN_REPETITIONS = 2
# The modules (by path) whose groups' findings are kept from their last check.
MAX_MEMOISED_MODULES = 64

type _GroupKey = tuple[tuple[int, int], ...]
type _GroupEntries = dict[_GroupKey, tuple[object, list[Finding]]]


class _GroupMemo:
    """The findings of the groups of each module's last check (see `RepeatedLiteral._memoised`),
    for the `MAX_MEMOISED_MODULES` modules checked last.

    Only the last check's groups are kept: a keystroke moves the groups below it, so keeping
    every group seen (up to 4,096, then all dropped) held thousands of findings and the
    summaries they came from, long gone from the engine's cache (megabytes over a soak)."""

    modules: ClassVar[dict[str | None, _GroupEntries]] = {}  # oldest first

    @classmethod
    def take(cls, path: str | None) -> _GroupEntries:
        """The entries of `path`'s last check, taken out (a new check replaces them)."""
        return cls.modules.pop(path, {})

    @classmethod
    def keep(cls, path: str | None, entries: _GroupEntries) -> None:
        """Keep the entries of `path`'s check just made (the oldest module's go past the limit)."""
        cls.modules[path] = entries
        while len(cls.modules) > MAX_MEMOISED_MODULES:
            del cls.modules[next(iter(cls.modules))]


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
            "at least twice in a module's executable code *in the same role*. The role is what "
            "names the value where it stands: the keyword it is passed as (`timeout=30`), the "
            "parameter or name it is assigned to (a default repeated across signatures "
            "counts), the dict key it is the value of, the name it is compared with "
            "(`len(items) > 50`); where nothing names it (returned, a positional argument, an "
            "operand) the value itself is the role. Equal values in different roles are a "
            "coincidence (`search(n_hits=3, n_snippets_per_hit=3)`), and one constant would tie "
            "two settings that change independently. Not counted: docstrings, module-level "
            "`NAME = literal` definitions and class constants, dict keys and other field names "
            "(subscripts, `.get(...)`, `in` tests, `getattr` names), `__all__` and dunder "
            'names, type-annotation strings, codec and error-handler names (`"utf-8"`), '
            "strings without a letter or digit, the numbers STD201 exempts and HTTP status "
            "codes, test files; arguments of translation functions (`_`, `gettext`, `ngettext`, "
            "`pgettext`, `N_`, their lazy variants, any name holding `gettext` "
            "(`_ngettext`, `_gettext_noop`) and the aliases `NS_`, `P_`, `PS_`, and the "
            "configured `translation-functions`: "
            "a catalogue is extracted from the literal itself); log message templates; "
            'command-line option names (`"--model"`) and argparse `action=`/`dest=` words; '
            "and words of an external API's fixed vocabulary: a single word (an identifier, or "
            "two joined by `/`, `.` or `:`, at most 32 characters) passed to a call or in a dict "
            'display handed to one, or compared with a field: chat roles (`role="user"`), '
            'message part types (`{"type": "text"}`), CloudWatch statistics and namespaces '
            '(`statistic="Sum"`, `"AWS/Lambda"`), IAM effects, service names '
            '(`boto3.client("config")`), pydantic modes. The API defines those words; a '
            'constant would only restate them (`USER = "user"`). A value with a digit after a '
            'hyphen or a space (`"gpt-4o"`, a message) is not such a word. Not counted either: '
            "a member of a `Literal[...]` type the module or its package declares (any module "
            "under the outermost folder with an `__init__.py`), where it is compared, passed "
            'as a keyword or assigned (`state == "speaking"` with `AgentState = '
            'Literal["listening", "speaking"]` in another module): the type checker guards its '
            "spelling, and a constant would restate the type's member; and f-strings "
            '(`f"/users/{user_id}/bookings"` twice): each reads names of its own scope, so what '
            "two copies share is a function (`bookings_path(user_id)`), a change of the "
            "module's shape that STD203 leaves to review rather than propose. The fix (unsafe: "
            "it ties the occurrences together) extracts the value once and replaces every "
            "occurrence in that role."
        ),
        why=(
            "The standard: any value that appears more than once belongs in a module constant, "
            "so that changing it cannot miss a copy."
        ),
        bad=[
            RuleExample(
                source=(
                    "def connect(client) -> None:\n"
                    '    client.open(model="gpt-4o-mini")\n\n\n'
                    "def ask(client, text: str) -> str:\n"
                    '    return client.complete(text, model="gpt-4o-mini")\n'
                ),
                expected_codes=[STD203, STD203],
                unsafe=True,
                fixed=(
                    'MODEL = "gpt-4o-mini"\n\n\n'
                    "def connect(client) -> None:\n"
                    "    client.open(model=MODEL)\n\n\n"
                    "def ask(client, text: str) -> str:\n"
                    "    return client.complete(text, model=MODEL)\n"
                ),
            ),
            RuleExample(
                source=(
                    "def poll(job, interval: float = 2.5) -> None:\n"
                    "    job.wait(interval)\n\n\n"
                    "def watch(job, interval: float = 2.5) -> None:\n"
                    "    job.follow(interval)\n"
                ),
                expected_codes=[STD203, STD203],
            ),
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
            ),
            RuleExample(
                source=(
                    "def search(index, text: str) -> list:\n"
                    "    return index.query(text, n_hits=3, n_snippets_per_hit=3)\n"
                )
            ),
            RuleExample(
                source=(
                    "def messages(prompt: str, answer: str) -> list[dict]:\n"
                    "    return [\n"
                    '        {"role": "user", "content": [{"type": "text", "text": prompt}]},\n'
                    '        {"role": "assistant", "content": [{"type": "text", "text": answer}]},\n'
                    "    ]\n\n\n"
                    "def is_user(message) -> bool:\n"
                    '    return message.role == "user"\n'
                )
            ),
            RuleExample(
                source=(
                    "from typing import Literal\n\n"
                    'State = Literal["listening", "speaking"]\n\n\n'
                    "def is_speaking(session) -> bool:\n"
                    '    return session.state == "speaking"\n\n\n'
                    "def is_quiet(session) -> bool:\n"
                    '    return session.state != "speaking"\n'
                )
            ),
            RuleExample(
                source=(
                    "def bookings(client, user_id: str) -> list:\n"
                    '    return client.get(f"/users/{user_id}/bookings")\n\n\n'
                    "def book(client, user_id: str, slot: str) -> None:\n"
                    '    client.post(f"/users/{user_id}/bookings", json={"slot": slot})\n'
                )
            ),
            RuleExample(
                source=(
                    "from gettext import gettext as _\n\n\n"
                    "def wait() -> str:\n"
                    '    return _("a moment")\n\n\n'
                    "def later() -> str:\n"
                    '    return _("a moment") + "!"\n'
                )
            ),
            RuleExample(
                source=(
                    "def parser(sub) -> None:\n"
                    '    sub.add_argument("--model", action="store_true")\n\n\n'
                    "def other(sub) -> None:\n"
                    '    sub.add_argument("--model", action="store_true")\n'
                )
            ),
        ],
        options=(
            "`repeated-literal-min-count` (default 2): occurrences that make a literal "
            "repeated. `repeated-string-min-length` (default 3): the shortest string counted. "
            "`translation-functions` (list of names, default none): more functions whose "
            "literal arguments are messages of a translation catalogue."
        ),
    )

    def summarize(self, context: UnitContext) -> LiteralSummary | None:
        if context.settings.is_test:
            return None
        options = context.settings.options
        occurrences = []
        named: set[tuple[str, str]] = set()
        for literal in unit_literals(context):
            if not is_repeat_candidate(literal, options) or context.is_set_aside(literal.node):
                continue
            where = context.range_of(literal.node)
            role = repetition_role(literal)
            group = (literal.key, role)
            # only a group's first occurrence names it (`_group_findings`), and that is the
            # first of its unit: the others are not named (naming is a good part of the walk)
            name = "" if group in named else group_name(literal, role_of(literal))
            named.add(group)
            # one per counted literal, every field known valid: built, not validated
            occurrences.append(
                built(
                    Occurrence,
                    key=literal.key,
                    role=role,
                    word=literal.value if isinstance(literal.value, str) else None,
                    display=literal.display,
                    name=name,
                    line=where.start.line,
                    start=where.start.character,
                    end_line=where.end.line,
                    end=where.end.character,
                )
            )
        words = literal_words_of(context.tree) if may_name_literal(context.unit.text) else NONE
        if not occurrences and not words:
            return None
        return LiteralSummary(occurrences=tuple(occurrences), literal_words=words)

    def check_module(self, context: ModuleContext) -> Iterator[Finding]:
        groups: dict[tuple[str, str], list[tuple[int, Occurrence]]] = {}
        typed: set[str] = set()
        for start_line, summary in context.summaries:
            if isinstance(summary, LiteralSummary):
                typed.update(summary.literal_words)
                for occurrence in summary.occurrences:
                    group = groups.setdefault((occurrence.key, occurrence.role), [])
                    group.append((start_line, occurrence))
        minimum = max(context.settings.options.repeated_literal_min_count, MIN_REPETITIONS)
        if any(role != VALUE_ROLE for _, role in groups):
            typed.update(package_literal_words(context.path))
        last, kept = _GroupMemo.take(context.path), {}
        for (_, role), group in groups.items():
            first = group[0][1]
            if role != VALUE_ROLE and first.word is not None and first.word in typed:
                continue  # a member of a `Literal` type: the type checker guards its spelling
            if len(group) >= minimum:
                yield from self._memoised(group, last, kept)
        _GroupMemo.keep(context.path, kept)

    def _memoised(
        self, group: list[tuple[int, Occurrence]], last: _GroupEntries, kept: _GroupEntries
    ) -> list[Finding]:
        """A group's findings, reused from the module's last check while its occurrences (the
        very summary objects, which the engine's cache keeps for unchanged units) stand at the
        same lines: a keystroke rebuilds only the groups it touched. Each is `kept` for the
        next check."""
        key = tuple((start, id(occurrence)) for start, occurrence in group)
        known = last.get(key)
        if known is None:
            # the group is held so that its ids stay unique
            known = (group, list(self._group_findings(group)))
        kept[key] = known
        return known[1]

    def _group_findings(self, group: list[tuple[int, Occurrence]]) -> Iterator[Finding]:
        first = group[0][1]
        count = len(group)
        lines = ", ".join(str(start + occurrence.line + 1) for start, occurrence in group)
        role = describe_role(first.role)
        message = f"`{first.display}` appears {count} times in this module{role} (lines {lines})"
        fix = Fix(
            title=extract_title(first.display, first.name, count),
            safety=Safety.UNSAFE,
            adds_module_names=True,
        )
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
