"""STD101: a dict-typed parameter or return whose keys are known: use a Pydantic model."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.models.model_fix import (
    ConvertsToModel,
    checked_functions,
    parameter_candidates,
    return_candidate,
)
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import UnitContext

PROCESS_USER = """def process_user(user: dict) -> dict:
    return {"id": user["id"], "name": user["name"].upper()}
"""
PROCESS_USER_FIXED = """from typing import Any

from pydantic import BaseModel


class User(BaseModel):
    id: Any  # type not inferable from this module: set it
    name: str


class ProcessedUser(BaseModel):
    id: Any  # type not inferable from this module: set it
    name: str


def process_user(user: User) -> ProcessedUser:
    return ProcessedUser(id=user.id, name=user.name.upper())
"""
GREETING = """import logging

logger = logging.getLogger(__name__)


def greet(person: dict) -> str:
    # the title is optional
    title = person.get("title", "")
    return f"Hello {title} {person['name']}"


print(greet({"name": "Ada", "title": "Dr"}))
"""
GREETING_FIXED = """import logging

from pydantic import BaseModel

logger = logging.getLogger(__name__)


class Person(BaseModel):
    title: str = ""
    name: str


def greet(person: Person) -> str:
    # the title is optional
    title = person.title
    return f"Hello {title} {person.name}"


print(greet(Person(name="Ada", title="Dr")))
"""
STD101 = "STD101"


@register
class DictParameter(ConvertsToModel):
    code = STD101
    name = "dict-with-known-keys"
    summary = "A dict-typed parameter or return whose keys are known: use a Pydantic model"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.WARNING, prototype=Severity.INFORMATION
    )
    doc = RuleDoc(
        what=(
            "Flags a parameter annotated `dict`, `Dict`, `dict[str, Any]`, `Mapping[str, Any]` "
            "or `MutableMapping[str, Any]` (or any of these `| None`) when every use of it in "
            'the function reads or writes constant keys (`d["k"]`, `d.get("k")`, '
            '`"k" in d`, `d["k"] = v`); and a return annotated that way when every '
            "`return` gives a dict display with constant string keys and no code of the "
            "module uses the result as a dict (`**f()`, `f().items()`, passing it on). "
            "Not flagged: dicts "
            "used with computed keys, iterated, unpacked or passed on (truly dynamic data), "
            "maps with a value type (`dict[str, int]`), `TypedDict`s, dunder and "
            "serialisation methods (`to_dict`, `as_dict`, `model_dump`), `@override`s and "
            "members of classes with a base class (they may implement its signature), "
            "test files."
        ),
        why=(
            "The standard: never use `dict` when the structure is known, use Pydantic models. "
            "A model documents the shape, validates it at runtime and lets the editor "
            "complete and rename fields. The fix generates the model (field types from "
            "literal values, call sites and use; `Any` with a comment where nothing tells), "
            "rewrites the signature, the key accesses and the dict displays passed in this "
            "module. It is unsafe: callers elsewhere must change, which its description lists."
        ),
        bad=[
            RuleExample(
                source=PROCESS_USER,
                expected_codes=[STD101, STD101],
                fixed=PROCESS_USER_FIXED,
                unsafe=True,
            ),
            RuleExample(
                source=GREETING,
                expected_codes=[STD101],
                fixed=GREETING_FIXED,
                unsafe=True,
            ),
        ],
        good=[
            RuleExample(
                source=(
                    "def count_words(counts: dict[str, int], text: str) -> None:\n"
                    "    for word in text.split():\n"
                    "        counts[word] = counts.get(word, 0) + 1\n"
                )
            ),
            RuleExample(
                source=(
                    "def forward(event: dict) -> None:\n"
                    "    publish(event)\n"
                    '    audit(event["id"])\n'
                )
            ),
        ],
    )

    def candidates_in(self, context: UnitContext) -> Iterator[Finding]:
        for function in checked_functions(context):
            for candidate in parameter_candidates(function):
                message = (
                    f"`{candidate.parameter}` is a dict whose keys are known "
                    f"({candidate.shown_keys}): use a Pydantic model"
                )
                yield self.finding_for(context, candidate, message)
            returned = return_candidate(function, annotated=True)
            if returned is not None:
                message = (
                    f"`{function.name}` returns dicts whose keys are known "
                    f"({returned.shown_keys}): return a Pydantic model"
                )
                yield self.finding_for(context, returned, message)
