"""STD101/STD102 detection: what is flagged, what is not (precision first)."""

from __future__ import annotations

import pytest

from rules.models import Safety
from tests.unit.dict_model_support import findings, fix_first

USES = """\
    a = d["id"]
    b = d.get("name")
    c = d.get("size", 0)
    d["seen"] = True
    return a, b, c
"""


@pytest.mark.parametrize(
    "annotation",
    [
        "dict",
        "Dict",
        "typing.Dict",
        "dict[str, Any]",
        "Dict[str, Any]",
        "Mapping[str, Any]",
        "MutableMapping[str, typing.Any]",
        "dict | None",
        "None | dict[str, Any]",
        "Optional[dict]",
        "Optional[Mapping[str, Any]]",
    ],
)
def test_dict_parameter_with_constant_keys_is_flagged(annotation: str) -> None:
    text = f"def f(d: {annotation}):\n{USES}"
    found = findings(text, "STD101")
    assert [finding.code for finding in found] == ["STD101"]
    assert found[0].range.start.character == len("def f(")
    assert "`id`, `name`, `size`, `seen`" in found[0].message


@pytest.mark.parametrize(
    "use",
    [
        'd["k"]',
        'd.get("k")',
        'd.get("k", 1)',
        'd.get("k", None)',
        'd["k"] = 1',
        'd["k"] += 1',
        'print(d["k"].upper())',
        "'k' in d and d.get('k')",
        'd is None or d["k"]',
        "print(f\"{d['k']}\")",
    ],
)
def test_each_constant_key_access_is_enough(use: str) -> None:
    text = f"def f(d: dict):\n    {use}\n"
    assert [finding.code for finding in findings(text)] == ["STD101"]


@pytest.mark.parametrize(
    "use",
    [
        "d[key]",
        "for k in d: pass",
        "d.items()",
        "d.keys()",
        "d.values()",
        "g(**d)",
        "g(d)",
        'g(d); d["k"]',
        'd["k"]; return d',
        'd["k"]; d = {}',
        'd["k"]; d.update(x=1)',
        'd["k"]; len(d)',
        'd["k"]; del d["k"]',
        'd["k"]; [d for d in ds]',
        'd["k"]; (lambda d: d)(1)',
        'd.setdefault("k", 1)',
        'd["__hash__"]',
        "pass",
    ],
)
def test_dynamic_or_escaping_use_is_not_flagged(use: str) -> None:
    text = f"def f(d: dict, key: str, ds: list) -> None:\n    {use}\n"
    assert findings(text) == []


@pytest.mark.parametrize(
    "annotation", ["dict[str, int]", "dict[str, str]", "Mapping[str, float]", "Movie", "'dict'"]
)
def test_homogeneous_maps_and_typed_dicts_are_not_flagged(annotation: str) -> None:
    text = f'def f(d: {annotation}) -> int:\n    return d["count"]\n'
    assert findings(text) == []


@pytest.mark.parametrize(
    "name", ["__getstate__", "to_dict", "as_dict", "model_dump", "from_json", "to_json"]
)
def test_protocol_methods_are_not_flagged(name: str) -> None:
    text = f'class Point:\n    def {name}(self, d: dict):\n        return {{"x": d["x"]}}\n'
    assert findings(text) == []


def test_override_and_members_of_subclasses_are_not_flagged() -> None:
    text = (
        "class Handler(Base):\n"
        "    def handle(self, event: dict) -> dict:\n"
        '        return {"id": event["id"]}\n'
        "\n"
        "\n"
        "class Plain:\n"
        "    @override\n"
        "    def handle(self, event: dict) -> dict:\n"
        '        return {"id": event["id"]}\n'
    )
    assert findings(text) == []


def test_namespace_parameters_are_not_flagged() -> None:
    text = 'def f(namespace: dict, kwargs: dict) -> None:\n    namespace["x"]; kwargs["y"]\n'
    assert findings(text) == []


def test_test_files_and_stubs_are_exempt() -> None:
    text = 'def f(d: dict):\n    return {"a": d["a"]}\n'
    assert findings(text, path="tests/test_module.py") == []
    assert findings(text, path="module.pyi") == []
    assert len(findings(text, path="module.py")) == 2


def test_annotated_dict_return_of_displays_is_std101() -> None:
    text = 'def f(x: int) -> dict[str, Any]:\n    return {"x": x, "double": x * 2}\n'
    found = findings(text)
    assert [finding.code for finding in found] == ["STD101"]
    assert found[0].message.startswith("`f` returns dicts whose keys are known")
    assert found[0].range.start.character == text.index("dict[")


