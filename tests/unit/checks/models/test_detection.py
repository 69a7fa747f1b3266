"""STD101/STD102 detection: what is flagged, what is not (precision first)."""

from __future__ import annotations

import pytest

from rules.models import Safety
from tests.support.models import findings, fix_first

USES = """\
    a = d["id"]
    b = d.get("name")
    c = d.get("size", 0)
    d["seen"] = True
    return a, b, c


f({"id": 1, "name": "n", "size": 2})
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
    """Each access names a key: with one other key read (`j`), the dict has a shape (one key
    alone is a look-up), and the module writes both keys (the caller's display)."""
    text = f'def f(d: dict):\n    {use}\n    print(d["j"])\n\n\nf({{"k": 1, "j": 2}})\n'
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
    """With a second key read and both keys written by a caller, only `use` keeps it quiet."""
    template = (
        "def f(d: dict, key: str, ds: list) -> None:\n"
        "    {use}\n"
        '    print(d["j"])\n'
        "\n"
        "\n"
        'f({{"k": 1, "j": 2}}, "k", [])\n'
    )
    assert findings(template.format(use='d["k"]'))  # the control: flagged without `use`
    assert findings(template.format(use=use)) == []


@pytest.mark.parametrize(
    "annotation", ["dict[str, int]", "dict[str, str]", "Mapping[str, float]", "Movie", "'dict'"]
)
def test_homogeneous_maps_and_typed_dicts_are_not_flagged(annotation: str) -> None:
    template = 'def f(d: {}) -> int:\n    return d["count"] + d["total"]\n\n\nf({{"count": 1, "total": 2}})\n'
    assert findings(template.format("dict"))  # the control
    assert findings(template.format(annotation)) == []


@pytest.mark.parametrize(
    "name", ["__getstate__", "to_dict", "as_dict", "model_dump", "from_json", "to_json"]
)
def test_protocol_methods_are_not_flagged(name: str) -> None:
    template = (
        "class Point:\n"
        "    def {}(self, d: dict):\n"
        '        return {{"x": d["x"], "y": d["y"]}}\n'
        "\n"
        "\n"
        'POINT = {{"x": 1, "y": 2}}\n'
    )
    assert findings(template.format("scaled"))  # the control
    assert findings(template.format(name)) == []


def test_override_and_members_of_subclasses_are_not_flagged() -> None:
    text = (
        "class Handler(Base):\n"
        "    def handle(self, event: dict) -> dict:\n"
        '        return {"id": event["id"], "kind": event["kind"]}\n'
        "\n"
        "\n"
        "class Plain:\n"
        "    @override\n"
        "    def handle(self, event: dict) -> dict:\n"
        '        return {"id": event["id"], "kind": event["kind"]}\n'
        "\n"
        "\n"
        'EVENT = {"id": 1, "kind": "a"}\n'
    )
    control = text.replace("(Base)", "").replace("    @override\n", "")
    assert len(findings(control)) == 4
    assert findings(text) == []


def test_namespace_parameters_are_not_flagged() -> None:
    text = (
        "def f(namespace: dict, kwargs: dict) -> None:\n"
        '    namespace["x"]; namespace["y"]; kwargs["x"]; kwargs["y"]\n'
        "\n"
        "\n"
        'f({"x": 1, "y": 2}, {"x": 1, "y": 2})\n'
    )
    assert len(findings(text.replace("namespace", "space").replace("kwargs", "options"))) == 2
    assert findings(text) == []


def test_test_files_and_stubs_are_exempt() -> None:
    text = 'def f(d: dict):\n    return {"a": d["a"], "b": d["b"]}\n\n\nf({"a": 1, "b": 2})\n'
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
    # two keys: one alone is not a shape, whatever else the function returns
    assert findings("def f(x):\n" + body.replace('{"x": x}', '{"x": x, "y": 1}')) == []


def test_homogeneous_return_annotation_is_not_flagged() -> None:
    assert findings('def f() -> dict[str, int]:\n    return {"a": 1, "b": 2}\n') == []


def test_unknown_decorators_may_change_the_return() -> None:
    text = '@st.composite\ndef f(draw):\n    return {"a": 1, "b": 2}\n'
    assert findings(text) == []
    text = '@functools.lru_cache\ndef f():\n    return {"a": 1, "b": 2}\n'
    assert [finding.code for finding in findings(text)] == ["STD102"]


def test_nested_functions_and_methods_are_checked() -> None:
    text = (
        "class Store:\n"
        "    def put(self, item: dict) -> None:\n"
        '        self.rows.append((item["id"], item["name"]))\n'
        "\n"
        "    @staticmethod\n"
        "    def empty():\n"
        '        return {"rows": [], "total": 0}\n'
        "\n"
        "\n"
        "def outer():\n"
        "    def inner(options: dict):\n"
        '        return options["depth"] * options["width"]\n'
        '    return inner({"depth": 1, "width": 2})\n'
        "\n"
        "\n"
        'Store().put({"id": 1, "name": "a"})\n'
    )
    found = findings(text)
    assert [(finding.code, finding.range.start.line) for finding in found] == [
        ("STD101", 1),
        ("STD102", 5),
        ("STD101", 10),
    ]


def test_the_fix_is_lazy_unsafe_and_named() -> None:
    text = (
        "def process_user(user: dict) -> dict:\n"
        '    return {"id": user["id"], "name": user["name"]}\n'
        "\n"
        "\n"
        'process_user({"id": 1, "name": "Ada"})\n'
    )
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
    text = (
        "def f(d: dict) -> int:\n"
        '    if "k" in d:\n'
        '        return d["k"] + d["j"]\n'
        "    return 0\n"
        "\n"
        "\n"
        'f({"k": 1, "j": 2})\n'
    )
    (found,) = findings(text)
    assert found.fix is not None
    fixed, _fix = fix_first(text)
    assert 'if "k" in d.model_fields_set:' in fixed  # a key present with None stays present


def test_a_computed_default_is_flagged_without_a_fix() -> None:
    text = 'def f(d: dict) -> int:\n    return d.get("k", default()) + d["j"]\n\n\nf({"k": 1, "j": 2})\n'
    (found,) = findings(text)
    assert found.fix is None
    assert "is not a literal" in found.message


def test_findings_do_not_depend_on_the_rest_of_the_module() -> None:
    """Beyond the keys the module writes (here the call's display), the rest of the module
    changes neither the finding nor its message, only its position."""
    function = 'def f(d: dict):\n    return d["a"], d["b"]\n\n\nX = f({"a": 1, "b": 2})\n'
    alone = findings(function)
    assert alone
    with_more = findings("import os\n\n\n" + function + "\n\nY = os.sep\n")
    assert [finding.message for finding in alone] == [finding.message for finding in with_more]
    assert with_more[0].range.start.line == alone[0].range.start.line + 3


def test_parameters_of_functions_handed_to_others_are_not_flagged() -> None:
    function = (
        "def hook(event: dict) -> int:\n"
        '    return event["id"] + event["size"]\n'
        "\n"
        "\n"
        'hook({"id": 1, "size": 2})\n'
    )
    assert len(findings(function)) == 1
    assert findings(function + "json.loads(TEXT, object_hook=hook)\n") == []
    assert findings("@app.route('/')\n" + function) == []


def test_the_title_names_the_model_apart_from_names_the_module_uses() -> None:
    text = (
        "from accounts import User\n"
        "\n"
        "\n"
        "def f(user: dict) -> str:\n"
        '    return user["id"] + user["name"]\n'
        "\n"
        "\n"
        'f({"id": "u1", "name": "Ada"})\n'
    )
    (found,) = findings(text)
    assert found.fix is not None
    assert found.fix.title == "Convert `user` to Pydantic model `UserModel`"


HEADER_RETURN = """\
def default_headers():
    return {"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"}


def reply(body):
    headers = default_headers()
    headers.update({"Access-Control-Allow-Origin": "*"})
    return headers, body
"""
HEADER_PARAMETER = """\
def pre_request(request_headers: dict) -> None:
    request_headers["Accept-Encoding"] = "identity"
    request_headers["Range"] = f"bytes={request_headers['X-Resume-From']}-"


pre_request({"Accept-Encoding": "gzip", "Range": "", "X-Resume-From": "0"})
"""


def test_http_header_maps_are_not_records() -> None:
    """oauthlib's `_get_default_headers`, httpie's `pre_request(request_headers)`: a dict
    keyed by HTTP header names is an open, case-insensitive map that callers extend and hand
    to an HTTP library; a reviewer does not ask for a model of it."""
    assert findings(HEADER_RETURN) == []
    assert findings(HEADER_PARAMETER) == []
    alone = HEADER_RETURN.split("\n\n\n")[0] + "\n"
    assert findings(alone) == []
    record = alone.replace('"Pragma"', '"pragma_note"')  # one key that is no header name
    assert [finding.code for finding in findings(record)] == ["STD102"]


FILLS_IN = """\
def add_scalars(issue, fields: dict) -> None:
    if issue.summary is not None:
        fields["summary"] = issue.summary
    if issue.due is not None:
        fields["duedate"] = issue.due.isoformat()


def serialize(issue) -> dict:
    fields = {"summary": None, "duedate": None}
    add_scalars(issue, fields)
    for custom in issue.custom_fields:
        fields[custom.field_id] = custom.value
    return {"fields": fields}
"""


def test_a_parameter_only_written_into_is_the_callers_dict() -> None:
    """atlassian's `_ser_scalar_fields(f, fields)`: a function that only fills in the dict it
    is given does not own its shape (here the caller adds custom-field ids by computed key);
    and the conversion could never be made (the caller would not see the writes)."""
    assert findings(FILLS_IN) == []
    reads_too = FILLS_IN.replace(
        "    if issue.summary is not None:\n",
        '    if fields["summary"] is None and issue.summary is not None:\n',
    )
    assert [finding.code for finding in findings(reads_too)] == ["STD101"]


BUILDER = """\
from typing import Any


class DocumentBuilder:
    def __init__(self) -> None:
        self._content: list[dict[str, Any]] = []

    def build(self) -> dict[str, Any]:
        return {"version": 1, "type": "doc", "content": list(self._content)}
"""


def test_a_builders_product_is_its_wire_format_not_a_record() -> None:
    """atlassian's `ADFBuilder.build`: the builder is the typed interface, what `build` hands
    out is the document format it builds for a REST body."""
    assert findings(BUILDER) == []
    assembled = BUILDER.replace("class DocumentBuilder", "class DocumentAssembler")
    assert [finding.code for finding in findings(assembled)] == ["STD101"]
