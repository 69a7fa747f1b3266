"""STD101: a dict-typed parameter or return whose keys are known: use a Pydantic model."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.models.dict_shapes import may_name_a_dict_type
from rules.checks.models.model_fix import (
    ConvertsToModel,
    checked_functions,
    parameter_candidates,
    return_candidate,
)
from rules.checks.models.refusal_docs import refusals_markdown
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import UnitContext

PROCESS_USER = """def process_user(user: dict) -> dict:
    return {"id": user["id"], "name": user["name"].upper()}


print(process_user({"id": "u1", "name": "Ada"})["name"])
"""
PROCESS_USER_FIXED = """from typing import Any

from pydantic import BaseModel


class User(BaseModel):
    id: str
    name: str


class ProcessedUser(BaseModel):
    id: Any  # type not inferable from this module: set it
    name: str


def process_user(user: User) -> ProcessedUser:
    return ProcessedUser(id=user.id, name=user.name.upper())


print(process_user(User(id="u1", name="Ada")).name)
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
# Someone else's shapes: not findings (see "Whose shape" on this page).
OAUTH_REPLY = """import json


def parse_token(text: str) -> tuple[str, int]:
    return read_token(json.loads(text))


def read_token(payload: dict) -> tuple[str, int]:
    return payload["access_token"], payload["expires_in"]
"""
DATASET_ROW = """EXAMPLES = [
    {"question": "2 + 2?", "answer": "4"},
    {"question": "3 + 3?", "answer": "6"},
]


def format_question(row: dict) -> str:
    return f"{row['question']} Answer: {row['answer']}"
"""
SINGLE_KEY = """def schema_version(config: dict) -> str:
    return config["version"]
"""
UNKNOWN_VALUE_TYPE = """def message_text(message: dict) -> str:
    if message["role"] == "tool":
        return ""
    if isinstance(message["content"], str):
        return message["content"]
    return " ".join(part["text"] for part in message["content"])


message_text({"role": "user", "content": "hi"})
"""
CONTENT_PART = """def image_to_openai(url: str) -> dict:
    return {"type": "image_url", "image_url": {"url": url}}
"""
JSON_SCHEMA = """def build_tool_schema(name: str, parameters: dict) -> dict:
    return {"name": name, "description": name, "parameters": parameters}
"""
CALL_PAYLOAD = """def upload_payload(name: str, rows: list) -> dict:
    return {"name": name, "rows": rows}
"""
PROXY_RESPONSE = """def encode_body(response: dict) -> None:
    response["body"] = response["body"].encode()
    response["isBase64Encoded"] = True
"""
FILLS_IN = """def add_due_date(issue, fields: dict) -> None:
    fields["duedate"] = issue.due.isoformat()
    fields["summary"] = issue.summary
"""
HEADER_MAP = """def default_headers() -> dict:
    return {"Content-Type": "application/json", "Cache-Control": "no-store"}
"""
RUNNABLE_CONFIG = """def run_config(thread: str) -> dict:
    return {"configurable": {"thread_id": thread}, "recursion_limit": 50}
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
            "test files. "
            "Whose shape: the standard allows a dict for unstructured JSON from external "
            "sources, so a dict whose shape is someone else's is not a finding. A parameter "
            "is reported only when this module writes every key the function reads (a dict "
            'display, `d["k"] = v`, `dict(k=...)`, outside the function, not copied from '
            "another dict's same key, not in a literal table of sample rows): keys that are "
            "only ever read belong to whoever sends the dict (a token response from "
            "`json.loads`, JWT claims, an IAM policy, a dataset's rows, a LangChain payload, "
            "a dict built in another module). Also not reported: a parameter read by one "
            "key (a look-up into a larger document), or whose key's value is tested with "
            "`isinstance` (its type is not known); a parameter only written into "
            '(`d["k"] = v` and no read: it fills in the caller\'s dict, whose shape the '
            "caller decides, and the caller would not see a model's writes); "
            "a return of a conversion into another "
            "format (`to_x`, `x_to_y`: OpenAI or Bedrock content parts), of a JSON Schema "
            "builder (`*_schema`), of a payload builder (`*_payload`, `*_kwargs`, "
            "`*_params`, `*_body`), of a builder class's `build()` (`DocumentBuilder.build`: "
            "the builder is the typed interface, its product the format it builds, such as "
            "a vendor's document for a REST body), a return with one key that no larger returned shape "
            "of the module has (an envelope); a dict with an API Gateway proxy key "
            "(`statusCode`, `isBase64Encoded`, `multiValueHeaders`: the runtime serialises "
            "AWS's format, and cannot serialise a model); a dict keyed only by HTTP header "
            "names (`Content-Type`, `Cache-Control`, `Range`, `X-…`: an open, "
            "case-insensitive map that callers extend and hand to an HTTP library); the keys "
            "of a framework's own "
            "config type (LangChain's `RunnableConfig`: `configurable`, `recursion_limit`, "
            "...). A Lambda handler's `event` parameter is reported even so: the event "
            "source's shape is documented (an S3 or SQS event) and a reviewer asks for a "
            "model of it."
        ),
        why=(
            "The standard: never use `dict` when the structure is known, use Pydantic models. "
            "A model documents the shape, validates it at runtime and lets the editor "
            "complete and rename fields. The fix generates the model (field types from "
            "literal values, call sites and use; `Any` with a comment where nothing tells), "
            "rewrites the signature, the key accesses and the dict displays passed in this "
            "module. It is unsafe: callers elsewhere must change, which its description lists."
        ),
        refusals=refusals_markdown(),
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
            RuleExample(source=OAUTH_REPLY),
            RuleExample(source=DATASET_ROW),
            RuleExample(source=SINGLE_KEY),
            RuleExample(source=UNKNOWN_VALUE_TYPE),
            RuleExample(source=CONTENT_PART),
            RuleExample(source=JSON_SCHEMA),
            RuleExample(source=CALL_PAYLOAD),
            RuleExample(source=PROXY_RESPONSE),
            RuleExample(source=RUNNABLE_CONFIG),
            RuleExample(source=HEADER_MAP),
            RuleExample(source=FILLS_IN),
        ],
    )

    def candidates_in(self, context: UnitContext) -> Iterator[Finding]:
        if not may_name_a_dict_type(context.unit.text):
            return  # every candidate is annotated with a dict type: none is spelled here
        for function in checked_functions(context):
            for candidate in parameter_candidates(function):
                if candidate.external is not None:
                    continue  # someone else's shape: the standard allows a dict
                message = (
                    f"`{candidate.parameter}` is a dict whose keys are known "
                    f"({candidate.shown_keys}): use a Pydantic model"
                )
                yield self.finding_for(context, candidate, message)
            returned = return_candidate(function, annotated=True)
            if returned is not None and returned.external is None:
                message = (
                    f"`{function.name}` returns dicts whose keys are known "
                    f"({returned.shown_keys}): return a Pydantic model"
                )
                yield self.finding_for(context, returned, message)
