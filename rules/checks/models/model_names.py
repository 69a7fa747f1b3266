"""Names for generated Pydantic models and their fields (STD101/STD102).

`user` → `User`; the return of `process_user` → `ProcessedUser` (a known verb's past participle
and the noun); any other function `f` → `FResult`. A name already used in the module gets a
suffix; a key that cannot be a field name becomes a valid one with an alias.
"""

from __future__ import annotations

import keyword
from collections.abc import Container

from pydantic import BaseModel

# Verbs that fetch rather than make: `get_user` returns a user.
RETRIEVAL_VERBS = frozenset({"get", "fetch", "load", "read", "find", "lookup", "query", "retrieve"})
IRREGULAR_PARTICIPLES = {
    "build": "built",
    "make": "made",
    "send": "sent",
    "split": "split",
    "write": "written",
    "take": "taken",
    "give": "given",
    "choose": "chosen",
    "do": "done",
    "put": "put",
    "set": "set",
    "run": "run",
    "find": "found",
    "sum": "summed",
    "map": "mapped",
    "wrap": "wrapped",
    "strip": "stripped",
    "scan": "scanned",
    "plan": "planned",
    "tag": "tagged",
}
KNOWN_VERBS = frozenset(
    {
        *IRREGULAR_PARTICIPLES,
        "process",
        "parse",
        "create",
        "compute",
        "calculate",
        "convert",
        "transform",
        "normalize",
        "normalise",
        "format",
        "serialize",
        "prepare",
        "merge",
        "validate",
        "clean",
        "render",
        "encode",
        "decode",
        "summarize",
        "summarise",
        "aggregate",
        "enrich",
        "filter",
        "sort",
        "group",
        "update",
        "extract",
        "collect",
        "compile",
        "generate",
        "resolve",
        "analyze",
        "analyse",
        "apply",
        "combine",
        "count",
        "describe",
        "export",
        "index",
        "pack",
        "unpack",
        "score",
        "rank",
        "sanitize",
        "translate",
        "evaluate",
        "estimate",
        "measure",
        "flatten",
        "expand",
        "reduce",
        "select",
        "register",
        "compare",
        "check",
        "classify",
        "compress",
        "decompress",
        "configure",
        "init",
        "initialize",
        "load",
        "handle",
        "assemble",
        "map",
        "mock",
        "patch",
        "wrap",
        "report",
        "inspect",
        "trace",
        "profile",
    }
)
GENERIC_PARAMETER_NAMES = frozenset(
    {"data", "d", "obj", "params", "payload", "info", "options", "opts", "config", "cfg", "kw"}
)
MODEL_SUFFIX = "Model"
RESULT_SUFFIX = "Result"
# Field names a Pydantic model reserves for itself.
RESERVED_FIELD_NAMES = frozenset(name for name in dir(BaseModel) if not name.startswith("__")) | {
    "model_config",
    "fields",
}
RESERVED_PREFIXES = ("model_", "_")
FIELD_FALLBACK = "field"
VERB_AND_NOUN = 2  # the fewest words of a `<verb>_<noun>` name
COUNTER = 2


def pascal_case(snake: str) -> str:
    """`process_user` → `ProcessUser` (leading and repeated underscores dropped)."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def past_participle(verb: str) -> str:
    """`process` → `processed`, `create` → `created`, `apply` → `applied`, `build` → `built`."""
    if verb in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def parameter_model_name(function: str, parameter: str) -> str:
    """The base name of the model for a parameter (before collisions are avoided)."""
    if parameter.lower().strip("_") in GENERIC_PARAMETER_NAMES or len(parameter.strip("_")) <= 1:
        return pascal_case(function) + pascal_case(parameter)
    return pascal_case(parameter)


def return_model_name(function: str) -> str:
    """The base name of the model for a function's return."""
    words = [word for word in function.split("_") if word]
    if len(words) >= VERB_AND_NOUN and words[0].lower() in RETRIEVAL_VERBS:
        return pascal_case("_".join(words[1:]))
    if len(words) >= VERB_AND_NOUN and words[0].lower() in KNOWN_VERBS:
        return pascal_case("_".join([past_participle(words[0].lower()), *words[1:]]))
    return pascal_case(function) + RESULT_SUFFIX


def free_name(base: str, taken: Container[str]) -> str:
    """`base`, or `base` with a suffix when the module already uses that name."""
    if base not in taken:
        return base
    candidate = base + MODEL_SUFFIX
    counter = COUNTER
    while candidate in taken:
        candidate = f"{base}{MODEL_SUFFIX}{counter}"
        counter += 1
    return candidate


def field_name(key: str, taken: set[str]) -> str:
    """A valid, unreserved field name for `key`, unique among `taken`."""
    name = "".join(char if char.isalnum() or char == "_" else "_" for char in key)
    name = name.lstrip("_") or FIELD_FALLBACK
    if name[0].isdigit():
        name = f"{FIELD_FALLBACK}_{name}"
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
        name += "_"
    if name.startswith(RESERVED_PREFIXES):
        name = f"{FIELD_FALLBACK}_{name}"
    unique = name
    counter = COUNTER
    while unique in taken:
        unique = f"{name}_{counter}"
        counter += 1
    return unique