def test_unannotated_return_of_displays_is_std102_on_the_name() -> None:
    text = 'async def load_point(x):\n    if x:\n        return {"x": x}\n    return {"x": 0, "y": 1}\n'
    found = findings(text)
    assert [finding.code for finding in found] == ["STD102"]
    assert (found[0].range.start.character, found[0].range.end.character) == (10, 20)


@pytest.mark.parametrize(
    "body",
    [
        '    if x:\n        return {"x": x}\n',  # may fall off the end: returns None
        '    if x:\n        return {"x": x}\n    return None\n',
        '    return {"x": x} if x else {}\n',
        '    yield {"x": x}\n',
        '    return {"x": x, **x}\n',
        "    return {x: 1}\n",
        "    return {}\n",
        '    return {"a": f, "b": g}\n    def f(): pass\n    def g(): pass\n',
        '    return {"a": lambda: 1, "b": lambda: 2}\n',
    ],
)
def test_returns_that_are_not_all_known_displays_are_not_flagged(body: str) -> None:
    assert findings(f"def f(x):\n{body}") == []


def test_homogeneous_return_annotation_is_not_flagged() -> None:
    assert findings('def f() -> dict[str, int]:\n    return {"a": 1}\n') == []


def test_unknown_decorators_may_change_the_return() -> None:
    text = '@st.composite\ndef f(draw):\n    return {"a": 1}\n'
    assert findings(text) == []
    text = '@functools.lru_cache\ndef f():\n    return {"a": 1}\n'
    assert [finding.code for finding in findings(text)] == ["STD102"]


def test_nested_functions_and_methods_are_checked() -> None:
    text = (
        "class Store:\n"
        "    def put(self, item: dict) -> None:\n"
        '        self.rows.append(item["id"])\n'
        "\n"
        "    @staticmethod\n"
        "    def empty():\n"
        '        return {"rows": []}\n'
        "\n"
        "\n"
        "def outer():\n"
        "    def inner(options: dict):\n"
        '        return options["depth"]\n'
        '    return inner({"depth": 1})\n'
    )
    found = findings(text)
    assert [(finding.code, finding.range.start.line) for finding in found] == [
        ("STD101", 1),
        ("STD102", 5),
        ("STD101", 10),
    ]


def test_the_fix_is_lazy_unsafe_and_named() -> None:
    text = 'def process_user(user: dict) -> dict:\n    return {"id": user["id"]}\n'
    parameter, returned = findings(text)
    assert parameter.fix is not None and returned.fix is not None
    assert parameter.fix.edits is None and returned.fix.edits is None
    assert parameter.fix.safety is Safety.UNSAFE
    assert parameter.fix.title == "Convert `user` to Pydantic model `User`"
    assert returned.fix.title == (
        "Convert the return of `process_user` to Pydantic model `ProcessedUser`"
    )
    assert parameter.data == {
        "kind": "parameter",
        "function": "process_user",
        "parameter": "user",
        "model": "User",
    }
    assert returned.data["kind"] == "return"


def test_a_key_test_becomes_a_test_of_the_fields_set() -> None:
    text = 'def f(d: dict) -> int:\n    if "k" in d:\n        return d["k"]\n    return 0\n'
    (found,) = findings(text)
    assert found.fix is not None
    fixed, _fix = fix_first(text)
    assert 'if "k" in d.model_fields_set:' in fixed  # a key present with None stays present


def test_a_computed_default_is_flagged_without_a_fix() -> None:
    (found,) = findings('def f(d: dict) -> int:\n    return d.get("k", default())\n')
    assert found.fix is None
    assert "is not a literal" in found.message


def test_findings_do_not_depend_on_the_rest_of_the_module() -> None:
    function = 'def f(d: dict):\n    return d["a"]\n'
    alone = findings(function)
    with_more = findings("import os\n\n\n" + function + "\n\nX = f({'a': 1})\n")
    assert [finding.message for finding in alone] == [finding.message for finding in with_more]
    assert with_more[0].range.start.line == alone[0].range.start.line + 3


def test_parameters_of_functions_handed_to_others_are_not_flagged() -> None:
    function = 'def hook(event: dict) -> int:\n    return event["id"]\n\n\n'
    assert len(findings(function)) == 1
    assert findings(function + "json.loads(TEXT, object_hook=hook)\n") == []
    assert findings("@app.route('/')\n" + function) == []


def test_the_title_names_the_model_apart_from_names_the_module_uses() -> None:
    text = 'from accounts import User\n\n\ndef f(user: dict) -> str:\n    return user["id"]\n'
    (found,) = findings(text)
    assert found.fix is not None
    assert found.fix.title == "Convert `user` to Pydantic model `UserModel`"
